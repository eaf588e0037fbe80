/**
 * The IndexedDB layout. Only `src/storage` opens the database (design §2).
 *
 * Nothing about an account is readable at rest: the `accounts` store holds `{ id, sealed }` where `sealed`
 * is the whole account (site, label, note, codes) encrypted with the data key. `meta` holds the vault header
 * (what unlocking needs: KDF parameters and the wrapped data key, neither of them secret on its own) and the
 * non-secret settings.
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';

export const DB_NAME = 'spare';
/** The IndexedDB version, and the schema version bound into every record's AAD. */
export const SCHEMA_VERSION = 1;

export interface SealedBytes {
  iv: Uint8Array;
  ct: Uint8Array;
}

export interface StoredKdfParams {
  name: 'argon2id';
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  salt: Uint8Array;
}

export interface VaultHeader {
  vaultId: string;
  kdf: StoredKdfParams;
  wrappedKey: SealedBytes;
  /**
   * A known plaintext sealed with the data key: after a service-worker restart, proves the key found in
   * `storage.session` belongs to this vault before anything is written with it.
   */
  keyCheck: SealedBytes;
  /** The schema the records were sealed under (part of each record's AAD). */
  schemaVersion: number;
  createdAt: string;
}

export interface StoredSettings {
  autoLockMinutes: number;
  /** "Sync with this browser's account" (issue 11); absent in vaults from before sync: off. */
  sync?: boolean;
}

/**
 * This device's sync replica (src/core/sync): the synced state its accounts were last built from, and its
 * clock. It holds sites and codes, so it is sealed with the data key like an account record.
 */
export interface SyncReplicaRecord {
  sealed: SealedBytes;
}

export interface SealedRecord {
  id: string;
  sealed: SealedBytes;
}

export const META_HEADER = 'header';
export const META_SETTINGS = 'settings';
export const META_SYNC_REPLICA = 'sync-replica';

export interface SpareDb extends DBSchema {
  meta: {
    key: string;
    value: VaultHeader | StoredSettings | SyncReplicaRecord;
  };
  accounts: {
    key: string;
    value: SealedRecord;
  };
}

export type UpgradeTx = IDBPTransaction<SpareDb, StoreNames<SpareDb>[], 'versionchange'>;
type UpgradeStep = (db: IDBPDatabase<SpareDb>, tx: UpgradeTx) => void;

/**
 * One step per schema version, run in order from the database's version to the current one. A future v2
 * appends a step here (and, if it changes what records mean, re-seals them under the new AAD version).
 */
const STEPS: Record<number, UpgradeStep> = {
  1: (db) => {
    db.createObjectStore('meta');
    db.createObjectStore('accounts', { keyPath: 'id' });
  },
};

export function upgrade(
  db: IDBPDatabase<SpareDb>,
  oldVersion: number,
  newVersion: number | null,
  tx: UpgradeTx,
) {
  const target = newVersion ?? SCHEMA_VERSION;
  for (let version = oldVersion + 1; version <= target; version++) {
    const step = STEPS[version];
    if (!step) throw new Error(`No upgrade step to schema version ${version}.`);
    step(db, tx);
  }
}
