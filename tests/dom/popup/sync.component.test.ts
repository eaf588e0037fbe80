/**
 * Issue 11 in the popup: the opt-in "Sync with this browser's account" setting, joining a vault another
 * device synced (in Settings and on first run), and the paused state said on the list and in Settings.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { SpareError } from '../../../src/core/errors';
import type { PageRequest, SyncStatus } from '../../../src/messaging';
import { alerts, button, byId, mountPopup, submit, type, unmountPopup, until } from './support';

afterEach(unmountPopup);

const SYNCED: SyncStatus = { enabled: true, state: 'synced', usedBytes: 12_800, quotaBytes: 102_400 };
const FULL: SyncStatus = {
  enabled: true,
  state: 'paused',
  reason: 'quota',
  retryAt: null,
  usedBytes: 101_000,
  quotaBytes: 102_400,
};
const JOIN_PASSWORD = 'the other device’s master password';

async function openSyncSettings(answer: (request: PageRequest) => unknown) {
  const mounted = mountPopup('unlocked', answer);
  await until(() => mounted.app.screen.name === 'main', 'the list');
  mounted.app.go({ name: 'settings' });
  await until(() => byId('sync-title'), 'settings');
  byId('sync-title')!.click();
  const toggle = await until(
    () => mounted.root.querySelector<HTMLInputElement>('input[type="checkbox"]:not([disabled])'),
    'the sync switch',
  );
  return { ...mounted, toggle };
}

describe('Settings → Sync with this browser’s account', () => {
  test('is off by default, says what is synced and the limit, and turns on', async () => {
    let status: SyncStatus = { enabled: false };
    const { root, toggle, requests } = await openSyncSettings((request) => {
      if (request.type === 'sync-status') return status;
      if (request.type === 'sync-enable') return (status = SYNCED);
      return undefined;
    });
    expect(toggle.checked).toBe(false);
    expect(toggle.getAttribute('aria-describedby')).toBe('sync-what sync-limit');
    expect(byId('sync-what')!.textContent).toContain('only encrypted records');
    expect(byId('sync-limit')!.textContent).toContain('100 KB');
    toggle.click();
    await until(() => root.textContent?.includes('Synced. Uses 13 KB of 100 KB.'), 'the synced state');
    expect(toggle.checked).toBe(true);
    expect(requests.filter((r) => r.type === 'sync-enable')).toEqual([{ type: 'sync-enable' }]);
  });

  test('another device’s vault in sync asks for its password, refuses a wrong one, then joins', async () => {
    const { root, toggle, requests } = await openSyncSettings((request) => {
      if (request.type === 'sync-status') return { enabled: false };
      if (request.type !== 'sync-enable') return undefined;
      if (request.password === undefined) throw new SpareError('sync-other-vault', 'another vault');
      if (request.password !== JOIN_PASSWORD) throw new SpareError('wrong-password', 'wrong');
      return SYNCED;
    });
    toggle.click();
    const field = await until(() => byId('sync-join-password'), 'the join form');
    expect(document.activeElement).toBe(field);
    expect(byId('sync-join-intro')!.textContent).toContain('from another device');
    expect(toggle.checked).toBe(false);

    submit(field.form!);
    await until(() => alerts(root).includes('Enter the master password of the synced vault.'), 'empty');
    type(field, 'not it');
    submit(field.form!);
    await until(() => alerts(root).includes('That is not the master password of the synced vault.'), 'wrong');
    expect(field.getAttribute('aria-invalid')).toBe('true');

    type(field, JOIN_PASSWORD);
    submit(field.form!);
    await until(() => root.textContent?.includes('You joined the synced vault.'), 'joined');
    expect(byId('sync-join-password')).toBeNull();
    expect(toggle.checked).toBe(true);
    expect(requests.filter((r) => r.type === 'sync-enable').at(-1)).toEqual({
      type: 'sync-enable',
      password: JOIN_PASSWORD,
    });
  });

  test('turning sync off says what stays where', async () => {
    const { root, toggle } = await openSyncSettings((request) => {
      if (request.type === 'sync-status') return SYNCED;
      if (request.type === 'sync-disable') return { enabled: false };
      return undefined;
    });
    expect(toggle.checked).toBe(true);
    toggle.click();
    await until(() => root.textContent?.includes('Your vault stays on this device'), 'turned off');
    expect(toggle.checked).toBe(false);
  });
});

describe('a paused sync', () => {
  test('is said on the list and in Settings, with the reason', async () => {
    const mounted = mountPopup('unlocked', (request) => (request.type === 'sync-status' ? FULL : undefined));
    const line = await until(() => mounted.root.querySelector('.sync-paused'), 'the paused line');
    expect(line.textContent).toBe(
      'Sync is paused: the browser’s sync storage is full (99 KB of 100 KB). Spare keeps working on this device. ' +
        'Delete accounts you no longer need, or turn sync off.',
    );
    expect(line.getAttribute('role')).toBe('status');
    mounted.app.go({ name: 'settings' });
    await until(() => byId('sync-title'), 'settings');
    byId('sync-title')!.click();
    await until(() => mounted.root.querySelector('.sync-state.paused'), 'the paused state in settings');
  });

  test('is not mentioned while sync is off or working', async () => {
    for (const status of [{ enabled: false }, SYNCED]) {
      const mounted = mountPopup('unlocked', (request) =>
        request.type === 'sync-status' ? status : undefined,
      );
      await until(() => mounted.root.querySelector('#main-title'), 'the list');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(mounted.root.querySelector('.sync-paused')).toBeNull();
      unmountPopup();
    }
  });
});

describe('first run on a device whose browser already syncs a vault', () => {
  test('offers to use it with its master password, instead of inventing a new one', async () => {
    const { root, app } = mountPopup('no-vault', (request) => {
      if (request.type === 'sync-available') return { available: true };
      if (request.type === 'sync-enable') return SYNCED;
      return undefined;
    });
    const offer = await until(() => button(root, 'Use the vault synced to this browser'), 'the offer');
    offer.click();
    const field = await until(() => byId('sync-join-password'), 'the join form');
    expect(byId('sync-join-intro')!.textContent).toContain('Enter its master password to use it here.');
    type(field, JOIN_PASSWORD);
    submit(field.form!);
    await until(() => app.screen.name === 'main', 'the list');
    expect(app.notice?.text).toBe('You joined the synced vault. Use its master password from now on.');
  });

  test('does not offer it when the browser syncs no vault', async () => {
    const { root } = mountPopup('no-vault', (request) =>
      request.type === 'sync-available' ? { available: false } : undefined,
    );
    await until(() => byId('create-password'), 'create screen');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(button(root, 'Use the vault synced to this browser')).toBeUndefined();
  });
});

describe('the unlock screen after a password change on another device', () => {
  test('says why the vault locked', async () => {
    const { root } = mountPopup('locked', (request) =>
      request.type === 'sync-status'
        ? {
            enabled: true,
            state: 'paused',
            reason: 'password-changed',
            retryAt: null,
            usedBytes: null,
            quotaBytes: 102_400,
          }
        : undefined,
    );
    await until(
      () =>
        root.textContent?.includes(
          'The master password was changed on another device. Unlock Spare with the new password.',
        ),
      'the reason',
    );
  });

  test('says nothing more when sync did not lock it', async () => {
    const { root } = mountPopup('locked', (request) => (request.type === 'sync-status' ? SYNCED : undefined));
    await until(() => byId('unlock-password'), 'the unlock screen');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(root.textContent).not.toContain('another device');
  });
});
