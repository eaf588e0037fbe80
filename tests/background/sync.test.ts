/**
 * Sync between two devices (issue 11), in the background tier: two vault services, each with its own
 * IndexedDB and its own `storage.sync`, and the test carrying one device's sync area to the other with the
 * change events, as the browser's sync engine would.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { SyncEngine, type SyncArea } from '../../src/background/sync';
import { VaultService } from '../../src/background/vault-service';
import type { SessionKeyStore } from '../../src/background/session-key';
import { VaultRepository } from '../../src/storage';
import { SYNC_QUOTA_BYTES } from '../../src/core/sync/limits';
import { accountsToPlain, createBackupCodec, plainToAccounts } from '../../src/background/backup';
import { PASSWORD, caught, cheapKdf, codes, resetEnvironment } from './support';

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const NEW_PASSWORD = 'a new and longer master password';

class MemoryArea implements SyncArea {
  items: Record<string, string> = {};
  writes = 0;
  failNext: Error | null = null;
  async get() {
    return structuredClone(this.items);
  }
  async set(items: Record<string, string>) {
    this.writes++;
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = null;
      throw error;
    }
    Object.assign(this.items, items);
  }
  async remove(keys: string[]) {
    this.writes++;
    for (const key of keys) delete this.items[key];
  }
}

function memoryKeyStore(): SessionKeyStore {
  let raw: Uint8Array | null = null;
  return {
    get: async () => (raw ? raw.slice() : null),
    set: async (bytes) => void (raw = bytes.slice()),
    clear: async () => void (raw = null),
  };
}

class Device {
  readonly area = new MemoryArea();
  now = T0;
  readonly service: VaultService;
  readonly engine: SyncEngine;
  constructor(readonly name: string) {
    this.service = new VaultService({
      keyStore: memoryKeyStore(),
      newKdfParams: cheapKdf,
      openRepository: () => VaultRepository.open(`spare-${name}`),
      now: () => new Date(this.now),
    });
    this.engine = new SyncEngine({ vault: this.service, area: this.area, now: () => this.now });
    this.service.addChangeListener(() => void this.engine.vaultChanged());
    this.service.addLockListener(() => this.engine.vaultLocked());
  }

  /** Lets the debounce pass and the write go out. */
  async push(): Promise<void> {
    await this.engine.settled();
    this.now += 11_000;
    await this.engine.wake();
    await this.engine.settled();
  }

  async accounts() {
    return this.service.listAccounts();
  }
}

/** What the browser's sync engine does: the other profile's area becomes this one's, with change events. */
async function carry(from: Device, to: Device): Promise<void> {
  const changes: Record<string, { newValue?: unknown }> = {};
  for (const [key, value] of Object.entries(from.area.items)) {
    if (to.area.items[key] !== value) changes[key] = { newValue: value };
  }
  for (const key of Object.keys(to.area.items)) if (!(key in from.area.items)) changes[key] = {};
  to.area.items = structuredClone(from.area.items);
  await to.engine.areaChanged(changes);
  await to.engine.settled();
}

const summary = (accounts: { site: string; label?: string; left: number; total: number }[]) =>
  accounts.map((a) => `${a.site}/${a.label ?? ''} ${a.left}/${a.total}`).sort();

async function twoSyncedDevices() {
  const a = new Device('A');
  const b = new Device('B');
  a.now = b.now = T0;
  await a.service.create(PASSWORD);
  await a.service.addAccount({ site: 'instagram.com', label: 'alice.liddell', codes: codes(5) });
  await a.engine.enable();
  await a.push();
  // B has its own vault with its own account, then joins A's with A's password.
  await b.service.create('b-only password, long enough');
  await b.service.addAccount({ site: 'github.com', codes: codes(3, 100) });
  b.area.items = structuredClone(a.area.items);
  expect((await caught(b.engine.enable())).code).toBe('sync-other-vault');
  await b.engine.enable(PASSWORD);
  await b.push();
  await carry(b, a);
  await a.push();
  return { a, b };
}

beforeEach(resetEnvironment);

describe('sync between two devices', () => {
  test('an account added on A appears on B, and B joining adds its own accounts to the shared vault', async () => {
    const { a, b } = await twoSyncedDevices();
    expect(summary(await b.accounts())).toEqual(['github.com/ 3/3', 'instagram.com/alice.liddell 5/5']);
    expect(summary(await a.accounts())).toEqual(summary(await b.accounts()));
    await a.service.addAccount({ site: 'google.com', codes: codes(10, 200) });
    await a.push();
    await carry(a, b);
    expect(summary(await b.accounts())).toContain('google.com/ 10/10');
    // B now opens with A's master password: there is one vault.
    await b.service.lock();
    expect((await caught(b.service.unlock('b-only password, long enough'))).code).toBe('wrong-password');
    await b.service.unlock(PASSWORD);
    expect(await b.accounts()).toHaveLength(3);
  });

  test('a code used on B is crossed off on A', async () => {
    const { a, b } = await twoSyncedDevices();
    const id = (await b.accounts()).find((x) => x.site === 'instagram.com')!.id;
    const code = (await b.service.getAccount(id)).codes[0]!;
    await b.service.markCode(id, code.id, true);
    await b.push();
    await carry(b, a);
    const onA = await a.service.getAccount(id);
    expect(onA.codes.find((c) => c.id === code.id)!.state).toBe('used');
    expect(summary(await a.accounts())).toContain('instagram.com/alice.liddell 4/5');
  });

  test('concurrent edits on both devices converge, and a used code stays used', async () => {
    const { a, b } = await twoSyncedDevices();
    const id = (await a.accounts()).find((x) => x.site === 'instagram.com')!.id;
    const [first, second] = (await a.service.getAccount(id)).codes;
    // B's clock runs 10 minutes behind; both edit different fields, and both use a code.
    b.now = a.now - 10 * 60_000;
    await a.service.updateAccount(id, { label: 'work' });
    await a.service.markCode(id, first!.id, true);
    await b.service.updateAccount(id, { note: 'phone in drawer' });
    await b.service.markCode(id, second!.id, true);
    await a.push();
    await b.push();
    await carry(a, b);
    await b.push();
    await carry(b, a);
    await a.push();
    await carry(a, b);
    const onA = await a.service.getAccount(id);
    const onB = await b.service.getAccount(id);
    expect(onA.label).toBe('work');
    expect(onA.note).toBe('phone in drawer');
    expect({ label: onB.label, note: onB.note }).toEqual({ label: onA.label, note: onA.note });
    const states = (x: typeof onA) => x.codes.map((c) => c.state);
    expect(states(onA)).toEqual(states(onB));
    expect(states(onA).filter((s) => s === 'used')).toHaveLength(2);
  });

  test('a password changed on A locks B, which unlocks with the new one and loses nothing', async () => {
    const { a, b } = await twoSyncedDevices();
    const before = summary(await b.accounts());
    await a.service.changePassword(PASSWORD, NEW_PASSWORD);
    await a.push();
    await carry(a, b);
    expect(await b.service.status()).toBe('locked');
    expect(await b.engine.status()).toMatchObject({ state: 'paused', reason: 'password-changed' });
    expect((await caught(b.service.unlock(PASSWORD))).code).toBe('wrong-password');
    await b.service.unlock(NEW_PASSWORD);
    await b.engine.settled();
    expect(summary(await b.accounts())).toEqual(before);
    expect(await b.engine.status()).toMatchObject({ enabled: true });
    expect(await b.engine.status()).not.toMatchObject({ reason: 'password-changed' });
  });

  test('a full sync quota pauses sync with the reason; local use goes on and resumes when there is room', async () => {
    const { a } = await twoSyncedDevices();
    // Another extension's (or Spare's future) data fills the area.
    a.area.items.filler = 'x'.repeat(SYNC_QUOTA_BYTES - 2_000);
    const id = (await a.accounts()).find((x) => x.site === 'instagram.com')!.id;
    const code = (await a.service.getAccount(id)).codes[0]!;
    await a.service.markCode(id, code.id, true);
    await a.push();
    expect(await a.engine.status()).toMatchObject({ enabled: true, state: 'paused', reason: 'quota' });
    expect(summary(await a.accounts())).toContain('instagram.com/alice.liddell 4/5');
    const writes = a.area.writes;
    await a.push();
    expect(a.area.writes).toBe(writes);
    delete a.area.items.filler;
    await a.engine.areaChanged({ filler: {} });
    await a.push();
    expect(await a.engine.status()).toMatchObject({ state: 'synced' });
  });

  test('a failed write backs off and is retried without losing the change', async () => {
    const { a, b } = await twoSyncedDevices();
    await a.service.addAccount({ site: 'discord.com', codes: codes(2, 300) });
    a.area.failNext = new Error('This request exceeds the MAX_WRITE_OPERATIONS_PER_MINUTE quota.');
    await a.push();
    expect(await a.engine.status()).toMatchObject({ state: 'paused', reason: 'rate-limit' });
    a.now += 61_000;
    await a.engine.wake();
    await a.engine.settled();
    expect(await a.engine.status()).toMatchObject({ state: 'synced' });
    await carry(a, b);
    expect(summary(await b.accounts())).toContain('discord.com/ 2/2');
  });

  test('nothing readable reaches storage.sync: no site, name, code or time', async () => {
    const { a } = await twoSyncedDevices();
    const dump = JSON.stringify(a.area.items);
    for (const secret of ['instagram', 'github', 'alice.liddell', '1000 0000', '10000000', '2026-']) {
      expect(dump).not.toContain(secret);
    }
    for (const key of Object.keys(a.area.items)) expect(key).toMatch(/^~(h|r[A-Za-z0-9_-]{22})(\.\d+)?$/);
  });

  test('a synced vault exports a backup that restores on a device without sync, uses included', async () => {
    const { b } = await twoSyncedDevices();
    const id = (await b.accounts()).find((x) => x.site === 'instagram.com')!.id;
    await b.service.markCode(id, (await b.service.getAccount(id)).codes[0]!.id, true);
    const codec = createBackupCodec(cheapKdf);
    const file = await codec.encrypt(accountsToPlain(await b.service.snapshot()), PASSWORD);
    const fresh = new Device('C');
    await fresh.service.createFromBackup(PASSWORD, plainToAccounts(await codec.decrypt(file, PASSWORD)));
    expect(summary(await fresh.accounts())).toEqual(summary(await b.accounts()));
    expect(summary(await fresh.accounts())).toContain('instagram.com/alice.liddell 4/5');
  });

  test('turning sync off keeps the vault, stops writing, and leaves what other devices synced', async () => {
    const { a } = await twoSyncedDevices();
    const before = structuredClone(a.area.items);
    await a.engine.disable();
    expect(await a.engine.status()).toEqual({ enabled: false });
    await a.service.addAccount({ site: 'discord.com', codes: codes(2, 400) });
    await a.push();
    expect(a.area.items).toEqual(before);
    expect(summary(await a.accounts())).toContain('discord.com/ 2/2');
  });

  test('joining folds an account held on both devices into one, with its codes and uses', async () => {
    const a = new Device('A');
    const b = new Device('B');
    await a.service.create(PASSWORD);
    await a.service.addAccount({ site: 'instagram.com', label: 'alice.liddell', codes: codes(5) });
    await a.engine.enable();
    await a.push();
    // B had the same account, with the same codes plus two more, and used the first one already.
    await b.service.create('b-only password, long enough');
    const onB = await b.service.addAccount({
      site: 'instagram.com',
      label: 'alice.liddell',
      codes: codes(7),
    });
    await b.service.markCode(onB.id, onB.codes[0]!.id, true);
    b.area.items = structuredClone(a.area.items);
    await b.engine.enable(PASSWORD);
    await b.push();
    expect(summary(await b.accounts())).toEqual(['instagram.com/alice.liddell 6/7']);
    await carry(b, a);
    expect(summary(await a.accounts())).toEqual(['instagram.com/alice.liddell 6/7']);
    // B's old record is gone, not left behind unreadable.
    await b.service.lock();
    await b.service.unlock(PASSWORD);
    expect(await b.service.unreadableAccounts()).toEqual([]);
  });

  test('with sync on, a used code cannot be marked unused: its use already reached the other devices', async () => {
    const { a } = await twoSyncedDevices();
    const id = (await a.accounts()).find((x) => x.site === 'instagram.com')!.id;
    const code = (await a.service.getAccount(id)).codes[0]!;
    await a.service.markCode(id, code.id, true);
    const refused = await caught(a.service.markCode(id, code.id, false));
    expect(refused.code).toBe('sync-used-stays');
    expect((await a.service.getAccount(id)).codes[0]!.state).toBe('used');
    // Sync off: the device's own vault is the user's to correct again.
    await a.engine.disable();
    expect((await a.service.markCode(id, code.id, false)).codes[0]!.state).toBe('unused');
  });
});
