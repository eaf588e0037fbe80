import { describe, expect, test } from 'vitest';
import { generateDataKey, keyWrapAad, recordAad, seal, wrapDataKey } from '../../../src/core/crypto';
import { encoding, randomBytes } from '../../../src/core/crypto/encoding';
import { createCode, confirmCode, reserveCode } from '../../../src/core/vault';
import type { Account } from '../../../src/core/vault';
import { checkSyncFit, layoutSyncItems, packSealed } from '../../../src/core/sync/chunks';
import { encodeSyncAccount, encodeSyncedHeader } from '../../../src/core/sync/codec';
import { startClock } from '../../../src/core/sync/hlc';
import { EMPTY_SYNC_STATE } from '../../../src/core/sync/merge';
import { toSyncState } from '../../../src/core/sync/replica';

/**
 * How many accounts fit in `storage.sync`, measured with what the background really syncs: each account
 * recorded into the synced state (toSyncState), encoded (codec.ts), sealed as src/background/vault-sync.ts
 * seals it, and laid out with the real layout. The figures are in docs/sync.md
 * ("Format and limits"); this test fails if they drift. Ciphertext length depends only on plaintext
 * length, and every id, timestamp and code here has a fixed length, so the counts are exact.
 */
const SITE = 'example.com';
const LABEL = 'alice@example.com';
// Random times of fixed length (24 characters): a real history is not one instant, and deflate would notice.
const at = () =>
  new Date(Date.UTC(2021, 0, 1) + Math.floor(Math.random() * 5 * 365 * 86_400_000)).toISOString();

async function headerBytes(dataKey: CryptoKey, vaultId: string): Promise<Uint8Array> {
  // The wrapping key stands in for the Argon2id-derived one: same size of output, without a 64 MiB
  // derivation per test.
  const wrappingKey = await generateDataKey();
  return encodeSyncedHeader({
    vaultId,
    schemaVersion: 1,
    kdf: { name: 'argon2id', memoryKiB: 65_536, iterations: 3, parallelism: 4, salt: new Uint8Array(16) },
    wrappedKey: await wrapDataKey(wrappingKey, dataKey, keyWrapAad(vaultId, 1)),
    keyCheck: await seal(dataKey, encoding.utf8('spare key check'), recordAad(vaultId, '#key-check', 1)),
  });
}

function account(codeValues: string[], used: number): Account {
  const codes = codeValues.map((value) => createCode({ value }, encoding.randomId(), at(), 'hand'));
  // A used code carries its history (reserved, then used on a page): that is what grows a record over time.
  for (let i = 0; i < used; i++) {
    const reserved = reserveCode(codes[i]!, { origin: `https://${SITE}` }, at());
    codes[i] = confirmCode(reserved, `https://${SITE}/login`, at());
  }
  return { id: encoding.randomId(), site: SITE, label: LABEL, codes, createdAt: at(), updatedAt: at() };
}

/** The synced record of one account, sealed: a device with a 12-character replica id, as the background's. */
async function sealAccount(dataKey: CryptoKey, vaultId: string, next: Account) {
  const replica = encoding.randomId().slice(0, 12);
  const { state } = toSyncState([next], EMPTY_SYNC_STATE, startClock(replica), Date.now());
  const json = encodeSyncAccount(state.accounts[next.id]!);
  return packSealed(await seal(dataKey, encoding.utf8(json), recordAad(vaultId, `sync:${next.id}`, 1)));
}

async function largestThatFits(codeValues: () => string[], used: number) {
  const dataKey = await generateDataKey();
  const vaultId = encoding.randomId();
  const header = await headerBytes(dataKey, vaultId);
  const records = new Map<string, Uint8Array>();
  let recordBytes = 0;
  for (;;) {
    const next = account(codeValues(), used);
    const sealed = await sealAccount(dataKey, vaultId, next);
    records.set(next.id, sealed);
    const fit = checkSyncFit(await layoutSyncItems({ header, records }));
    if (!fit.fits) return { accounts: records.size - 1, recordBytes, headerBytes: header.length };
    recordBytes = sealed.length;
  }
}

const digits = (length: number) => () =>
  Array.from({ length: 10 }, () => Array.from({ length }, () => Math.floor(Math.random() * 10)).join(''));
const hex = () => Array.from({ length: 16 }, () => encoding.toHex(randomBytes(5)));

describe('how many accounts fit in storage.sync', () => {
  test.each([
    ['10 codes of 8 digits, none used', digits(8), 0, 48],
    ['10 codes of 8 digits, all used', digits(8), 10, 30],
    ['16 codes of 10 hex characters, none used', hex, 0, 32],
    ['16 codes of 10 hex characters, all used', hex, 16, 19],
  ] as const)('%s', async (_name, codes, used, expected) => {
    const measured = await largestThatFits(codes, used);
    console.log(_name, measured);
    expect(measured.accounts).toBe(expected);
  });
});
