/**
 * The vault's persistence: sealed records in, sealed records out. It never sees a key or a plaintext
 * record; the background's vault service seals before writing and opens after reading.
 *
 * Every write is one transaction: either all of it lands or none of it does. Writes that change what a
 * code is (reserve, confirm, release, by hand) are `durability: 'strict'`, so a crash right after the
 * answer cannot resurrect a code the user already spent.
 */
import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { SpareError, isSpareError } from '../core/errors';
import {
  DB_NAME,
  META_HEADER,
  META_SETTINGS,
  META_SYNC_REPLICA,
  SCHEMA_VERSION,
  upgrade,
  type SealedRecord,
  type SpareDb,
  type StoredSettings,
  type SyncReplicaRecord,
  type VaultHeader,
} from './schema';

type WriteTx = IDBPTransaction<SpareDb, ('meta' | 'accounts')[], 'readwrite'>;

/**
 * Records are only ever put or deleted by id: there is deliberately no "clear the store", so a record the
 * vault service could not read (and so never names) survives every write, a 'replace' restore included.
 */
export interface AccountWrite {
  put?: SealedRecord[];
  delete?: string[];
  /**
   * The sync replica that goes with these accounts (null: remove it), written in the same transaction: a
   * replica that lags its accounts would record their difference as a change nobody made.
   */
  syncReplica?: SyncReplicaRecord | null;
}

function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

/** Maps IndexedDB failures to the user-facing errors; a SpareError thrown inside a write passes through. */
export function storageError(error: unknown): SpareError {
  if (isSpareError(error)) return error;
  if (isQuotaError(error)) {
    return new SpareError(
      'quota-exceeded',
      'The browser has no room left to save Spare’s data. Free some space and try again.',
      {
        cause: error,
      },
    );
  }
  return new SpareError('storage-failed', 'Spare could not save or read its data. Nothing was changed.', {
    cause: error,
  });
}

export class VaultRepository {
  private constructor(private readonly db: IDBPDatabase<SpareDb>) {}

  static async open(name: string = DB_NAME): Promise<VaultRepository> {
    try {
      const db = await openDB<SpareDb>(name, SCHEMA_VERSION, { upgrade });
      return new VaultRepository(db);
    } catch (error) {
      throw storageError(error);
    }
  }

  close(): void {
    this.db.close();
  }

  async readHeader(): Promise<VaultHeader | undefined> {
    return (await this.read(() => this.db.get('meta', META_HEADER))) as VaultHeader | undefined;
  }

  async readSettings(): Promise<StoredSettings | undefined> {
    return (await this.read(() => this.db.get('meta', META_SETTINGS))) as StoredSettings | undefined;
  }

  async writeSettings(settings: StoredSettings): Promise<void> {
    await this.write(['meta'], 'default', async (tx) => {
      await tx.objectStore('meta').put(settings, META_SETTINGS);
    });
  }

  async readAccounts(): Promise<SealedRecord[]> {
    return this.read(() => this.db.getAll('accounts'));
  }

  /**
   * Creates the vault: refuses if one exists, checked inside the same transaction that writes it, and drops
   * any record left without a header (it could never be opened). `accounts` (a vault restored from a backup
   * on first run) are written in that same transaction: there is never a header without them.
   */
  async createVault(header: VaultHeader, accounts: SealedRecord[] = []): Promise<void> {
    await this.write(['meta', 'accounts'], 'strict', async (tx) => {
      const meta = tx.objectStore('meta');
      if (await meta.get(META_HEADER)) throw new SpareError('vault-exists', 'A vault already exists.');
      await meta.put(header, META_HEADER);
      const store = tx.objectStore('accounts');
      await store.clear();
      for (const record of accounts) await store.put(record);
    });
  }

  /** Replaces the header (a password change re-wraps the data key only) of the vault it was read from. */
  async writeHeader(header: VaultHeader, expectedVaultId: string): Promise<void> {
    await this.write(['meta'], 'strict', async (tx) => {
      const meta = tx.objectStore('meta');
      const current = (await meta.get(META_HEADER)) as VaultHeader | undefined;
      if (current?.vaultId !== expectedVaultId)
        throw new SpareError('vault-missing', 'The vault changed meanwhile.');
      await meta.put(header, META_HEADER);
    });
  }

  /** Writes several account changes (and the sync replica, if given) as one all-or-nothing transaction. */
  async writeAccounts(change: AccountWrite): Promise<void> {
    await this.write(['meta', 'accounts'], 'strict', async (tx) => {
      const store = tx.objectStore('accounts');
      for (const id of change.delete ?? []) await store.delete(id);
      for (const record of change.put ?? []) await store.put(record);
      if (change.syncReplica === null) await tx.objectStore('meta').delete(META_SYNC_REPLICA);
      else if (change.syncReplica) await tx.objectStore('meta').put(change.syncReplica, META_SYNC_REPLICA);
    });
  }

  async readSyncReplica(): Promise<SyncReplicaRecord | undefined> {
    return (await this.read(() => this.db.get('meta', META_SYNC_REPLICA))) as SyncReplicaRecord | undefined;
  }

  /**
   * Joining a vault synced from another device: this device's vault takes that vault's header (and so its
   * data key), and every account is written again sealed under it, with the replica, in one transaction.
   * Records not named stay as they are (a record that could not be read is never deleted).
   */
  async replaceVault(header: VaultHeader, change: AccountWrite): Promise<void> {
    await this.write(['meta', 'accounts'], 'strict', async (tx) => {
      const meta = tx.objectStore('meta');
      await meta.put(header, META_HEADER);
      const store = tx.objectStore('accounts');
      for (const id of change.delete ?? []) await store.delete(id);
      for (const record of change.put ?? []) await store.put(record);
      if (change.syncReplica) await meta.put(change.syncReplica, META_SYNC_REPLICA);
      else await meta.delete(META_SYNC_REPLICA);
    });
  }

  async deleteAccount(id: string): Promise<void> {
    await this.writeAccounts({ delete: [id] });
  }

  private async read<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw storageError(error);
    }
  }

  /**
   * Runs `body` in one transaction. If anything in it throws, the transaction is aborted explicitly: an
   * exception in our code does not abort an IndexedDB transaction by itself, and the requests already made
   * would otherwise commit.
   */
  private async write(
    stores: ('meta' | 'accounts')[],
    durability: 'strict' | 'default',
    body: (tx: WriteTx) => Promise<void>,
  ): Promise<void> {
    let tx: WriteTx;
    try {
      tx = this.db.transaction(stores, 'readwrite', { durability });
    } catch (error) {
      throw storageError(error);
    }
    // Observe `done` now so that an abort never surfaces as an unhandled rejection.
    const done = tx.done.then(
      () => undefined,
      (error: unknown) => error ?? tx.error ?? new Error('transaction aborted'),
    );
    try {
      await body(tx);
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // Already finished or aborted by the failing request itself.
      }
      await done;
      throw storageError(error);
    }
    const failure = await done;
    if (failure !== undefined) throw storageError(failure);
  }
}
