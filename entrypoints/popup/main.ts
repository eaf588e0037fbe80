import { mount } from 'svelte';
import { browser, type Browser } from 'wxt/browser';
import { onVaultLocked, sendPageRequest } from '../../src/messaging';
import App from '../../src/popup/App.svelte';
import { MAX_PAGE_TEXT_CHARS, MAX_PAGE_TEXT_MS, readPageText } from '../../src/popup/lib/page-text';
import type { ActiveTabText, PopupPlatform } from '../../src/popup/platform';
import './style.css';

/**
 * The tab the popup belongs to. Opened from the toolbar (or its shortcut), that is the active tab, and
 * `activeTab` lets the popup read its URL and run a script in it. Opened as a tab of its own, it is the tab the
 * user was on just before. The browser leaves `url` out for a tab Spare has no access to: then there is no
 * current site.
 */
async function activeTab(): Promise<Browser.tabs.Tab | undefined> {
  const own = await browser.tabs.getCurrent();
  if (!own) {
    const [active] = await browser.tabs.query({ active: true, currentWindow: true });
    return active;
  }
  const others = (await browser.tabs.query({ windowId: own.windowId })).filter((tab) => tab.id !== own.id);
  others.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0));
  return others[0];
}

/**
 * "Capture codes from this page": runs `readPageText` once in that tab's top frame and returns its text. The
 * popup does this itself rather than asking the background: the text holds codes, and here it goes from the
 * page straight to the popup's parser and is dropped with the screen; only the codes the user saves travel on
 * (in `add-account` or `replace-codes`). Frames are not read: a page of new codes shows them in its own
 * document, and a frame from another origin is not covered by `activeTab`.
 */
async function readActiveTabText(): Promise<ActiveTabText> {
  const tab = await activeTab();
  if (tab?.id === undefined) return { kind: 'forbidden' };
  try {
    const [frame] = await browser.scripting.executeScript({
      target: { tabId: tab.id },
      func: readPageText,
      args: [MAX_PAGE_TEXT_CHARS, MAX_PAGE_TEXT_MS],
    });
    const result = frame?.result as { text?: unknown; fromSelection?: unknown } | undefined;
    if (typeof result?.text !== 'string') return { kind: 'forbidden' };
    return {
      kind: 'text',
      text: result.text.slice(0, MAX_PAGE_TEXT_CHARS),
      fromSelection: result.fromSelection === true,
    };
  } catch {
    // The browser refuses its own pages, add-on stores and the PDF viewer (and any page without access).
    return { kind: 'forbidden' };
  }
}

const platform: PopupPlatform = {
  request: sendPageRequest,
  requestOrigins: (origins) => browser.permissions.request({ origins }),
  hasOrigins: (origins) => browser.permissions.contains({ origins }),
  requestClipboardRead: () => browser.permissions.request({ permissions: ['clipboardRead'] }),
  activeTabUrl: () =>
    activeTab().then(
      (tab) => tab?.url ?? null,
      () => null,
    ),
  readActiveTabText: () => readActiveTabText(),
  onVaultLocked,
};

mount(App, { target: document.getElementById('app')!, props: { platform } });
