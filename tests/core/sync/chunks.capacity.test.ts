import { describe, expect, test } from 'vitest';
import {
  generateDataKey,
  keyWrapAad,
  recordAad,
  seal,
  sealJson,
  wrapDataKey,
  type Sealed,
} from '../../../src/core/crypto';
import { encoding, randomBytes } from '../../../src/core/crypto/encoding';
import { createCode, confirmCode, reserveCode } from '../../../src/core/vault';
import type { Account } from '../../../src/core/vault';
import { checkSyncFit, layoutSyncItems, packSealed } from '../../../src/core/sync/chunks';
import { deflateSync } from 'fflate';

/**
 * How many accounts fit in `storage.sync`, measured with the vault's own sealing (sealJson + recordAad, as
 * the background's vault service seals a record) and the real layout. The figures are in docs/sync.md
 * ("Format and limits"); this test fails if they drift. Ciphertext length depends only on plaintext
 * length, and every id, timestamp and code here has a fixed length, so the counts are exact.
 */
const SITE = 'example.com';
const LABEL = 'alice@example.com';
// Random times of fixed length (24 characters): a real history is not one instant, and deflate would notice.
const at = () =>
  new Date(Date.UTC(2021, 0, 1) + Math.floor(Math.random() * 5 * 365 * 86_400_000)).toISOString();

const b64 = (s: Sealed) => ({ iv: encoding.toBase64(s.iv), ct: encoding.toBase64(s.ct) });

async function headerBytes(dataKey: CryptoKey, vaultId: string): Promise<Uint8Array> {
  // The vault header without its `createdAt` (no timestamp goes to sync in the clear). The wrapping key
  // stands in for the Argon2id-derived one: same size of output, without a 64 MiB derivation per test.
  const wrappingKey = await generateDataKey();
  return encoding.utf8(
    JSON.stringify({
      vaultId,
      kdf: {
        name: 'argon2id',
        memoryKiB: 65_536,
        iterations: 3,
        parallelism: 4,
        salt: encoding.toBase64(new Uint8Array(16)),
      },
      wrappedKey: b64(await wrapDataKey(wrappingKey, dataKey, keyWrapAad(vaultId, 1))),
      keyCheck: b64(
        await seal(dataKey, encoding.utf8('spare key check'), recordAad(vaultId, '#key-check', 1)),
      ),
      schemaVersion: 1,
    }),
  );
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

/**
 * The vault's sealing as it is today, or (for comparison only, not what Spare does) the same JSON deflated
 * before sealing: what a later format could gain.
 */
async function sealAccount(dataKey: CryptoKey, vaultId: string, next: Account, deflate: boolean) {
  const aad = recordAad(vaultId, next.id, 1);
  if (!deflate) return packSealed(await sealJson(dataKey, next, aad));
  return packSealed(await seal(dataKey, deflateSync(encoding.utf8(JSON.stringify(next)), { level: 9 }), aad));
}

async function largestThatFits(codeValues: () => string[], used: number, deflate = false) {
  const dataKey = await generateDataKey();
  const vaultId = encoding.randomId();
  const header = await headerBytes(dataKey, vaultId);
  const records = new Map<string, Uint8Array>();
  let recordBytes = 0;
  for (;;) {
    const next = account(codeValues(), used);
    const sealed = await sealAccount(dataKey, vaultId, next, deflate);
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
    ['10 codes of 8 digits, none used', digits(8), 0, 43],
    ['10 codes of 8 digits, all used', digits(8), 10, 17],
    ['16 codes of 10 hex characters, none used', hex, 0, 28],
    ['16 codes of 10 hex characters, all used', hex, 16, 11],
  ] as const)('%s', async (_name, codes, used, expected) => {
    const measured = await largestThatFits(codes, used);
    console.log(_name, measured);
    expect(measured.accounts).toBe(expected);
  });

  // Deflate output length depends on the random ids and codes, so these are ranges, not exact counts.
  test.each([
    ['deflated: 10 codes of 8 digits, none used', digits(8), 0, 100],
    ['deflated: 10 codes of 8 digits, all used', digits(8), 10, 62],
    ['deflated: 16 codes of 10 hex characters, none used', hex, 0, 72],
    ['deflated: 16 codes of 10 hex characters, all used', hex, 16, 43],
  ] as const)('%s', async (_name, codes, used, atLeast) => {
    const measured = await largestThatFits(codes, used, true);
    console.log(_name, measured);
    expect(measured.accounts).toBeGreaterThanOrEqual(atLeast);
  });
});
