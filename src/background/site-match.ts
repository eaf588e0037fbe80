/**
 * Does a page belong to an account's site? Design §4.2: the page's registrable domain (PSL, private section
 * included) equals the site; IPs and localhost match by exact hostname; ports never matter; plain http only
 * for localhost and IPs.
 *
 * TODO(2026-11-26, issue 3): when `src/core/domain` lands, call it instead, so that site adapters' extra
 * domains match too. Until then an exact registrable-domain match is the (stricter) rule.
 */
import { parse } from 'tldts';

function isLoopbackOrIp(hostname: string, isIp: boolean | null): boolean {
  return isIp === true || hostname === 'localhost';
}

/** The site a page URL belongs to, or null for a URL Spare never serves (bad scheme, http on a public host). */
export function siteOfUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const info = parse(parsed.hostname, { allowPrivateDomains: true });
  const hostname = (info.hostname ?? parsed.hostname).replace(/^\[|\]$/g, '');
  if (isLoopbackOrIp(hostname, info.isIp)) return hostname;
  if (parsed.protocol === 'http:') return null;
  return info.domain ?? null;
}

export function pageMatchesSite(url: string, site: string): boolean {
  const pageSite = siteOfUrl(url);
  return pageSite !== null && pageSite === site.toLowerCase();
}
