/**
 * Auto-lock: an alarm restarted on every use of the unlocked vault fires after the idle timeout, and the
 * OS screen lock (`idle.onStateChanged` → 'locked') locks at once. Alarms survive a service-worker restart,
 * a plain timer would not. Firefox never reports 'locked' (MDN compatibility data), so there the idle timeout
 * is the only automatic lock.
 */
import { browser } from 'wxt/browser';
import type { Settings } from '../messaging';

export const AUTO_LOCK_ALARM = 'spare-auto-lock';

export function restartAutoLockTimer(settings: Settings): void {
  if (settings.autoLockMinutes > 0) {
    void browser.alarms.create(AUTO_LOCK_ALARM, { delayInMinutes: settings.autoLockMinutes });
  } else {
    void browser.alarms.clear(AUTO_LOCK_ALARM);
  }
}

export function stopAutoLockTimer(): void {
  void browser.alarms.clear(AUTO_LOCK_ALARM);
}

/** Hooks the alarm and the OS lock to `lock`. Listeners are added synchronously, as MV3 requires. */
export function listenForAutoLock(lock: () => Promise<void>): void {
  const lockQuietly = () =>
    void lock().catch((error: unknown) => console.error('Spare: auto-lock failed', error));
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === AUTO_LOCK_ALARM) lockQuietly();
  });
  browser.idle.onStateChanged.addListener((state) => {
    if (state === 'locked') lockQuietly();
  });
}
