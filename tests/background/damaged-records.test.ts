/**
 * Issue 8, finding 2: one damaged record must not lock the whole vault. A record that cannot be opened is set
 * aside (kept in storage exactly as it is, never rewritten or deleted) and reported; the rest of the vault
 * opens and exports. Damage to the header or its key check still refuses, with a message that says so.
 */
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { wireBackground } from '../../src/background';
import { accountsToPlain, type BackupCodec } from '../../src/background/backup';
import type { PlainVault } from '../../src/core/backup';
import { VaultRepository, type SealedRecord, type VaultHeader } from '../../src/storage';
import { PASSWORD, caught, codes, newService, popupSender, resetEnvironment, send, value } from './support';

const ACCOUNTS = 20;

/** Keeps the plain vault instead of encrypting it: the test reads what the export would contain. */
const plainCodec: BackupCodec = {
  encrypt: async (plain) => JSON.stringify(plain),
  decrypt: async (text) => JSON.parse(text) as PlainVault,
};

async function withRepo<T>(run: (repo: VaultRepository) => Promise<T>): Promise<T> {
  const repo = await VaultRepository.open();
  try {
    return await run(repo);
  } finally {
    repo.close();
  }
}

async function storedRecord(id: string): Promise<SealedRecord | undefined> {
  return withRepo(async (repo) => (await repo.readAccounts()).find((r) => r.id === id));
}

/** Flips one bit of one byte of a record's ciphertext (which byte depends on `seed`), as disk rot would. */
async function damageRecord(id: string, seed = 0): Promise<SealedRecord> {
  return withRepo(async (repo) => {
    const record = (await repo.readAccounts()).find((r) => r.id === id)!;
    const ct = new Uint8Array(record.sealed.ct);
    ct[(seed * 37 + 5) % ct.length]! ^= 0x01;
    const damaged = { id, sealed: { iv: record.sealed.iv, ct } };
    await repo.writeAccounts({ put: [damaged] });
    return damaged;
  });
}

async function damageHeader(change: (header: VaultHeader) => VaultHeader): Promise<void> {
  await withRepo(async (repo) => {
    const header = (await repo.readHeader())!;
    await repo.writeHeader(change(structuredClone(header)), header.vaultId);
  });
}

function flipped(bytes: Uint8Array, at = 3): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[at % copy.length]! ^= 0x80;
  return copy;
}

let warnings: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  resetEnvironment();
  // Unlock logs how many records it set aside (never what is in them); keep the test output quiet.
  warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

let pristine: { header: VaultHeader; records: SealedRecord[]; ids: string[] } | null = null;

/**
 * A locked vault of 20 accounts (site-00.com … site-19.com), each with two codes. Built once through the
 * service, then copied record for record into each test's fresh database (the KDF is the slow part).
 */
async function twentyAccountVault(): Promise<{ ids: string[] }> {
  if (!pristine) {
    const service = newService();
    await service.create(PASSWORD);
    const ids: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const site = `site-${String(i).padStart(2, '0')}.com`;
      ids.push((await service.addAccount({ site, label: `user${i}`, codes: codes(2, i * 10) })).id);
    }
    await service.lock();
    const [header, records] = await withRepo(
      async (repo) => [(await repo.readHeader())!, await repo.readAccounts()] as const,
    );
    pristine = { header, records, ids };
    return { ids };
  }
  const { header, records, ids } = pristine;
  await withRepo(async (repo) => {
    await repo.createVault(structuredClone(header));
    await repo.writeAccounts({ put: structuredClone(records) });
  });
  return { ids };
}

describe('a damaged account record', () => {
  test.each(Array.from({ length: ACCOUNTS }, (_, i) => i))(
    'record %i of 20 damaged: the vault opens with 19, the damaged one set aside as it is, export has 19',
    async (damagedIndex) => {
      const { ids } = await twentyAccountVault();
      const damagedId = ids[damagedIndex]!;
      const damaged = await damageRecord(damagedId, damagedIndex);

      const service = newService();
      await service.unlock(PASSWORD);

      const listed = await service.listAccounts();
      expect(listed).toHaveLength(ACCOUNTS - 1);
      expect(listed.map((a) => a.id)).not.toContain(damagedId);
      expect(await service.unreadableAccounts()).toEqual([damagedId]);
      expect(await storedRecord(damagedId)).toEqual(damaged);

      // What an export writes (the handler adds only the password check, covered below, and encryption).
      const plain = accountsToPlain(await service.snapshot());
      expect(plain.accounts).toHaveLength(ACCOUNTS - 1);
      expect(plain.accounts.map((a) => a.site)).not.toContain(
        `site-${String(damagedIndex).padStart(2, '0')}.com`,
      );
      expect(await storedRecord(damagedId)).toEqual(damaged);
      expect(JSON.stringify(warnings.mock.calls)).not.toMatch(/site-\d\d\.com|user\d|1000/);
    },
  );

  test('the count covers every damaged record, and a service-worker restart sets them aside too', async () => {
    const { ids } = await twentyAccountVault();
    for (const i of [2, 9, 17]) await damageRecord(ids[i]!, i);
    await newService().unlock(PASSWORD);

    const restarted = newService(); // rebuilt from the key in storage.session
    expect(await restarted.listAccounts()).toHaveLength(ACCOUNTS - 3);
    expect((await restarted.unreadableAccounts()).sort()).toEqual([ids[2], ids[9], ids[17]].sort());
    const plain = await restarted.snapshot();
    expect(plain).toHaveLength(ACCOUNTS - 3);
  });

  test('a record that opens but is not the account its id names is set aside too', async () => {
    const { ids } = await twentyAccountVault();
    // Another record's sealed bytes under this id: authentic ciphertext, but its AAD names the other id.
    const swapped = await withRepo(async (repo) => {
      const records = await repo.readAccounts();
      const other = records.find((r) => r.id === ids[1])!;
      const record = { id: ids[0]!, sealed: other.sealed };
      await repo.writeAccounts({ put: [record] });
      return record;
    });
    const service = newService();
    await service.unlock(PASSWORD);
    expect(await service.unreadableAccounts()).toEqual([ids[0]]);
    expect(await service.listAccounts()).toHaveLength(ACCOUNTS - 1);
    expect(await storedRecord(ids[0]!)).toEqual(swapped);
  });

  test('later writes, a password change and restores (merge and replace) keep it byte for byte', async () => {
    const { ids } = await twentyAccountVault();
    const damaged = await damageRecord(ids[4]!, 4);
    const service = newService();
    await service.unlock(PASSWORD);

    const added = await service.addAccount({ site: 'github.com', codes: [{ value: 'abcde-12345' }] });
    const first = await service.getAccount(ids[0]!);
    await service.markCode(first.id, first.codes[0]!.id, true);
    await service.deleteAccount(ids[1]!);
    await service.restore([{ site: 'discord.com', codes: codes(2, 900) }], 'merge');
    expect(await storedRecord(ids[4]!)).toEqual(damaged);

    // A 'replace' replaces the accounts Spare can read; the one it cannot read was never shown, so it stays.
    await service.restore([{ site: 'gitlab.com', codes: codes(2, 950) }], 'replace');
    expect((await service.listAccounts()).map((a) => a.site)).toEqual(['gitlab.com']);
    expect(await storedRecord(ids[4]!)).toEqual(damaged);
    expect(await storedRecord(added.id)).toBeUndefined();

    // A password change re-wraps the data key only: the damaged record stays as it is, and stays
    // recognisable as unreadable (it still fails to authenticate under the same data key).
    await service.changePassword(PASSWORD, 'a brand new master password');
    await service.lock();
    await service.unlock('a brand new master password');
    expect(await storedRecord(ids[4]!)).toEqual(damaged);
    expect(await service.unreadableAccounts()).toEqual([ids[4]]);
    expect(await service.listAccounts()).toHaveLength(1);
  });

  test('the popup can ask how many accounts could not be read; exports say how many were left out', async () => {
    vi.spyOn(fakeBrowser.idle.onStateChanged, 'addListener').mockImplementation(() => undefined);
    const { ids } = await twentyAccountVault();
    await damageRecord(ids[0]!);
    await damageRecord(ids[7]!, 7);
    wireBackground({ service: newService(), codec: plainCodec });
    expect(await value({ type: 'unlock', password: PASSWORD }, popupSender)).toEqual({ state: 'unlocked' });
    expect(await value({ type: 'unreadable-accounts' }, popupSender)).toEqual({ count: 2 });
    const sheet = await value<{ accounts: unknown[]; unreadable: number }>(
      { type: 'export-plain', password: PASSWORD },
      popupSender,
    );
    expect(sheet.accounts).toHaveLength(ACCOUNTS - 2);
    expect(sheet.unreadable).toBe(2);
    const backup = await value<{ text: string; unreadable: number }>(
      { type: 'export-backup', password: PASSWORD },
      popupSender,
    );
    expect((JSON.parse(backup.text) as PlainVault).accounts).toHaveLength(ACCOUNTS - 2);
    expect(backup.unreadable).toBe(2);
    await value({ type: 'lock' }, popupSender);
    expect(await send({ type: 'unreadable-accounts' }, popupSender)).toMatchObject({
      ok: false,
      error: { code: 'vault-locked' },
    });
  });
});

describe('a damaged header or key check', () => {
  test('a damaged key check refuses the right password as damage, not as a wrong password', async () => {
    await twentyAccountVault();
    await damageHeader((h) => ({ ...h, keyCheck: { ...h.keyCheck, ct: flipped(h.keyCheck.ct) } }));
    const before = await withRepo(async (repo) => [await repo.readHeader(), await repo.readAccounts()]);

    const service = newService();
    const error = await caught(service.unlock(PASSWORD));
    expect(error.code).toBe('vault-damaged');
    expect(error.message).toMatch(/password is right/i);
    expect(error.message).not.toMatch(/wrong password/i);
    expect(await service.status()).toBe('locked');
    // A wrong password is still a wrong password.
    expect((await caught(service.unlock('not the password'))).code).toBe('wrong-password');
    expect(await withRepo(async (repo) => [await repo.readHeader(), await repo.readAccounts()])).toEqual(
      before,
    );
  });

  test('a header whose parts are missing or malformed is damage, found before any key derivation', async () => {
    await twentyAccountVault();
    await damageHeader((h) => ({
      ...h,
      wrappedKey: { iv: h.wrappedKey.iv.slice(0, 5), ct: h.wrappedKey.ct },
    }));
    const error = await caught(newService().unlock(PASSWORD));
    expect(error.code).toBe('vault-damaged');
    expect(error.message).not.toMatch(/wrong password/i);

    await damageHeader((h) => {
      const { keyCheck: _gone, ...rest } = h;
      return rest as VaultHeader;
    });
    expect((await caught(newService().unlock(PASSWORD))).code).toBe('vault-damaged');
  });

  test.each([
    [
      'the wrapped data key',
      (h: VaultHeader) => ({ ...h, wrappedKey: { ...h.wrappedKey, ct: flipped(h.wrappedKey.ct) } }),
    ],
    ['the salt', (h: VaultHeader) => ({ ...h, kdf: { ...h.kdf, salt: flipped(h.kdf.salt) } })],
    [
      'the vault id',
      (h: VaultHeader) => ({
        ...h,
        vaultId: `${h.vaultId.slice(0, -1)}${h.vaultId.endsWith('A') ? 'B' : 'A'}`,
      }),
    ],
  ])(
    'damage to %s cannot be told from a wrong password: refused, and the message admits both',
    async (_part, change) => {
      await twentyAccountVault();
      await damageHeader(change);
      const error = await caught(newService().unlock(PASSWORD));
      expect(error.code).toBe('wrong-password');
      expect(error.message).toMatch(/damaged/i);
    },
  );
});
