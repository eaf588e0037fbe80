/**
 * Site matching (design §4.2, a contract). An account's site is a registrable domain (eTLD+1 from the Public
 * Suffix List, private section included: `alice.github.io`). A page matches when its hostname's registrable
 * domain equals it or one of the site adapter's other domains. IPs and `localhost` match by exact hostname.
 * Ports never matter. Plain http is accepted only for localhost, loopback and private or link-local addresses:
 * on a public address a network attacker would receive the filled code.
 */
import { parse } from 'tldts';
import { SpareError } from '../errors';
import { siteForDomain } from '../../sites/registry';

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

function hostnameOf(hostnameOrUrl: string): string | null {
  const trimmed = hostnameOrUrl.trim();
  if (!trimmed || /\s/.test(trimmed)) return null;
  let url: URL;
  try {
    // The URL parser does the hard parts: ports, user info, IDN → punycode, IPv4 shorthands.
    url = new URL(HAS_SCHEME.test(trimmed) ? trimmed : `http://${trimmed}`);
  } catch {
    return null;
  }
  return bareHost(url.hostname) || null;
}

/** A URL's hostname as sites are stored: lower case, IPv6 without brackets, no trailing dot. */
function bareHost(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

function isIpAddress(host: string): boolean {
  return parse(host).isIp === true;
}

function isLocalHost(host: string): boolean {
  return host === 'localhost' || isIpAddress(host);
}

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isPrivateIpv4(host: string): boolean {
  const quad = DOTTED_QUAD.exec(host);
  if (!quad) return false;
  const [a, b] = [Number(quad[1]), Number(quad[2])];
  return (
    a === 127 || // loopback
    a === 10 || // RFC 1918
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) // link-local
  );
}

function isPrivateIpv6(host: string): boolean {
  if (!host.includes(':')) return false;
  if (host === '::1') return true;
  // An IPv4-mapped address, as the URL parser writes it (::ffff:c0a8:101), is judged as its IPv4 address.
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (mapped) {
    const [high, low] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
    return isPrivateIpv4(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  if (host.startsWith(':')) return false;
  const first = parseInt(host.split(':')[0]!, 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local, RFC 4193 (fc00::/7)
    (first & 0xffc0) === 0xfe80 // link-local (fe80::/10)
  );
}

/**
 * May Spare fill a code on this host over plain http? Only where no network attacker can sit on the path:
 * this computer (localhost, loopback) or a private or link-local network (RFC 1918, RFC 4193, 169.254/16,
 * fe80::/10). `host` is a bare hostname as sites are stored (IPv6 without brackets).
 */
export function allowsPlainHttp(host: string): boolean {
  return host === 'localhost' || isPrivateIpv4(host) || isPrivateIpv6(host);
}

/**
 * The registrable domain (eTLD+1) of a hostname or URL; IPs and `localhost` come back as themselves. Null for
 * anything else without one: a bare public suffix ('com', 'github.io'), an unknown TLD, junk.
 */
export function registrableDomain(hostnameOrUrl: string): string | null {
  const host = hostnameOf(hostnameOrUrl);
  if (!host) return null;
  if (isLocalHost(host)) return host;
  const result = parse(host, { allowPrivateDomains: true });
  // A suffix only matched by the PSL's implicit '*' rule is not a real TLD: refuse rather than guess.
  if (!result.domain || (!result.isIcann && !result.isPrivate)) return null;
  return result.domain;
}

/** What the user typed in "Website" → the site to store. Throws SpareError('invalid-input') on junk. */
export function normaliseSiteInput(userTyped: string): string {
  const domain = registrableDomain(userTyped);
  if (domain && /^\s*http:\/\//i.test(userTyped) && isIpAddress(domain) && !allowsPlainHttp(domain)) {
    throw new SpareError(
      'invalid-input',
      `Spare fills codes over plain http only on this computer or a private network; ${domain} is a public ` +
        `address, so type https:// instead.`,
    );
  }
  if (!domain) {
    const shown = userTyped.trim().slice(0, 80);
    throw new SpareError(
      'invalid-input',
      shown
        ? `"${shown}" is not a website address. Type the site's domain, for example instagram.com.`
        : "Type the website's domain, for example instagram.com.",
    );
  }
  return domain;
}

/**
 * Does the page at `pageUrl` belong to `site` (a stored registrable domain, IP or 'localhost')? Without
 * `extraDomains`, the domains the site's adapter lists (e.g. x.com and twitter.com) count as the same site.
 */
export function pageMatchesSite(pageUrl: string, site: string, extraDomains?: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  const host = bareHost(url.hostname);
  const wanted = site
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (!host || !wanted) return false;
  if (url.protocol === 'http:' && !allowsPlainHttp(host)) return false;
  if (isLocalHost(host)) return host === wanted;
  const pageDomain = registrableDomain(host);
  if (!pageDomain) return false;
  if (pageDomain === wanted) return true;
  const adapter = extraDomains ? undefined : siteForDomain(wanted);
  const others = extraDomains ?? [...(adapter?.domains ?? []), ...(adapter?.extraDomains ?? [])];
  return others.includes(pageDomain);
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * The host-permission patterns that let Spare's content script run on an account's site (design §3: least
 * privilege; one site at a time). `site` is a registrable domain, or localhost / an IP address. The popup asks
 * for these when an account is added; the background gives them up when the site's last account goes.
 */
export function originsForSite(site: string): string[] {
  const bare = site
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  // Sites store an IPv6 address without brackets; a match pattern needs them.
  const host = bare.includes(':') ? `[${bare}]` : bare;
  // Plain http only where no network attacker sits on the path (design §4.2); loopback never needs https.
  if (LOOPBACK.test(host)) return [`http://${host}/*`];
  if (IPV4.test(host) || host.startsWith('[')) {
    return allowsPlainHttp(bare) ? [`https://${host}/*`, `http://${host}/*`] : [`https://${host}/*`];
  }
  return [`https://${host}/*`, `https://*.${host}/*`];
}

/**
 * Where a code was used, as Spare keeps it: the page's origin and path only. A query or fragment can carry
 * tokens (sign-in tickets, state, redirect targets) and user info a password; none of them may reach the
 * vault, an export or the print sheet. Text that is not a URL (a plain file may say "instagram.com/login")
 * loses anything from its first '?' or '#'.
 */
export function pageAddress(place: string): string {
  try {
    const url = new URL(place);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.origin + url.pathname;
  } catch {
    // Not a URL: fall through to the textual cut.
  }
  return place.replace(/[?#][\s\S]*$/, '');
}
