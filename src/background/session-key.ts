/**
 * Where the unlocked data key lives between service-worker restarts: `storage.session`, which browsers keep
 * in memory only and expose to trusted extension contexts only (not content scripts, by default). It holds
 * this key and nothing else secret (design §2) but, for at most 30 s after a copy, a fingerprint of the copied
 * code (src/background/clipboard.ts); locking removes both.
 */
import { browser } from 'wxt/browser';
import { encoding } from '../core/crypto';

const SESSION_KEY = 'spare.dataKey';

export interface SessionKeyStore {
  get(): Promise<Uint8Array | null>;
  set(raw: Uint8Array): Promise<void>;
  clear(): Promise<void>;
}

export const sessionKeyStore: SessionKeyStore = {
  async get() {
    const items = await browser.storage.session.get(SESSION_KEY);
    const value = items[SESSION_KEY];
    if (typeof value !== 'string' || value === '') return null;
    try {
      return encoding.fromBase64(value);
    } catch {
      return null;
    }
  },
  async set(raw) {
    await browser.storage.session.set({ [SESSION_KEY]: encoding.toBase64(raw) });
  },
  async clear() {
    await browser.storage.session.remove(SESSION_KEY);
  },
};
