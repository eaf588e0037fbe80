import { beforeEach, describe, expect, test, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AUTO_LOCK_ALARM } from '../../src/background/auto-lock';
import { wireBackground } from '../../src/background';
import { sessionKeyStore } from '../../src/background/session-key';
import { VaultRepository } from '../../src/storage';
import { PASSWORD, caught, codes, fillTarget, newService, resetEnvironment } from './support';

beforeEach(resetEnvironment);

describe('create, unlock, lock', () => {
  test('a new install has no vault; creating one leaves it unlocked', async () => {
    const service = newService();
    expect(await service.status()).toBe('no-vault');
    await service.create(PASSWORD);
    expect(await service.status()).toBe('unlocked');
    expect(await service.listAccounts()).toEqual([]);
  });

  test('a second vault is refused and the first one stays', async () => {
    const service = newService();
    await service.create(PASSWORD);
    await service.addAccount({ site: 'instagram.com', codes: codes(3) });
    expect((await caught(service.create('another password'))).code).toBe('vault-exists');
    await service.lock();
    await service.unlock(PASSWORD);
    expect(await service.listAccounts()).toHaveLength(1);
  });

  test('unlocking without a vault says so', async () => {
    expect((await caught(newService().unlock(PASSWORD))).code).toBe('vault-missing');
  });

  test('lock erases the key from storage.session; unlock brings the accounts back', async () => {
    const service = newService();
    await service.create(PASSWORD);
    await service.addAccount({ site: 'github.com', label: 'alice', codes: codes(16) });
    expect(await browser.storage.session.get(null)).not.toEqual({});

    await service.lock();
    expect(await service.status()).toBe('locked');
    expect(await browser.storage.session.get(null)).toEqual({});
    expect((await caught(service.listAccounts())).code).toBe('vault-locked');

    await service.unlock(PASSWORD);
    expect(await service.listAccounts()).toMatchObject([
      { site: 'github.com', label: 'alice', left: 16, total: 16 },
    ]);
  });

  test('a wrong password is refused and the vault stays locked', async () => {
    const service = newService();
    await service.create(PASSWORD);
    await service.lock();
    expect((await caught(service.unlock('Correct horse battery staple'))).code).toBe('wrong-password');
    expect(await service.status()).toBe('locked');
    expect(await browser.storage.session.get(null)).toEqual({});
  });

  test('stored KDF parameters below the floor are refused before any derivation', async () => {
    const service = newService();
    await service.create(PASSWORD);
    await service.lock();
    const repo = await VaultRepository.open();
    const header = (await repo.readHeader())!;
    await repo.writeHeader({ ...header, kdf: { ...header.kdf, memoryKiB: 1024 } }, header.vaultId);
    repo.close();
    expect((await caught(newService().unlock(PASSWORD))).code).toBe('kdf-params-out-of-bounds');
  });

  test('a service-worker restart does not lock: a new service picks the key up from storage.session', async () => {
    const first = newService();
    await first.create(PASSWORD);
    const added = await first.addAccount({ site: 'instagram.com', codes: codes(5) });

    const restarted = newService(); // nothing in memory, same storage
    expect(await restarted.status()).toBe('unlocked');
    expect((await restarted.getAccount(added.id)).codes.map((c) => c.value)).toEqual(
      codes(5).map((c) => c.value),
    );
    await restarted.reserveForFill(fillTarget(1, 'https://www.instagram.com/'), added.id);
    expect((await restarted.listAccounts())[0]).toMatchObject({ left: 5, total: 5 });
  });

  test('a session key that does not open this vault is forgotten (locked, not an error)', async () => {
    const service = newService();
    await service.create(PASSWORD);
    await sessionKeyStore.set(globalThis.crypto.getRandomValues(new Uint8Array(32)));
    expect(await newService().status()).toBe('locked');
    await sessionKeyStore.set(globalThis.crypto.getRandomValues(new Uint8Array(32)));
    const restarted = newService();
    expect((await caught(restarted.listAccounts())).code).toBe('vault-locked');
    expect(await browser.storage.session.get(null)).toEqual({});
  });
});

describe('change password', () => {
  test('old password fails, new one works, account records are not rewritten', async () => {
    const service = newService();
    await service.create(PASSWORD);
    await service.addAccount({ site: 'instagram.com', codes: codes(8) });
    const repo = await VaultRepository.open();
    const recordsBefore = await repo.readAccounts();
    const headerBefore = (await repo.readHeader())!;

    await service.changePassword(PASSWORD, 'a new and longer password');

    expect(await repo.readAccounts()).toEqual(recordsBefore);
    const headerAfter = (await repo.readHeader())!;
    expect(headerAfter.vaultId).toBe(headerBefore.vaultId);
    expect(headerAfter.kdf.salt).not.toEqual(headerBefore.kdf.salt);
    expect(headerAfter.wrappedKey.ct).not.toEqual(headerBefore.wrappedKey.ct);
    repo.close();

    await service.lock();
    expect((await caught(service.unlock(PASSWORD))).code).toBe('wrong-password');
    await service.unlock('a new and longer password');
    expect(await service.listAccounts()).toMatchObject([{ site: 'instagram.com', left: 8 }]);
  });

  test('a wrong current password changes nothing', async () => {
    const service = newService();
    await service.create(PASSWORD);
    const repo = await VaultRepository.open();
    const before = await repo.readHeader();
    expect((await caught(service.changePassword('nope', 'whatever else'))).code).toBe('wrong-password');
    expect(await repo.readHeader()).toEqual(before);
    repo.close();
  });
});

describe('auto-lock', () => {
  // The fake browser has no idle API: give it one whose event the test can fire.
  function fakeIdle() {
    const listeners: ((state: string) => void)[] = [];
    vi.spyOn(fakeBrowser.idle.onStateChanged, 'addListener').mockImplementation((listener) => {
      listeners.push(listener as (state: string) => void);
    });
    return (state: string) => listeners.forEach((l) => l(state));
  }

  async function started() {
    const setIdle = fakeIdle();
    // The wired service is the production one; the vault is created next to it with cheap KDF parameters,
    // so the wired service meets it the way it would after a service-worker restart.
    const service = wireBackground();
    await newService().create(PASSWORD);
    return { service, setIdle };
  }

  test('every use restarts the idle alarm; when it fires, the vault locks', async () => {
    const { service } = await started();
    await service.listAccounts();
    const alarm = await browser.alarms.get(AUTO_LOCK_ALARM);
    expect(alarm).toBeDefined();
    expect(alarm!.scheduledTime - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(alarm!.scheduledTime - Date.now()).toBeLessThanOrEqual(15 * 60_000);

    await fakeBrowser.alarms.onAlarm.trigger({ name: AUTO_LOCK_ALARM, scheduledTime: Date.now() });
    await vi.waitFor(async () => expect(await service.status()).toBe('locked'));
    // The data key is gone; what stays is the browser-session id, which is not secret (it only tells
    // reservations of this browser session from earlier ones).
    expect(Object.keys(await browser.storage.session.get(null))).toEqual(['spare.browserSession']);
    expect(await browser.alarms.get(AUTO_LOCK_ALARM)).toBeUndefined();
  });

  test('another alarm does not lock', async () => {
    const { service } = await started();
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'something-else', scheduledTime: Date.now() });
    expect(await service.status()).toBe('unlocked');
  });

  test('the idle setting sets the delay; 0 turns the timer off', async () => {
    const { service } = await started();
    await service.updateSettings({ autoLockMinutes: 5 });
    const alarm = await browser.alarms.get(AUTO_LOCK_ALARM);
    expect(alarm!.scheduledTime - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    expect(alarm!.scheduledTime - Date.now()).toBeGreaterThan(4 * 60_000);
    await service.updateSettings({ autoLockMinutes: 0 });
    await service.listAccounts();
    expect(await browser.alarms.get(AUTO_LOCK_ALARM)).toBeUndefined();
    expect(await service.getSettings()).toEqual({ autoLockMinutes: 0, sync: false });
  });

  test('after a restart, a settings change restarts the timer and wipes the key bytes it read', async () => {
    await newService().create(PASSWORD);
    const read: Uint8Array[] = [];
    const onUse = vi.fn();
    const restarted = newService({
      onUse,
      keyStore: {
        ...sessionKeyStore,
        get: async () => {
          const raw = await sessionKeyStore.get();
          if (raw) read.push(raw);
          return raw;
        },
      },
    });
    await restarted.updateSettings({ autoLockMinutes: 5 });
    expect(onUse).toHaveBeenCalledWith({ autoLockMinutes: 5, sync: false });
    expect(read.length).toBeGreaterThan(0);
    expect(read.every((raw) => raw.every((byte) => byte === 0))).toBe(true);
  });

  test('the OS screen lock locks the vault; going idle alone does not', async () => {
    const { service, setIdle } = await started();
    setIdle('idle');
    expect(await service.status()).toBe('unlocked');
    setIdle('locked');
    await vi.waitFor(async () => expect(await service.status()).toBe('locked'));
  });
});
