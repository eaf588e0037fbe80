/**
 * Sealing for sync (issue 11): the vault service's helpers for the synced records, the device's replica and
 * the shared header. Everything that leaves for `storage.sync` is sealed here with the data key; nothing here
 * touches `storage.sync` itself (that is sync.ts).
 *
 * A synced record is one synced account (src/core/sync/merge.ts), encoded canonically (codec.ts) and sealed
 * with its own AAD (`sync:<account id>`): a record cannot be swapped for another account's, or replayed as a
 * local account record. AES-GCM takes a fresh IV per seal, so sealing the same plaintext twice gives two
 * ciphertexts; the cache keeps the sealed bytes of each record's last plaintext so that an unchanged account
 * is never re-sealed, and costs no sync write.
 */
import { open, recordAad, seal } from '../core/crypto';
import { fromUtf8, utf8 } from '../core/crypto/encoding';
import { isSpareError } from '../core/errors';
import type { AssembledSync, SyncContent } from '../core/sync/chunks';
import { packSealed, unpackSealed } from '../core/sync/chunks';
import {
  decodeReplica,
  decodeSyncAccount,
  encodeReplica,
  encodeSyncAccount,
  encodeSyncedHeader,
  type Replica,
  type SyncedHeader,
} from '../core/sync/codec';
import type { SyncAccount, SyncState } from '../core/sync/merge';
import type { SealedBytes, VaultHeader } from '../storage';

// Account ids are URL-safe base64: neither label can collide with one, or with the key check's.
const replicaAad = (header: VaultHeader) => recordAad(header.vaultId, '#sync-replica', header.schemaVersion);
const syncRecordAad = (header: Pick<VaultHeader, 'vaultId' | 'schemaVersion'>, id: string) =>
  recordAad(header.vaultId, `sync:${id}`, header.schemaVersion);

export async function sealReplica(
  key: CryptoKey,
  header: VaultHeader,
  replica: Replica,
): Promise<SealedBytes> {
  const bytes = encodeReplica(replica);
  try {
    return await seal(key, bytes, replicaAad(header));
  } finally {
    bytes.fill(0);
  }
}

/** The replica, or null when it cannot be read (then the device starts a new one from its accounts). */
export async function openReplica(
  key: CryptoKey,
  header: VaultHeader,
  sealed: SealedBytes,
): Promise<Replica | null> {
  try {
    const bytes = await open(key, sealed, replicaAad(header));
    try {
      return decodeReplica(bytes);
    } finally {
      bytes.fill(0);
    }
  } catch (error) {
    if (isSpareError(error, 'decrypt-failed') || isSpareError(error, 'invalid-input')) return null;
    throw error;
  }
}

/** The header every device shares: the local one without its creation time. */
export function syncedHeaderOf(header: VaultHeader): SyncedHeader {
  return {
    vaultId: header.vaultId,
    schemaVersion: header.schemaVersion,
    kdf: header.kdf,
    wrappedKey: header.wrappedKey,
    keyCheck: header.keyCheck,
  };
}

export function sameSyncedHeader(a: SyncedHeader, b: SyncedHeader): boolean {
  const x = encodeSyncedHeader(a);
  const y = encodeSyncedHeader(b);
  return x.length === y.length && x.every((byte, i) => byte === y[i]);
}

export interface OpenedRecords {
  state: SyncState;
  /** Records that did not open under this vault's key, or did not decode: left alone, never overwritten. */
  unreadable: string[];
}

/** Sealed bytes of each record's last plaintext, by account id. */
export class SyncSealCache {
  private readonly sealed = new Map<string, { json: string; bytes: Uint8Array }>();

  clear(): void {
    this.sealed.clear();
  }

  /** What to push: the shared header and one sealed record per synced account (tombstones included). */
  async content(key: CryptoKey, header: VaultHeader, state: SyncState): Promise<SyncContent> {
    const records = new Map<string, Uint8Array>();
    for (const [id, account] of Object.entries(state.accounts)) {
      const json = encodeSyncAccount(account);
      const cached = this.sealed.get(id);
      if (cached?.json === json) {
        records.set(id, cached.bytes);
        continue;
      }
      const bytes = packSealed(await seal(key, utf8(json), syncRecordAad(header, id)));
      this.sealed.set(id, { json, bytes });
      records.set(id, bytes);
    }
    return { header: encodeSyncedHeader(syncedHeaderOf(header)), records };
  }

  /** Opens what another device pushed; each record that opens is remembered with its bytes. */
  async open(
    key: CryptoKey,
    header: Pick<VaultHeader, 'vaultId' | 'schemaVersion'>,
    assembled: AssembledSync,
  ): Promise<OpenedRecords> {
    const accounts: Record<string, SyncAccount> = {};
    const unreadable: string[] = [];
    for (const [id, bytes] of assembled.records) {
      try {
        const plain = await open(key, unpackSealed(bytes), syncRecordAad(header, id));
        const json = fromUtf8(plain);
        accounts[id] = decodeSyncAccount(json);
        this.sealed.set(id, { json, bytes });
      } catch (error) {
        if (!isSpareError(error, 'decrypt-failed') && !isSpareError(error, 'invalid-input')) throw error;
        unreadable.push(id);
      }
    }
    return { state: { accounts }, unreadable };
  }
}
