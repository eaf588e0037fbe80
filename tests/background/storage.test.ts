import { openDB } from 'idb';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { SpareError } from '../../src/core/errors';
import { DB_NAME, SCHEMA_VERSION, VaultRepository, upgrade } from '../../src/storage';
import { PASSWORD, caught, codes, fillTarget, newService, resetEnvironment } from './support';

beforeEach(resetEnvironment);

/** Makes the n-th `put` from now on throw `error` synchronously, as a full disk or a broken clone would. */
function failPut(n: number, error: () => Error) {
  const original = IDBObjectStore.prototype.put;
  let calls = 0;
  return vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
    this: IDBObjectStore,
    ...args
  ) {
    calls++;
    if (calls === n) throw error();
    return original.apply(this, args as Parameters<IDBObjectStore['put']>);
  });
}

const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

async function seeded() {
  const service = newService();
  await service.create(PASSWORD);
  const insta = await service.addAccount({ site: 'instagram.com', codes: codes(4) });
  const github = await service.addAccount({ site: 'github.com', codes: codes(2, 10) });
  return { service, insta, github };
}

/** What a fresh start would see: a new service (empty memory) reading the same database. */
async function onDisk() {
  const fresh = newService();
  const accounts = await fresh.snapshot();
  return accounts;
}

describe('schema', () => {
  test('v1 creates the meta and accounts stores, and nothing else', async () => {
    const repo = await VaultRepository.open();
    repo.close();
    const db = await openDB(DB_NAME);
    expect(db.version).toBe(SCHEMA_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['accounts', 'meta']);
    expect(db.transaction('accounts').store.keyPath).toBe('id');
    db.close();
  });

  test('upgrade runs every step from the old version up, and refuses a version it has no step for', () => {
    const created: string[] = [];
    const db = { createObjectStore: (name: string) => created.push(name) };
    upgrade(db as never, 0, 1, {} as never);
    expect(created).toEqual(['meta', 'accounts']);
    created.length = 0;
    upgrade(db as never, 1, 1, {} as never);
    expect(created).toEqual([]);
    expect(() => upgrade(db as never, 1, 2, {} as never)).toThrow(/version 2/);
  });
});

describe('a failed write leaves the previous state intact', () => {
  test('a failure in the middle of a multi-record restore rolls all of it back', async () => {
    const { service } = await seeded();
    const before = await service.snapshot();
    const plain = [
      { site: 'discord.com', codes: codes(2, 100) },
      { site: 'gitlab.com', codes: codes(2, 200) },
      { site: 'example.com', codes: codes(2, 300) },
    ];
    // 'replace' clears the store, then puts three records: the second put fails.
    const spy = failPut(2, () => new Error('simulated I/O failure'));
    expect((await caught(service.restore(plain, 'replace'))).code).toBe('storage-failed');
    spy.mockRestore();
    expect(await service.snapshot()).toEqual(before);
    expect(await onDisk()).toEqual(before);
  });

  test('QuotaExceededError on a reservation becomes quota-exceeded; the code stays unused', async () => {
    const { service, insta } = await seeded();
    const spy = failPut(1, quotaError);
    const error = await caught(service.reserveForFill(fillTarget(1), insta.id));
    expect(error).toBeInstanceOf(SpareError);
    expect(error.code).toBe('quota-exceeded');
    spy.mockRestore();
    expect((await service.getAccount(insta.id)).codes.every((c) => c.state === 'unused')).toBe(true);
    expect((await onDisk()).find((a) => a.id === insta.id)!.codes.every((c) => c.state === 'unused')).toBe(
      true,
    );
    // And the next attempt hands out the same first code.
    expect((await service.reserveForFill(fillTarget(1), insta.id)).codeId).toBe(insta.codes[0]!.id);
  });

  test('after a service-worker restart, a failing settings read fails the operation before its write', async () => {
    await seeded();
    const flaky = newService({
      openRepository: async () => {
        const repo = await VaultRepository.open();
        vi.spyOn(repo, 'readSettings').mockRejectedValueOnce(new SpareError('storage-failed', 'read failed'));
        return repo;
      },
    });
    expect((await caught(flaky.addAccount({ site: 'discord.com', codes: codes(3) }))).code).toBe(
      'storage-failed',
    );
    // Reported as failed, so it must not have happened: the user will try again.
    expect(await flaky.listAccounts()).toHaveLength(2);
    expect(await onDisk()).toHaveLength(2);
  });

  test('a quota failure while adding an account adds nothing', async () => {
    const { service } = await seeded();
    const before = await service.listAccounts();
    const spy = failPut(1, quotaError);
    expect((await caught(service.addAccount({ site: 'discord.com', codes: codes(3) }))).code).toBe(
      'quota-exceeded',
    );
    spy.mockRestore();
    expect(await service.listAccounts()).toEqual(before);
    expect(await onDisk()).toHaveLength(2);
  });

  test('a transaction aborted by the database itself (asynchronous failure) changes nothing', async () => {
    const { service, insta } = await seeded();
    const original = IDBObjectStore.prototype.put;
    // The put is queued, then the transaction aborts with a quota error, the way a browser reports a full disk.
    const spy = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args
    ) {
      const request = original.apply(this, args as Parameters<IDBObjectStore['put']>);
      const tx = this.transaction;
      queueMicrotask(() => {
        try {
          Object.defineProperty(tx, 'error', { value: quotaError(), configurable: true });
          tx.abort();
        } catch {
          // already finished
        }
      });
      return request;
    });
    const error = await caught(service.markCode(insta.id, insta.codes[1]!.id, true));
    spy.mockRestore();
    expect(['quota-exceeded', 'storage-failed']).toContain(error.code);
    expect((await service.getAccount(insta.id)).codes[1]!.state).toBe('unused');
    expect((await onDisk()).find((a) => a.id === insta.id)!.codes[1]!.state).toBe('unused');
  });

  test('code state changes are written with strict durability', async () => {
    const { service, insta } = await seeded();
    const spy = vi.spyOn(IDBDatabase.prototype, 'transaction');
    await service.reserveForFill(fillTarget(1), insta.id);
    const writes = spy.mock.calls.filter(([, mode]) => mode === 'readwrite');
    expect(writes.length).toBeGreaterThan(0);
    for (const call of writes) expect(call[2]).toEqual({ durability: 'strict' });
  });
});
