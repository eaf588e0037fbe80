/** Shared set-up for the background tier: a fresh fake IndexedDB and fake browser per test, cheap KDF. */
import { IDBFactory } from 'fake-indexeddb';
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { encoding, type KdfParams } from '../../src/core/crypto';
import { SpareError } from '../../src/core/errors';
import { sessionKeyStore } from '../../src/background/session-key';
import { VaultService, type VaultServiceOptions } from '../../src/background/vault-service';
import type { NewCode } from '../../src/core/vault';

export const PASSWORD = 'correct horse battery staple';
export const EXTENSION_ID = 'test-extension-id';
export const EXTENSION_BASE = `chrome-extension://${EXTENSION_ID}/`;

/** The floor the crypto module accepts (m = 19 MiB, t = 2), with one lane: fast enough for unit tests. */
export function cheapKdf(): KdfParams {
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return { name: 'argon2id', memoryKiB: 19456, iterations: 2, parallelism: 1, salt };
}

export function resetEnvironment(): void {
  fakeBrowser.reset();
  // A brand-new IndexedDB for each test: nothing leaks from one test to the next.
  globalThis.indexedDB = new IDBFactory();
  vi.restoreAllMocks();
}

export function newService(options: Partial<VaultServiceOptions> = {}): VaultService {
  return new VaultService({ keyStore: sessionKeyStore, newKdfParams: cheapKdf, ...options });
}

/** Codes shaped like Instagram's ("1234 5678"), all distinct. */
export function codes(count: number, start = 0): NewCode[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(10_000_000 + start + i);
    return { value: `${n.slice(0, 4)} ${n.slice(4)}` };
  });
}

export async function caught(promise: Promise<unknown>): Promise<SpareError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SpareError) return error;
    throw new Error(`expected a SpareError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a SpareError, but the promise resolved');
}

/** Every value in every object store of a database, as IndexedDB holds it. */
export async function dumpDatabase(name: string): Promise<Record<string, unknown[]>> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const out: Record<string, unknown[]> = {};
  for (const store of Array.from(db.objectStoreNames)) {
    out[store] = await new Promise<unknown[]>((resolve, reject) => {
      const tx = db.transaction(store, 'readonly');
      const keys = tx.objectStore(store).getAllKeys();
      const values = tx.objectStore(store).getAll();
      tx.oncomplete = () => resolve([...keys.result, ...values.result]);
      tx.onerror = () => reject(tx.error);
    });
  }
  db.close();
  return out;
}

export const b64 = encoding.toBase64;
