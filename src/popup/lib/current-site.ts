/**
 * The page the popup was opened on (issue 9: the current site first). Asked once per popup: the tab cannot
 * change under an open popup, and both the list and Add account want it. Holds a URL, never anything secret.
 */
import type { PopupPlatform } from '../platform';

const asked = new WeakMap<PopupPlatform, Promise<string | null>>();

/** The active tab's URL, or null when the browser does not tell (see `PopupPlatform.activeTabUrl`). */
export function currentTabUrl(platform: PopupPlatform): Promise<string | null> {
  let url = asked.get(platform);
  if (!url) {
    url = platform.activeTabUrl ? platform.activeTabUrl().catch(() => null) : Promise.resolve(null);
    asked.set(platform, url);
  }
  return url;
}

/**
 * Whether "Capture codes from this page" can apply: the page is a web page (http or https). Only the scheme:
 * the domain rules and their suffix list stay out of the list's chunk; the capture screen checks the site.
 */
export function isWebPage(url: string | null): boolean {
  return url !== null && /^https?:\/\//i.test(url);
}
