/**
 * Issue 9, focus management: after a screen change focus is inside the new screen, never left on <body>
 * (src/popup/lib/focus.ts), and App does not take focus from where a screen put it.
 */
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, test, vi } from 'vitest';
import App from '../../../src/popup/App.svelte';
import type { AccountSummary } from '../../../src/core/vault/model';
import type { PageRequest } from '../../../src/messaging';
import type { PopupPlatform } from '../../../src/popup/platform';
import { PopupApp } from '../../../src/popup/state/app.svelte';

const account: AccountSummary = {
  id: 'a',
  site: 'github.com',
  left: 10,
  total: 10,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

function platform(): PopupPlatform {
  const answers: Partial<Record<PageRequest['type'], unknown>> = {
    status: { state: 'unlocked' },
    'list-accounts': [account],
    'unreadable-accounts': { count: 0 },
    'get-settings': { autoLockMinutes: 15, lockOnBrowserRestart: true },
  };
  return {
    request: (async (request: PageRequest) => {
      if (!(request.type in answers)) throw new Error(`unexpected request ${request.type}`);
      return answers[request.type];
    }) as PopupPlatform['request'],
    requestOrigins: async () => false,
    requestClipboardRead: async () => false,
    hasOrigins: async () => false,
    onVaultLocked: () => () => undefined,
  };
}

let mounted: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
});

const SCREEN_TIMEOUT = { timeout: 10_000 };

/** Waits until focus has settled inside the screen whose heading reads `title`. */
async function focusSettlesIn(root: HTMLElement, title: string): Promise<Element> {
  await vi.waitFor(() => {
    flushSync();
    const heading = root.querySelector('main h1');
    if (heading?.textContent?.trim() !== title) throw new Error(`screen "${title}" not shown`);
    if (document.activeElement === document.body) throw new Error('focus on <body>');
  }, SCREEN_TIMEOUT);
  return document.activeElement!;
}

describe('focus after a screen change', () => {
  test('lands inside the new screen, not on <body>, on the list and on Settings', async () => {
    const target = document.createElement('div');
    document.body.append(target);
    const app = new PopupApp(platform());
    mounted = mount(App, { target, props: { platform: app.platform, app } });

    const onList = await focusSettlesIn(target, 'Accounts');
    expect(target.querySelector('main')!.contains(onList)).toBe(true);

    // Settings from the header: the button that had focus is gone with the screen change.
    const settingsButton = Array.from(target.querySelectorAll('button')).find(
      (b) => b.textContent?.trim() === 'Settings',
    )!;
    settingsButton.focus();
    settingsButton.click();
    const onSettings = await focusSettlesIn(target, 'Settings');
    expect(onSettings).not.toBe(document.body);
    expect(target.querySelector('main')!.contains(onSettings)).toBe(true);
  }, 30_000);

  test('leaves focus where a screen put it', async () => {
    const target = document.createElement('div');
    document.body.append(target);
    const app = new PopupApp(platform());
    mounted = mount(App, { target, props: { platform: app.platform, app } });
    await focusSettlesIn(target, 'Accounts');

    app.go({ name: 'add' });
    // Add account focuses its first field itself; App's fallback (the heading) must not take it away.
    await vi.waitFor(() => {
      flushSync();
      expect((document.activeElement as HTMLElement | null)?.id).toBeTruthy();
      expect(document.activeElement?.tagName).toBe('INPUT');
    }, SCREEN_TIMEOUT);
    await new Promise((r) => setTimeout(r, 50));
    expect(document.activeElement?.tagName).toBe('INPUT');
  }, 30_000);
});
