import { describe, expect, test, vi } from 'vitest';
import { isSpareError, type SpareErrorCode } from '../../../src/core/errors';
import { deriveWrappingKey, encoding, type KdfParams } from '../../../src/core/crypto';
import {
  decryptBackup,
  encryptBackup,
  inspectBackup,
  serializePlain,
  type PlainVault,
} from '../../../src/core/backup';

// The lowest parameters the bounds allow: every derivation below is real Argon2id work (~0.1 s).
const lowKdf = (saltByte = 1): KdfParams => ({
  name: 'argon2id',
  memoryKiB: 19456,
  iterations: 2,
  parallelism: 1,
  salt: new Uint8Array(16).fill(saltByte),
});

const PASSWORD = 'correct horse battery staple';
const SMALL: PlainVault = {
  format: 'spare-plain',
  version: 1,
  accounts: [{ site: 'a.io', codes: [{ code: '1234 5678', used: false }] }],
};

/** Caches keys by password and every KDF input, so a changed parameter or salt still costs a real derivation. */
function memoisedDerive() {
  const cache = new Map<string, Promise<CryptoKey>>();
  const derive = vi.fn((password: string, p: KdfParams) => {
    const id = [password, p.name, p.memoryKiB, p.iterations, p.parallelism, encoding.toBase64(p.salt)].join(
      '|',
    );
    if (!cache.has(id)) cache.set(id, deriveWrappingKey(password, p));
    return cache.get(id)!;
  });
  return { derive, cache };
}

async function errorCode(promise: Promise<unknown>): Promise<SpareErrorCode | 'accepted' | unknown> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return isSpareError(error) ? error.code : error;
  }
}

function syncErrorCode(run: () => unknown): SpareErrorCode | 'accepted' | unknown {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return isSpareError(error) ? error.code : error;
  }
}

const fixture = await encryptBackup(SMALL, PASSWORD, lowKdf());

describe('encryptBackup / decryptBackup', () => {
  test('round-trip the plain vault', async () => {
    expect(await decryptBackup(fixture, PASSWORD)).toEqual(SMALL);
  });

  test('write compact canonical JSON with the documented fields and one final newline', () => {
    expect(fixture.endsWith('}}\n')).toBe(true);
    const parsed = JSON.parse(fixture) as Record<string, Record<string, unknown>>;
    expect(Object.keys(parsed)).toEqual(['format', 'version', 'kdf', 'wrappedKey', 'payload']);
    expect(parsed['kdf']).toEqual({ ...lowKdf(), salt: encoding.toBase64(lowKdf().salt) });
    expect(encoding.fromBase64(parsed['wrappedKey']!['iv'] as string)).toHaveLength(12);
    expect(encoding.fromBase64(parsed['wrappedKey']!['ct'] as string)).toHaveLength(48);
    expect(fixture).not.toContain('1234');
  });

  test(
    'use the default KDF (m = 64 MiB, t = 3, p = 4) and a fresh salt, key and IVs per file',
    { timeout: 20_000 },
    async () => {
      const a = await encryptBackup(SMALL, PASSWORD);
      const b = await encryptBackup(SMALL, PASSWORD);
      expect(inspectBackup(a).kdf).toEqual({
        name: 'argon2id',
        memoryKiB: 65536,
        iterations: 3,
        parallelism: 4,
      });
      const [pa, pb] = [a, b].map((t) => JSON.parse(t) as { kdf: { salt: string }; payload: { ct: string } });
      expect(pa!.kdf.salt).not.toBe(pb!.kdf.salt);
      expect(pa!.payload.ct).not.toBe(pb!.payload.ct);
      expect(await decryptBackup(b, PASSWORD)).toEqual(SMALL);
    },
  );

  test('accept the file as bytes as well as text', async () => {
    expect(await decryptBackup(encoding.utf8(fixture), PASSWORD)).toEqual(SMALL);
  });

  test('refuse a wrong password as "wrong-password"', async () => {
    expect(await errorCode(decryptBackup(fixture, 'correct horse battery stapler'))).toBe('wrong-password');
    expect(await errorCode(decryptBackup(fixture, ''))).toBe('wrong-password');
  });

  test('refuse to write with an empty password or KDF parameters outside the bounds', async () => {
    expect(await errorCode(encryptBackup(SMALL, ''))).toBe('invalid-input');
    expect(await errorCode(encryptBackup(SMALL, PASSWORD, { ...lowKdf(), memoryKiB: 8192 }))).toBe(
      'kdf-params-out-of-bounds',
    );
  });

  test('refuse to write a vault that is not valid spare-plain', async () => {
    const broken = { ...SMALL, accounts: [{ site: 'a.io' }] } as unknown as PlainVault;
    expect(await errorCode(encryptBackup(broken, PASSWORD, lowKdf()))).toBe('plain-invalid');
  });

  test('refuse a payload spliced in from another file encrypted with the same password', async () => {
    const other = await encryptBackup(SMALL, PASSWORD, lowKdf());
    const payloadOf = (text: string) => text.slice(text.indexOf(',"payload":'));
    const spliced = fixture.replace(payloadOf(fixture), payloadOf(other));
    expect(spliced).not.toBe(fixture);
    expect(await errorCode(decryptBackup(spliced, PASSWORD))).toBe('backup-tampered');
  });
});

describe('inspectBackup', () => {
  test('shows the format, version and KDF costs, and nothing secret', () => {
    const info = inspectBackup(fixture);
    expect(info).toEqual({
      format: 'spare-backup',
      version: 1,
      kdf: { name: 'argon2id', memoryKiB: 19456, iterations: 2, parallelism: 1 },
    });
    expect(JSON.stringify(info)).not.toMatch(/salt|iv|ct/);
  });
});

describe('damaged and foreign files', () => {
  test('every single-bit flip of a small backup file is refused', { timeout: 180_000 }, async () => {
    const { derive, cache } = memoisedDerive();
    const bytes = encoding.utf8(fixture);
    const outcomes = new Map<string, number>();
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const flipped = bytes.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      const code = await errorCode(decryptBackup(flipped, PASSWORD, { deriveKey: derive }));
      expect
        .soft(code, `bit ${bit} (byte ${bit >> 3} ${JSON.stringify(fixture[bit >> 3])})`)
        .not.toBe('accepted');
      expect
        .soft([
          'wrong-password',
          'backup-tampered',
          'backup-truncated',
          'backup-unknown-format',
          'kdf-params-out-of-bounds',
        ])
        .toContain(code);
      outcomes.set(String(code), (outcomes.get(String(code)) ?? 0) + 1);
    }
    // Flips inside the salt and costs that stay in bounds must have been checked by a real derivation with
    // the changed parameters, not waved through by the cache.
    expect(cache.size).toBeGreaterThan(20);
    expect(outcomes.get('backup-tampered')).toBeGreaterThan(0);
    expect(outcomes.get('wrong-password')).toBeGreaterThan(0);
    expect(outcomes.get('kdf-params-out-of-bounds')).toBeGreaterThan(0);
  });

  test('every truncation is "backup-truncated", and no key is derived for it', async () => {
    const derive = vi.fn(deriveWrappingKey);
    for (let length = 0; length < fixture.length; length++) {
      expect(
        syncErrorCode(() => inspectBackup(fixture.slice(0, length))),
        `length ${length}`,
      ).toBe('backup-truncated');
    }
    expect(await errorCode(decryptBackup(fixture.slice(0, -1), PASSWORD, { deriveKey: derive }))).toBe(
      'backup-truncated',
    );
    expect(await errorCode(decryptBackup(fixture.slice(0, 200), PASSWORD, { deriveKey: derive }))).toBe(
      'backup-truncated',
    );
    expect(derive).not.toHaveBeenCalled();
  });

  test.each([
    ['an empty object', '{}'],
    ['a JSON list', '[]'],
    ['plain text', 'hello\n'],
    ['a spare-plain file', serializePlain(SMALL)],
    ['another format', '{"format":"other-backup","version":1}\n'],
  ])('refuses %s as "backup-unknown-format"', (_, text) => {
    expect(syncErrorCode(() => inspectBackup(text))).toBe('backup-unknown-format');
  });

  // Issue 9: what the file is not and what to pick, never the format's internals ("no "format" field").
  test.each([
    ['an empty object', '{}'],
    ['a spare-plain file', serializePlain(SMALL)],
    ['another format', '{"format":"other-backup","version":1}\n'],
  ])('says %s is not a Spare backup and which file to pick', (_, text) => {
    let message = '';
    try {
      inspectBackup(text);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'This file is not a Spare backup. Pick a file you exported from Spare (spare-backup-….spare).',
    );
  });

  test('says a newer backup needs a newer Spare', () => {
    const v2 = fixture.replace('"version":1', '"version":2');
    expect(() => inspectBackup(v2)).toThrow(
      'This backup was made by a newer Spare (file version 2). Update Spare',
    );
  });

  test('refuses bytes that are not UTF-8 as "backup-unknown-format"', () => {
    expect(syncErrorCode(() => inspectBackup(new Uint8Array([0xff, 0xfe, 0x00, 0x41])))).toBe(
      'backup-unknown-format',
    );
  });

  test('refuses a newer version, even cut short, as "backup-unknown-format"', () => {
    const v2 = fixture.replace('"version":1', '"version":2');
    expect(syncErrorCode(() => inspectBackup(v2))).toBe('backup-unknown-format');
    expect(syncErrorCode(() => inspectBackup(v2.slice(0, 60)))).toBe('backup-unknown-format');
    const pretty = JSON.stringify({ ...JSON.parse(v2), extra: true }, null, 2);
    expect(syncErrorCode(() => inspectBackup(pretty))).toBe('backup-unknown-format');
  });

  test.each([
    ['memory below 19 MiB', '"memoryKiB":19456', '"memoryKiB":4096'],
    ['memory above 256 MiB', '"memoryKiB":19456', '"memoryKiB":262145'],
    [
      'every cost at its ceiling (m = 256 MiB, t = 10, p = 8: too much work together)',
      '"memoryKiB":19456,"iterations":2,"parallelism":1',
      '"memoryKiB":262144,"iterations":10,"parallelism":8',
    ],
    ['a single pass', '"iterations":2', '"iterations":1'],
    ['eleven passes', '"iterations":2', '"iterations":11'],
    ['nine lanes', '"parallelism":1', '"parallelism":9'],
    ['no lanes', '"parallelism":1', '"parallelism":0'],
  ])('refuses %s as "kdf-params-out-of-bounds" without deriving a key', async (_, from, to) => {
    const derive = vi.fn(deriveWrappingKey);
    const changed = fixture.replace(from, to);
    expect(changed).not.toBe(fixture);
    expect(await errorCode(decryptBackup(changed, PASSWORD, { deriveKey: derive }))).toBe(
      'kdf-params-out-of-bounds',
    );
    expect(syncErrorCode(() => inspectBackup(changed))).toBe('kdf-params-out-of-bounds');
    expect(derive).not.toHaveBeenCalled();
  });

  test.each([
    ['pretty-printed', (t: string) => `${JSON.stringify(JSON.parse(t), null, 2)}\n`],
    ['with Windows line endings', (t: string) => t.replace(/\n$/, '\r\n')],
    ['with a blank line after it', (t: string) => `${t}\n`],
    [
      'with keys in another order',
      (t: string) => {
        const { payload, ...rest } = JSON.parse(t) as Record<string, unknown>;
        return `${JSON.stringify({ payload, ...rest })}\n`;
      },
    ],
    ['with an extra field', (t: string) => t.replace('}}\n', '},"note":"x"}\n')],
    ['with a leading zero in a cost', (t: string) => t.replace('"iterations":2', '"iterations":02')],
    ['with base64 split by a newline', (t: string) => t.replace(/("ct":"[A-Za-z0-9+/]{8})/, '$1\\n')],
  ])('refuses a file %s as "backup-tampered"', (_, edit) => {
    const edited = edit(fixture);
    expect(edited).not.toBe(fixture);
    expect(syncErrorCode(() => inspectBackup(edited))).toBe('backup-tampered');
  });
});
