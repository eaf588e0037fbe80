/**
 * The host-permission patterns that let Spare's content script run on an account's site (design §3: least
 * privilege; one site at a time). `site` is a registrable domain, or localhost / an IP address.
 */
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

export function originsForSite(site: string): string[] {
  const bare = site
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  // Sites store an IPv6 address without brackets (src/core/domain); a match pattern needs them.
  const host = bare.includes(':') ? `[${bare}]` : bare;
  // Plain http is accepted only for localhost and IPs (design §4.2); a public IP still gets https first.
  if (LOOPBACK.test(host)) return [`http://${host}/*`];
  if (IPV4.test(host) || host.startsWith('[')) return [`https://${host}/*`, `http://${host}/*`];
  return [`https://${host}/*`, `https://*.${host}/*`];
}
