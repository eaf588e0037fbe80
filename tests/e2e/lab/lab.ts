import { browser, type Browser } from 'wxt/browser';
import { runKnownAnswerTests } from '../../../src/core/crypto/kat';
import { deriveWrappingKey, newKdfParams } from '../../../src/core/crypto';
import { sendPageRequest, type PageRequest } from '../../../src/messaging';

/** A JSON-safe copy of whatever a storage area holds, with bytes kept as hex so tests can search them. */
export type Dumped = string | number | boolean | null | Dumped[] | { [key: string]: Dumped };

function dumpValue(value: unknown): Dumped {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof ArrayBuffer) return { $bytes: toHex(new Uint8Array(value)) };
  if (ArrayBuffer.isView(value)) {
    return { $bytes: toHex(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
  }
  if (typeof CryptoKey !== 'undefined' && value instanceof CryptoKey) {
    return { $cryptoKey: value.algorithm.name, extractable: value.extractable };
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(dumpValue);
  if (value instanceof Map) return [...value.entries()].map(([k, v]) => [dumpValue(k), dumpValue(v)]);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, dumpValue(v)]));
  }
  return String(value);
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function readAll(db: IDBDatabase, storeName: string): Promise<{ keys: unknown[]; values: unknown[] }> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, 'readonly');
    const store = tx.objectStore(storeName);
    const keys = store.getAllKeys();
    const values = store.getAll();
    tx.oncomplete = () => resolve({ keys: keys.result, values: values.result });
    tx.onerror = () => reject(tx.error);
  });
}

/** Everything the extension has written anywhere: every IndexedDB database and every storage area. */
async function dumpStorage(): Promise<Record<string, Dumped>> {
  const dump: Record<string, Dumped> = {};
  for (const info of await indexedDB.databases()) {
    if (!info.name) continue;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(info.name!);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    for (const storeName of Array.from(db.objectStoreNames)) {
      dump[`indexedDB:${info.name}/${storeName}`] = dumpValue(await readAll(db, storeName));
    }
    db.close();
  }
  dump['storage.local'] = dumpValue(await browser.storage.local.get(null));
  dump['storage.session'] = dumpValue(await browser.storage.session.get(null));
  dump['storage.sync'] = dumpValue(await browser.storage.sync.get(null).catch(() => ({})));
  dump['localStorage'] = dumpValue({ ...localStorage });
  return dump;
}

/**
 * Flips one bit in the sealed ciphertext of one account record, straight in IndexedDB, as disk damage would
 * (issue 8): the background must set that record aside and open the rest. Answers the record as it is now.
 */
async function damageAccountRecord(id: string): Promise<Dumped> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('spare');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    return await new Promise<Dumped>((resolve, reject) => {
      const tx = db.transaction('accounts', 'readwrite');
      const store = tx.objectStore('accounts');
      let damaged: unknown;
      const read = store.get(id);
      read.onsuccess = () => {
        const record = read.result as { id: string; sealed: { iv: Uint8Array; ct: Uint8Array } } | undefined;
        if (!record) return reject(new Error(`no account record ${id}`));
        const ct = new Uint8Array(record.sealed.ct);
        ct[Math.floor(ct.length / 2)]! ^= 0x01;
        damaged = { id, sealed: { iv: record.sealed.iv, ct } };
        store.put(damaged);
      };
      tx.oncomplete = () => resolve(dumpValue(damaged));
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** An account record exactly as IndexedDB holds it (bytes as hex), or null. */
async function accountRecord(id: string): Promise<Dumped> {
  const dump = await dumpStorage();
  const store = dump['indexedDB:spare/accounts'] as { keys: Dumped[]; values: Dumped[] };
  const at = store.keys.indexOf(id);
  return at === -1 ? null : store.values[at]!;
}

async function timeDefaultKdf(runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const params = newKdfParams();
    const start = performance.now();
    await deriveWrappingKey('correct horse battery staple', params);
    times.push(performance.now() - start);
  }
  return times;
}

export interface SpareLab {
  knownAnswerTests: typeof runKnownAnswerTests;
  timeDefaultKdf: typeof timeDefaultKdf;
  dumpStorage: typeof dumpStorage;
  request: (request: PageRequest) => Promise<unknown>;
  damageAccountRecord: typeof damageAccountRecord;
  accountRecord: typeof accountRecord;
  grantedOrigins: () => Promise<string[]>;
  localValue: (key: string) => Promise<unknown>;
  setLocalValue: (key: string, value: unknown) => Promise<void>;
  sessionValue: (key: string) => Promise<unknown>;
  apiPermissions: () => Promise<string[]>;
  removePermissions: (permissions: string[]) => Promise<boolean>;
  syncItems: () => Promise<Record<string, unknown>>;
  replaceSyncItems: (items: Record<string, unknown>) => Promise<void>;
  fillSyncQuota: (leaveBytes: number) => Promise<number>;
}

/**
 * What the browser's sync engine does when another profile's data arrives (issue 11): the area becomes that
 * profile's, and the background hears it through `storage.onChanged` like any synced change.
 */
async function replaceSyncItems(items: Record<string, unknown>): Promise<void> {
  const current = await browser.storage.sync.get(null);
  const gone = Object.keys(current).filter((key) => !(key in items));
  if (gone.length > 0) await browser.storage.sync.remove(gone);
  const changed = Object.fromEntries(
    Object.entries(items).filter(([key, value]) => JSON.stringify(current[key]) !== JSON.stringify(value)),
  );
  if (Object.keys(changed).length > 0) await browser.storage.sync.set(changed);
}

/**
 * Other synced data (another extension's, say) takes all but `leaveBytes` of the sync quota, in items of at
 * most 8,000 bytes; answers how many bytes it added. Sizes are counted as both browsers count them.
 */
async function fillSyncQuota(leaveBytes: number): Promise<number> {
  const items = await browser.storage.sync.get(null);
  let used = 0;
  for (const [key, value] of Object.entries(items)) used += key.length + JSON.stringify(value).length;
  let room = 102_400 - used - leaveBytes;
  const filler: Record<string, string> = {};
  for (let i = 0; room > 20; i++) {
    const key = `filler-${i}`;
    const size = Math.min(8_000, room);
    filler[key] = 'x'.repeat(size - key.length - 2);
    room -= size;
  }
  await browser.storage.sync.set(filler);
  return Object.keys(filler).length;
}

export function exposeLab(): void {
  const lab: SpareLab = {
    knownAnswerTests: runKnownAnswerTests,
    timeDefaultKdf,
    dumpStorage,
    request: (request) => sendPageRequest(request),
    damageAccountRecord,
    accountRecord,
    grantedOrigins: async () => (await browser.permissions.getAll()).origins ?? [],
    localValue: async (key) => (await browser.storage.local.get(key))[key],
    setLocalValue: (key, value) => browser.storage.local.set({ [key]: value }),
    sessionValue: async (key) => (await browser.storage.session.get(key))[key],
    apiPermissions: async () => (await browser.permissions.getAll()).permissions ?? [],
    syncItems: () => browser.storage.sync.get(null),
    replaceSyncItems,
    fillSyncQuota,
    removePermissions: (permissions) =>
      browser.permissions.remove({
        permissions: permissions as Browser.permissions.Permissions['permissions'],
      }),
  };
  (globalThis as unknown as { spareLab: SpareLab }).spareLab = lab;
  document.getElementById('lab-status')!.textContent = 'ready';
}
