import { browser } from 'wxt/browser';
import { originsForSite } from '../core/domain';
import { EAGER_SCRIPT_FILE } from '../content/script-files';

/** The one content script, registered at run time for exactly the origins the user has granted. */
export const CONTENT_SCRIPT_ID = 'spare-content';

const HTTP_SERVABLE_HOST = /^http:\/\/(?:localhost|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\])(?::\*)?\/\*$/i;

/** Only web origins Spare can serve: https anywhere, plain http only for localhost and IP addresses (design §4.2). */
export function isServableOrigin(pattern: string): boolean {
  return /^https:\/\//.test(pattern) || HTTP_SERVABLE_HOST.test(pattern);
}

/**
 * Makes the registered content script match the granted host permissions. Browsers forget dynamic
 * registrations on every extension reload or update (design §6), so this runs on install, start-up and
 * every permission change; it is idempotent.
 */
export async function syncContentScripts(accountSites?: readonly string[] | null): Promise<string[]> {
  const { origins = [] } = await browser.permissions.getAll();
  let matches = origins.filter(isServableOrigin).sort();
  // While unlocked Spare knows which granted sites have accounts: a site without one gets no script (no
  // isolated world, no cost). While locked it cannot know, and keeps every granted site.
  if (accountSites) {
    const wanted = new Set(accountSites.flatMap(originsForSite));
    matches = matches.filter((origin) => wanted.has(origin));
  }
  const registered = await browser.scripting.getRegisteredContentScripts({ ids: [CONTENT_SCRIPT_ID] });
  if (matches.length === 0) {
    if (registered.length > 0) await browser.scripting.unregisterContentScripts({ ids: [CONTENT_SCRIPT_ID] });
    return [];
  }
  const script = {
    id: CONTENT_SCRIPT_ID,
    js: [EAGER_SCRIPT_FILE],
    matches,
    allFrames: true,
    // Before any field can have focus, so the script needs no look at the document to find one
    // (src/content/index.ts).
    runAt: 'document_start' as const,
  };
  const current = registered[0]?.matches ?? [];
  if (
    registered.length > 0 &&
    current.length === matches.length &&
    [...current].sort().every((m, i) => m === matches[i])
  )
    return matches;
  if (registered.length > 0) await browser.scripting.updateContentScripts([script]);
  else await browser.scripting.registerContentScripts([script]);
  return matches;
}

/**
 * Keeps the registration in sync. `accountSites` answers the sites that have accounts, or null while the vault
 * is locked; the returned function re-syncs (the background calls it when the accounts change). Syncs run one
 * after another, so the last change wins.
 */
export function keepContentScriptsInSync(
  accountSites: () => Promise<readonly string[] | null> = async () => null,
): () => void {
  let queue: Promise<unknown> = Promise.resolve();
  const resync = () => {
    queue = queue
      .then(async () => syncContentScripts(await accountSites().catch(() => null)))
      .catch((error: unknown) => console.error('Spare: registration', error));
  };
  browser.runtime.onInstalled.addListener(resync);
  browser.runtime.onStartup.addListener(resync);
  browser.permissions.onAdded.addListener(resync);
  browser.permissions.onRemoved.addListener(resync);
  return resync;
}
