/**
 * What the background does inside web pages: run the lazy part of the content script in one frame, send a
 * command to one frame, start the content script in tabs that were open before their site was enabled, and
 * give up a site's permission when its last account is gone.
 */
import { browser } from 'wxt/browser';
import type { ScriptPublicPath } from 'wxt/utils/inject-script';
import { originsForSite } from '../core/domain';
import type { CommandResult, ContentCommand, ContentSender } from '../messaging';
import { OPEN_TAB_SCRIPT_FILE } from '../content/script-files';
import { isServableOrigin } from './content-scripts';
import type { Ticket } from './offers';

/** The lazy part: detector, offer host, fill and submit tracking (entrypoints/offer-runtime.ts). */
export const OFFER_RUNTIME_FILE = '/offer-runtime.js';

/**
 * Runs the offer runtime in exactly the frame that asked. `scripting.executeScript` needs no
 * web-accessible script, so no page can load it or learn that Spare is installed from it.
 */
export async function injectOfferRuntime(sender: ContentSender): Promise<void> {
  await browser.scripting.executeScript({
    target: { tabId: sender.tabId, frameIds: [sender.frameId] },
    files: [OFFER_RUNTIME_FILE],
    injectImmediately: true,
  });
}

/** Sends a command to the content script of one frame; a missing or odd answer counts as a refusal. */
export async function commandFrame(ticket: Ticket, command: ContentCommand): Promise<CommandResult> {
  const answer: unknown = await browser.tabs.sendMessage(ticket.tabId, command, { frameId: ticket.frameId });
  if (typeof answer === 'object' && answer !== null && 'ok' in answer) {
    const result = answer as CommandResult;
    if (result.ok === true) return { ok: true };
    if (result.ok === false && typeof result.reason === 'string') return { ok: false, reason: result.reason };
  }
  return { ok: false, reason: 'The page did not answer. Reload it and try again.' };
}

/**
 * A tab that was already open when its site was enabled gets the content script at once, without a reload.
 * A second copy in a frame that had one ends the older one's context when it starts (WXT's context does that).
 */
export async function startInOpenTabs(origins: string[]): Promise<void> {
  const patterns = origins.filter(isServableOrigin);
  if (patterns.length === 0) return;
  const tabs = await browser.tabs.query({ url: patterns });
  await Promise.all(
    tabs.map(async (tab) => {
      if (tab.id === undefined) return;
      const target = { tabId: tab.id, allFrames: true };
      try {
        // A page already loaded may have a focused field: this copy of the script looks once.
        // A file the build generates (scripts/eager-script.ts), so WXT's list of public paths does not know it.
        const file = `/${OPEN_TAB_SCRIPT_FILE}` as ScriptPublicPath;
        await browser.scripting.executeScript({ target, files: [file] });
      } catch {
        // A tab the browser will not script (its error page, say) simply gets no offer.
      }
    }),
  );
}

/**
 * Gives up the host permission of sites that no account uses any more. `permissions.onRemoved` then
 * re-syncs the registration, so the content script stops running there. Origins the manifest grants at
 * install (the e2e build's localhost) cannot be removed and are left alone.
 */
export async function releaseSitePermissions(sites: string[]): Promise<void> {
  if (sites.length === 0) return;
  const required = new Set(browser.runtime.getManifest().host_permissions ?? []);
  const { origins = [] } = await browser.permissions.getAll();
  const granted = new Set(origins);
  const removable = sites.flatMap(originsForSite).filter((o) => granted.has(o) && !required.has(o));
  if (removable.length > 0) await browser.permissions.remove({ origins: removable });
}
