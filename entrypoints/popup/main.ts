import { mount } from 'svelte';
import { browser } from 'wxt/browser';
import { onVaultLocked, sendPageRequest } from '../../src/messaging';
import App from '../../src/popup/App.svelte';
import type { PopupPlatform } from '../../src/popup/platform';
import './style.css';

const platform: PopupPlatform = {
  request: sendPageRequest,
  requestOrigins: (origins) => browser.permissions.request({ origins }),
  hasOrigins: (origins) => browser.permissions.contains({ origins }),
  requestClipboardRead: () => browser.permissions.request({ permissions: ['clipboardRead'] }),
  onVaultLocked,
};

mount(App, { target: document.getElementById('app')!, props: { platform } });
