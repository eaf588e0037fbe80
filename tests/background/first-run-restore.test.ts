/**
 * Issue 9, "No restore at first run": on a new machine the first-run screen restores a backup file with the
 * backup's own password, and the vault is created from it. A wrong password, a damaged file or a file the
 * vault cannot hold leaves no vault at all, so the user can simply try again (or create an empty one).
 */
import { beforeEach, describe, expect, test, vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { wireBackground } from '../../src/background';
import { createBackupCodec } from '../../src/background/backup';
import { encryptBackup, type PlainVault } from '../../src/core/backup';
import type { PageRequest, PageResponses } from '../../src/messaging';
import { VaultRepository } from '../../src/storage';
import { EXTENSION_BASE, EXTENSION_ID, cheapKdf, newService, resetEnvironment } from './support';

const BACKUP_PASSWORD = 'pebble harbour violet cedar';
const popup = { id: EXTENSION_ID, url: `${EXTENSION_BASE}popup.html` } as Browser.runtime.MessageSender;

async function ask<R extends PageRequest>(request: R): Promise<PageResponses[R['type']]> {
  const [answer] = (await fakeBrowser.runtime.onMessage.trigger(request, popup)) as unknown as [
    { ok: true; value: PageResponses[R['type']] } | { ok: false; error: { code: string } },
  ];
  if (!answer.ok) throw Object.assign(new Error(answer.error.code), { code: answer.error.code });
  return answer.value;
}

async function refused(request: PageRequest): Promise<string> {
  try {
    await ask(request);
  } catch (error) {
    return (error as { code: string }).code;
  }
  throw new Error('expected the request to be refused');
}

const plain = (accounts: PlainVault['accounts']): PlainVault => ({
  format: 'spare-plain',
  version: 1,
  accounts,
});

const BACKUP = plain([
  {
    site: 'instagram.com',
    label: 'alice',
    codes: [
      { code: '1234 5678', used: false },
      { code: '2345 6789', used: true, usedAt: '2026-11-20T10:00:00Z' },
    ],
  },
  { site: 'github.com', codes: [{ code: 'a1b2c-d3e4f', used: false }] },
]);

let service: ReturnType<typeof newService>;

beforeEach(() => {
  resetEnvironment();
  vi.spyOn(fakeBrowser.idle.onStateChanged, 'addListener').mockImplementation(() => undefined);
  service = newService();
  wireBackground({ service, codec: createBackupCodec(cheapKdf) });
});

async function noVaultOnDisk(): Promise<void> {
  expect((await ask({ type: 'status' })).state).toBe('no-vault');
  const repo = await VaultRepository.open();
  expect(await repo.readHeader()).toBeUndefined();
  expect(await repo.readAccounts()).toEqual([]);
  repo.close();
}

describe('a vault created from a backup file', () => {
  test('holds the backup’s accounts and opens with the backup’s password', async () => {
    const text = await encryptBackup(BACKUP, BACKUP_PASSWORD, cheapKdf());
    const answer = await ask({ type: 'create-vault-from-backup', text, password: BACKUP_PASSWORD });
    expect(answer).toEqual({
      state: 'unlocked',
      result: { accountsAdded: 2, accountsUpdated: 0, codesAdded: 3 },
    });
    const expected = [
      { site: 'github.com', left: 1, total: 1 },
      { site: 'instagram.com', label: 'alice', left: 1, total: 2 },
    ];
    expect(await ask({ type: 'list-accounts' })).toMatchObject(expected);

    await ask({ type: 'lock' });
    expect(await refused({ type: 'unlock', password: 'not the backup password' })).toBe('wrong-password');
    await ask({ type: 'unlock', password: BACKUP_PASSWORD });
    expect(await ask({ type: 'list-accounts' })).toMatchObject(expected);
  });

  test('a wrong password leaves no vault behind', async () => {
    const text = await encryptBackup(BACKUP, BACKUP_PASSWORD, cheapKdf());
    expect(await refused({ type: 'create-vault-from-backup', text, password: 'wrong password' })).toBe(
      'wrong-password',
    );
    await noVaultOnDisk();
  });

  test('a damaged, cut-short or foreign file leaves no vault behind', async () => {
    const text = await encryptBackup(BACKUP, BACKUP_PASSWORD, cheapKdf());
    const flipped = text.replace(/"ct":"(.)/, (_, c: string) => `"ct":"${c === 'A' ? 'B' : 'A'}`);
    for (const damaged of [flipped, text.slice(0, text.length / 2), '{"format":"something-else"}']) {
      const code = await refused({
        type: 'create-vault-from-backup',
        text: damaged,
        password: BACKUP_PASSWORD,
      });
      expect(code).toMatch(/^backup-|^wrong-password$/);
      await noVaultOnDisk();
    }
  });

  test('a backup with an account Spare cannot hold leaves no vault behind (not half of it)', async () => {
    const bad = plain([
      { site: 'discord.com', codes: [{ code: '1111 2222', used: false }] },
      { site: 'https://not a domain', codes: [{ code: '3333 4444', used: false }] },
    ]);
    const text = await encryptBackup(bad, BACKUP_PASSWORD, cheapKdf());
    expect(await refused({ type: 'create-vault-from-backup', text, password: BACKUP_PASSWORD })).toBe(
      'invalid-input',
    );
    await noVaultOnDisk();
    // …and the first-run screen still works afterwards.
    await ask({ type: 'create-vault', password: BACKUP_PASSWORD });
    expect(await ask({ type: 'list-accounts' })).toEqual([]);
  });

  test('is refused when a vault exists, which stays as it was', async () => {
    await ask({ type: 'create-vault', password: 'the existing vault password' });
    await ask({
      type: 'add-account',
      account: { site: 'gitlab.com', codes: [{ value: '9999 8888' }] },
    });
    const text = await encryptBackup(BACKUP, BACKUP_PASSWORD, cheapKdf());
    expect(await refused({ type: 'create-vault-from-backup', text, password: BACKUP_PASSWORD })).toBe(
      'vault-exists',
    );
    expect(await ask({ type: 'list-accounts' })).toMatchObject([{ site: 'gitlab.com' }]);
  });
});
