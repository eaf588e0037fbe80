/**
 * Issue 9, Settings: auto-lock is one of 1, 5, 15 or 60 minutes, or "when the browser restarts" (0): no idle
 * timer, and since the data key lives in `storage.session`, which the browser empties when it quits, a restart
 * still locks. A free number stored before presets existed moves to the nearest preset.
 */
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { browser, type Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { wireBackground } from '../../src/background';
import { AUTO_LOCK_ALARM } from '../../src/background/auto-lock';
import { nearestAutoLockPreset } from '../../src/background/vault-service';
import type { PageRequest } from '../../src/messaging';
import { VaultRepository } from '../../src/storage';
import { EXTENSION_BASE, EXTENSION_ID, PASSWORD, newService, resetEnvironment } from './support';

beforeEach(() => {
  resetEnvironment();
  vi.spyOn(fakeBrowser.idle.onStateChanged, 'addListener').mockImplementation(() => undefined);
});

describe('"when the browser restarts"', () => {
  test('sets no idle timer, however the vault is used', async () => {
    const service = wireBackground();
    await newService().create(PASSWORD);
    await service.updateSettings({ autoLockMinutes: 0 });
    await service.listAccounts();
    await service.addAccount({ site: 'instagram.com', codes: [{ value: '1234 5678' }] });
    expect(await browser.alarms.get(AUTO_LOCK_ALARM)).toBeUndefined();
    expect(await service.status()).toBe('unlocked');
  });

  test('a browser restart locks: the session storage is gone, and with it the key', async () => {
    const before = newService();
    await before.create(PASSWORD);
    await before.updateSettings({ autoLockMinutes: 0 });
    // A service-worker restart alone keeps the vault open…
    expect(await newService().status()).toBe('unlocked');
    // …a browser restart empties storage.session and starts a new background.
    await fakeBrowser.storage.session.clear();
    const after = newService();
    expect(await after.status()).toBe('locked');
    await after.unlock(PASSWORD);
    expect(await after.getSettings()).toEqual({ autoLockMinutes: 0, sync: false });
    expect(await browser.alarms.get(AUTO_LOCK_ALARM)).toBeUndefined();
  });

  test('a timed preset still arms the alarm for exactly its minutes', async () => {
    const service = wireBackground();
    await newService().create(PASSWORD);
    for (const minutes of [1, 5, 15, 60] as const) {
      await service.updateSettings({ autoLockMinutes: minutes });
      const alarm = await browser.alarms.get(AUTO_LOCK_ALARM);
      expect(alarm!.scheduledTime - Date.now()).toBeLessThanOrEqual(minutes * 60_000);
      expect(alarm!.scheduledTime - Date.now()).toBeGreaterThan((minutes - 0.5) * 60_000);
    }
  });
});

describe('presets only', () => {
  test('a number of minutes that is not a preset is refused at the message boundary', async () => {
    wireBackground({ service: newService() });
    const popup = { id: EXTENSION_ID, url: `${EXTENSION_BASE}popup.html` } as Browser.runtime.MessageSender;
    for (const minutes of [2, 30, 1440, -1]) {
      const request = { type: 'update-settings', settings: { autoLockMinutes: minutes } } as PageRequest;
      const [answer] = (await fakeBrowser.runtime.onMessage.trigger(request, popup)) as unknown as [
        { ok: boolean; error?: { code: string } },
      ];
      expect(answer).toMatchObject({ ok: false, error: { code: 'invalid-message' } });
    }
  });

  test.each([
    [0, 0],
    [1, 1],
    [2, 1],
    [3, 1], // a tie goes to the shorter preset
    [4, 5],
    [10, 5],
    [11, 15],
    [30, 15],
    [37, 15],
    [38, 60],
    [40, 60],
    [1440, 60],
  ])('a stored %i minutes becomes %i', (stored, preset) => {
    expect(nearestAutoLockPreset(stored)).toBe(preset);
  });

  test('a free number stored before presets is migrated on first read, and saved', async () => {
    const repo = await VaultRepository.open();
    await repo.writeSettings({ autoLockMinutes: 30 });
    const service = newService();
    await service.create(PASSWORD);
    expect(await service.getSettings()).toEqual({ autoLockMinutes: 15, sync: false });
    expect(await repo.readSettings()).toEqual({ autoLockMinutes: 15, sync: false });
    repo.close();
  });
});
