import { browser } from 'wxt/browser';

/** The one content script, registered at run time for exactly the origins the user has granted. */
export const CONTENT_SCRIPT_ID = 'spare-content';
export const CONTENT_SCRIPT_FILE = 'content-script.js';

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
export async function syncContentScripts(): Promise<string[]> {
  const { origins = [] } = await browser.permissions.getAll();
  const matches = origins.filter(isServableOrigin).sort();
  const registered = await browser.scripting.getRegisteredContentScripts({ ids: [CONTENT_SCRIPT_ID] });
  if (matches.length === 0) {
    if (registered.length > 0) await browser.scripting.unregisterContentScripts({ ids: [CONTENT_SCRIPT_ID] });
    return [];
  }
  const script = {
    id: CONTENT_SCRIPT_ID,
    js: [CONTENT_SCRIPT_FILE],
    matches,
    allFrames: true,
    runAt: 'document_idle' as const,
  };
  if (registered.length > 0) await browser.scripting.updateContentScripts([script]);
  else await browser.scripting.registerContentScripts([script]);
  return matches;
}

export function keepContentScriptsInSync(): void {
  const resync = () =>
    void syncContentScripts().catch((error: unknown) => console.error('Spare: registration', error));
  browser.runtime.onInstalled.addListener(resync);
  browser.runtime.onStartup.addListener(resync);
  browser.permissions.onAdded.addListener(resync);
  browser.permissions.onRemoved.addListener(resync);
}
