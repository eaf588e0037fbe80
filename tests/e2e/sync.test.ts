/**
 * Issue 11 end to end, in each browser: two profiles with sync on. No browser account can sign in here, so
 * the test carries one profile's `storage.sync` to the other (with the change events the browser fires), as
 * the browser's sync engine would.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SyncStatus } from '../../src/messaging';
import { PopupPage } from './pages/popup-page';
import { BROWSERS, type ExtensionBrowser } from './support/browsers';
import { findSecret } from './support/find-secrets';
import { LabPage } from './support/lab';

const PASSWORD = 'harbor-lantern-quiet-58';
const NEW_PASSWORD = 'violet-meadow-brass-31';
const INSTAGRAM = ['1234 5678', '2345 6789', '3456 7890', '4567 8901', '5678 9012'];
const GITHUB = ['4283f-efc63', 'f0cd0-e873a', '0000c-6d07e'];

interface Profile {
  browser: ExtensionBrowser;
  lab: LabPage;
  popup: PopupPage;
}

/** Waits until the profile's pending changes reached its `storage.sync` (the write is debounced by 2 s). */
async function synced(profile: Profile): Promise<SyncStatus> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = await profile.lab.request({ type: 'sync-status' });
    if (status.enabled && status.state !== 'pending') return status;
    if (Date.now() > deadline) throw new Error(`sync still ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** What the browser's sync engine does: `to` receives everything `from` pushed. */
async function carry(from: Profile, to: Profile): Promise<void> {
  await synced(from);
  await to.lab.replaceSyncItems(await from.lab.syncItems());
}

async function left(profile: Profile, site: string): Promise<string> {
  await profile.popup.reload();
  await profile.popup.page.waitFor({ role: 'button', name: 'Add account' }, 30_000);
  return profile.popup.accountText(site);
}

async function accountsOf(profile: Profile) {
  const list = await profile.lab.request({ type: 'list-accounts' });
  return list.map((a) => `${a.site} ${a.left}/${a.total}`).sort();
}

describe.each(BROWSERS)('sync between two profiles in $name', ({ launch }) => {
  let a: Profile;
  let b: Profile;

  const open = async (): Promise<Profile> => {
    const browser = await launch();
    return { browser, lab: await LabPage.open(browser), popup: await PopupPage.open(browser) };
  };

  beforeAll(async () => {
    a = await open();
    b = await open();
  });
  afterAll(async () => {
    await a?.browser.close();
    await b?.browser.close();
  });

  test('sync is turned on in A; B uses the synced vault on first run; an account added on A appears on B', async () => {
    await a.popup.createVault(PASSWORD);
    await a.popup.addAccount('instagram.com', 'alice', INSTAGRAM.join('\n'));
    await a.popup.openSettings();
    await a.popup.openSettingsSection('Sync with this browser’s account');
    await a.popup.page.click({ role: 'checkbox', name: 'Sync with this browser’s account' });
    await a.popup.page.waitForText('Sync is on.');
    await a.popup.page.waitForText('Synced.', 30_000);

    await carry(a, b);
    await b.popup.reload();
    await b.popup.page.click({ role: 'button', name: 'Use the vault synced to this browser' });
    await b.popup.page.type({ role: 'textbox', name: 'Master password of the synced vault' }, PASSWORD);
    await b.popup.page.click({ role: 'button', name: 'Join' });
    await b.popup.page.waitFor({ role: 'button', name: 'Add account' }, 30_000);
    expect(await b.popup.accountText('instagram.com')).toContain('5 of 5 left');

    await a.lab.request({
      type: 'add-account',
      account: { site: 'github.com', codes: GITHUB.map((value) => ({ value })) },
    });
    await carry(a, b);
    expect(await left(b, 'github.com')).toContain('3 of 3 left');
  });

  test('a code used on B is crossed off on A', async () => {
    await b.popup.openAccount('instagram.com');
    await b.popup.markCode(1, true);
    await carry(b, a);
    expect(await left(a, 'instagram.com')).toContain('4 of 5 left');
  });

  test('concurrent changes on both profiles converge, and every use stays', async () => {
    const insta = (await a.lab.request({ type: 'list-accounts' })).find((x) => x.site === 'instagram.com')!;
    const onA = await a.lab.request({ type: 'get-account', accountId: insta.id });
    const unused = onA.codes.filter((c) => c.state === 'unused');
    // Each profile uses a different code and edits a different field, before either hears of the other.
    await a.lab.request({ type: 'mark-code', accountId: insta.id, codeId: unused[0]!.id, used: true });
    await a.lab.request({ type: 'update-account', accountId: insta.id, changes: { label: 'alice-work' } });
    await b.lab.request({ type: 'mark-code', accountId: insta.id, codeId: unused[1]!.id, used: true });
    await b.lab.request({
      type: 'update-account',
      accountId: insta.id,
      changes: { note: 'phone in drawer' },
    });
    await synced(a);
    await synced(b);
    await carry(a, b);
    await carry(b, a);
    await carry(a, b);
    expect(await accountsOf(a)).toEqual(['github.com 3/3', 'instagram.com 2/5']);
    expect(await accountsOf(b)).toEqual(await accountsOf(a));
    const merged = await b.lab.request({ type: 'get-account', accountId: insta.id });
    expect({ label: merged.label, note: merged.note }).toEqual({
      label: 'alice-work',
      note: 'phone in drawer',
    });
  });

  test('a password changed on A: B is told to unlock again, opens with the new password, loses nothing', async () => {
    await a.lab.request({ type: 'change-password', oldPassword: PASSWORD, newPassword: NEW_PASSWORD });
    await carry(a, b);
    const deadline = Date.now() + 15_000;
    while ((await b.lab.request({ type: 'status' })).state !== 'locked') {
      if (Date.now() > deadline) throw new Error('B did not lock');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await b.popup.reload();
    await b.popup.page.waitForText('The master password was changed on another device.', 15_000);
    await b.popup.submitUnlock(PASSWORD);
    await b.popup.page.waitFor({ role: 'alert', name: 'Wrong password. Try again.' }, 30_000);
    await b.popup.unlock(NEW_PASSWORD);
    expect(await accountsOf(b)).toEqual(['github.com 3/3', 'instagram.com 2/5']);
  });

  test('a full sync quota shows the paused state, and local use goes on', async () => {
    await a.lab.fillSyncQuota(300);
    await a.lab.request({
      type: 'add-account',
      account: { site: 'discord.com', codes: ['qz8k-1m3x', 'p2v7-9wd4'].map((value) => ({ value })) },
    });
    const status = await synced(a);
    expect(status).toMatchObject({ state: 'paused', reason: 'quota' });
    await a.popup.reload();
    await a.popup.page.waitForText('Sync is paused: the browser’s sync storage is full', 15_000);
    expect(await a.popup.accountText('discord.com')).toContain('2 of 2 left');
    await a.popup.openAccount('discord.com');
    await a.popup.markCode(1, true);
  });

  test('after all of it, no storage area of either profile (storage.sync included) holds anything readable', async () => {
    const secrets = [
      PASSWORD,
      NEW_PASSWORD,
      'instagram',
      'github.com',
      'discord',
      'alice',
      'phone in drawer',
      ...[...INSTAGRAM, ...GITHUB, 'qz8k-1m3x'].flatMap((c) => [c, c.replace(/[\s-]/g, '')]),
    ];
    for (const profile of [a, b]) {
      const dump = await profile.lab.dumpStorage();
      expect(Object.keys(await profile.lab.syncItems()).some((key) => key.startsWith('~r'))).toBe(true);
      const leaks = secrets.flatMap((secret) => findSecret(dump, secret).map((hit) => `${secret} in ${hit}`));
      expect(leaks).toEqual([]);
    }
  });
});
