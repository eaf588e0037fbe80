import { mount } from 'svelte';
import { browser } from 'wxt/browser';
import { onVaultLocked, sendPageRequest } from '../../src/messaging';
import App from '../../src/popup/App.svelte';
import type { PopupPlatform } from '../../src/popup/platform';
import './style.css';

/**
 * The URL of the tab the popup belongs to. Opened from the toolbar (or its shortcut), that is the active tab,
 * and `activeTab` lets the popup read its URL. Opened as a tab of its own, it is the tab the user was on just
 * before. The browser leaves `url` out for a tab Spare has no access to: then there is no current site.
 */
async function activeTabUrl(): Promise<string | null> {
  const own = await browser.tabs.getCurrent();
  if (!own) {
    const [active] = await browser.tabs.query({ active: true, currentWindow: true });
    return active?.url ?? null;
  }
  const others = (await browser.tabs.query({ windowId: own.windowId })).filter((tab) => tab.id !== own.id);
  others.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0));
  return others[0]?.url ?? null;
}

const platform: PopupPlatform = {
  request: sendPageRequest,
  requestOrigins: (origins) => browser.permissions.request({ origins }),
  hasOrigins: (origins) => browser.permissions.contains({ origins }),
  requestClipboardRead: () => browser.permissions.request({ permissions: ['clipboardRead'] }),
  activeTabUrl: () => activeTabUrl().catch(() => null),
  onVaultLocked,
};

mount(App, { target: document.getElementById('app')!, props: { platform } });
