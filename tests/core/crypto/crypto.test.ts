import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isSpareError, type SpareErrorCode } from '../../../src/core/errors';
import {
  DEFAULT_KDF,
  checkKdfParams,
  deriveWrappingKey,
  encoding,
  exportRawKey,
  generateDataKey,
  importDataKey,
  keyWrapAad,
  newKdfParams,
  open,
  openJson,
  recordAad,
  seal,
  sealJson,
  unwrapDataKey,
  wrapDataKey,
  type KdfParams,
} from '../../../src/core/crypto';

// The lowest parameters checkKdfParams accepts: real Argon2id work, about 0.1 s each in Node.
const FAST: Omit<KdfParams, 'salt'> = { name: 'argon2id', memoryKiB: 19456, iterations: 2, parallelism: 1 };
const fastParams = (saltByte = 7): KdfParams => ({ ...FAST, salt: new Uint8Array(16).fill(saltByte) });

async function expectSpareError(promise: Promise<unknown>, code: SpareErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isSpareError(error) ? error.code : error).toBe(code);
}

function expectSyncSpareError(fn: () => unknown, code: SpareErrorCode): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(isSpareError(thrown) ? thrown.code : thrown).toBe(code);
}

const bytes = (...values: number[]) => new Uint8Array(values);

describe('KDF parameters', () => {
  test('newKdfParams uses the defaults (m = 64 MiB, t = 3, p = 4) and a fresh 16-byte salt', () => {
    const a = newKdfParams();
    const b = newKdfParams();
    expect(DEFAULT_KDF).toEqual({ memoryKiB: 65536, iterations: 3, parallelism: 4 });
    expect(a).toMatchObject({ name: 'argon2id', ...DEFAULT_KDF });
    expect(a.salt).toHaveLength(16);
    expect(encoding.toHex(a.salt)).not.toBe(encoding.toHex(b.salt));
    expect(checkKdfParams(a)).toEqual(a);
  });

  test.each([
    ['the floor m = 19456 KiB, t = 2, p = 1', { memoryKiB: 19456, iterations: 2, parallelism: 1 }, 16],
    [
      'the most memory: m = 256 MiB with t = 2, p = 8',
      { memoryKiB: 262144, iterations: 2, parallelism: 8 },
      64,
    ],
    ['the most passes: t = 10 with m = 51 MiB', { memoryKiB: 52428, iterations: 10, parallelism: 1 }, 16],
  ])('accepts %s', (_, costs, saltLength) => {
    const params = { name: 'argon2id', ...costs, salt: new Uint8Array(saltLength) };
    expect(checkKdfParams(params)).toEqual(params);
  });

  test.each([
    ['memory below 19 MiB', { memoryKiB: 19455 }],
    ['a single pass', { iterations: 1 }],
    ['no lanes', { parallelism: 0 }],
    ['memory above 256 MiB', { memoryKiB: 262145 }],
    ['more than 10 passes', { iterations: 11 }],
    ['more than 8 lanes', { parallelism: 9 }],
    // Each cost within its own bound, but together more than 512 MiB of memory passes (2.7× the default).
    [
      'the per-parameter ceiling m = 256 MiB, t = 10, p = 8',
      { memoryKiB: 262144, iterations: 10, parallelism: 8 },
    ],
    ['256 MiB with 3 passes', { memoryKiB: 262144, iterations: 3 }],
    ['64 MiB with 9 passes', { memoryKiB: 65536, iterations: 9 }],
    ['a fractional cost', { memoryKiB: 65536.5 }],
    ['a cost given as text', { iterations: '3' }],
    ['NaN', { parallelism: Number.NaN }],
    ['another Argon2 variant', { name: 'argon2i' }],
    ['a missing name', { name: undefined }],
    ['a 15-byte salt', { salt: new Uint8Array(15) }],
    ['a 65-byte salt', { salt: new Uint8Array(65) }],
    ['a salt given as text', { salt: 'c29tZXNhbHQ=' }],
    ['a salt given as an array of numbers', { salt: Array.from({ length: 16 }, () => 1) }],
  ])('refuses %s', (_, change) => {
    expectSyncSpareError(() => checkKdfParams({ ...fastParams(), ...change }), 'kdf-params-out-of-bounds');
  });

  test.each([null, undefined, 42, 'argon2id'])('refuses %s instead of an object', (value) => {
    expectSyncSpareError(() => checkKdfParams(value), 'kdf-params-out-of-bounds');
  });

  test('returns a copy, so later changes to the caller’s salt do not alter checked parameters', () => {
    const input = fastParams(1);
    const checked = checkKdfParams(input);
    input.salt[0] = 99;
    expect(checked.salt[0]).toBe(1);
  });
});

describe('deriveWrappingKey', () => {
  test(
    'the same password and parameters give interchangeable keys; another password or salt does not',
    {
      timeout: 20_000,
    },
    async () => {
      const [k1, k2, otherPassword, otherSalt] = await Promise.all([
        deriveWrappingKey('correct horse', fastParams(1)),
        deriveWrappingKey('correct horse', fastParams(1)),
        deriveWrappingKey('correct horsf', fastParams(1)),
        deriveWrappingKey('correct horse', fastParams(2)),
      ]);
      const aad = encoding.utf8('test');
      const sealed = await seal(k1, encoding.utf8('payload'), aad);
      expect(encoding.fromUtf8(await open(k2, sealed, aad))).toBe('payload');
      await expectSpareError(open(otherPassword, sealed, aad), 'decrypt-failed');
      await expectSpareError(open(otherSalt, sealed, aad), 'decrypt-failed');
      expect(k1.extractable).toBe(false);
    },
  );

  test(
    'composed and decomposed spellings of one password derive the same key (NFC)',
    { timeout: 20_000 },
    async () => {
      const composed = await deriveWrappingKey('caf\u00e9', fastParams());
      const decomposed = await deriveWrappingKey('cafe\u0301', fastParams());
      const aad = new Uint8Array();
      expect(await open(decomposed, await seal(composed, bytes(1, 2, 3), aad), aad)).toEqual(bytes(1, 2, 3));
    },
  );

  test('refuses an empty password', async () => {
    await expectSpareError(deriveWrappingKey('', fastParams()), 'invalid-input');
  });

  test('checks the parameters before spending any time on them', async () => {
    const started = performance.now();
    await expectSpareError(
      deriveWrappingKey('pw', { ...fastParams(), memoryKiB: 4 * 1048576 }),
      'kdf-params-out-of-bounds',
    );
    // A hostile backup at the per-parameter ceiling (the old ceiling took 53 s and 1.1 GiB) is refused at once.
    await expectSpareError(
      deriveWrappingKey('pw', { ...fastParams(), memoryKiB: 262144, iterations: 10, parallelism: 8 }),
      'kdf-params-out-of-bounds',
    );
    expect(performance.now() - started).toBeLessThan(50);
  });

  test(
    'the costliest parameters a file may ask for derive within 10 s (measured, so a hostile file cannot stall)',
    { timeout: 30_000 },
    async () => {
      const costliest = { ...fastParams(), memoryKiB: 262144, iterations: 2, parallelism: 8 };
      expect(checkKdfParams(costliest)).toEqual(costliest);
      const started = performance.now();
      await deriveWrappingKey('pw', costliest);
      const seconds = (performance.now() - started) / 1000;
      console.log(`Argon2id at the work ceiling (m = 256 MiB, t = 2, p = 8): ${seconds.toFixed(1)} s`);
      expect(seconds).toBeLessThan(10);
    },
  );
});

describe('seal and open', () => {
  test('round-trips, appends a 16-byte tag, and draws a fresh 96-bit IV every call', async () => {
    const key = await generateDataKey();
    const aad = recordAad('vault', 'record', 1);
    const plaintext = encoding.utf8('1234 5678');
    const ivs = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const sealed = await seal(key, plaintext, aad);
      expect(sealed.iv).toHaveLength(12);
      expect(sealed.ct).toHaveLength(plaintext.length + 16);
      ivs.add(encoding.toHex(sealed.iv));
      if (i < 3) expect(await open(key, sealed, aad)).toEqual(plaintext);
    }
    expect(ivs.size).toBe(200);
  });

  test('refuses two records whose ciphertexts were swapped', async () => {
    const key = await generateDataKey();
    const aadA = recordAad('vault-1', 'account-a', 1);
    const aadB = recordAad('vault-1', 'account-b', 1);
    const a = await sealJson(key, { code: '1111 1111' }, aadA);
    const b = await sealJson(key, { code: '2222 2222' }, aadB);
    await expectSpareError(openJson(key, b, aadA), 'decrypt-failed');
    await expectSpareError(openJson(key, a, aadB), 'decrypt-failed');
    expect(await openJson(key, a, aadA)).toEqual({ code: '1111 1111' });
  });

  test('refuses a record moved to another vault or read under another schema version', async () => {
    const key = await generateDataKey();
    const sealed = await sealJson(key, 'x', recordAad('vault-1', 'r', 1));
    await expectSpareError(openJson(key, sealed, recordAad('vault-2', 'r', 1)), 'decrypt-failed');
    await expectSpareError(openJson(key, sealed, recordAad('vault-1', 'r', 2)), 'decrypt-failed');
  });

  test('refuses any single flipped bit in the IV or the ciphertext', async () => {
    const key = await generateDataKey();
    const aad = bytes(9);
    const sealed = await seal(key, bytes(1, 2, 3, 4), aad);
    for (const part of ['iv', 'ct'] as const) {
      for (let bit = 0; bit < sealed[part].length * 8; bit++) {
        const copy = { iv: sealed.iv.slice(), ct: sealed.ct.slice() };
        copy[part][bit >> 3]! ^= 1 << (bit & 7);
        await expectSpareError(open(key, copy, aad), 'decrypt-failed');
      }
    }
  });

  test('refuses malformed input (short IV, ciphertext shorter than a tag) as decrypt-failed', async () => {
    const key = await generateDataKey();
    const sealed = await seal(key, bytes(1), bytes());
    await expectSpareError(
      open(key, { iv: sealed.iv.subarray(0, 11), ct: sealed.ct }, bytes()),
      'decrypt-failed',
    );
    await expectSpareError(
      open(key, { iv: sealed.iv, ct: sealed.ct.subarray(0, 15) }, bytes()),
      'decrypt-failed',
    );
  });

  test('openJson refuses authentic bytes that are not JSON', async () => {
    const key = await generateDataKey();
    const sealed = await seal(key, encoding.utf8('{not json'), bytes());
    await expectSpareError(openJson(key, sealed, bytes()), 'decrypt-failed');
  });
});

describe('data key wrapping', () => {
  test('a random extractable 256-bit data key; two keys differ', async () => {
    const [a, b] = await Promise.all([generateDataKey(), generateDataKey()]);
    expect(a.extractable).toBe(true);
    const rawA = await exportRawKey(a);
    expect(rawA).toHaveLength(32);
    expect(encoding.toHex(rawA)).not.toBe(encoding.toHex(await exportRawKey(b)));
    expect(await exportRawKey(await importDataKey(rawA))).toEqual(rawA);
    await expectSpareError(importDataKey(rawA.subarray(0, 16)), 'decrypt-failed');
  });

  test(
    'unwrap gives back the data key; a wrong password or another vault’s AAD is "wrong-password"',
    {
      timeout: 20_000,
    },
    async () => {
      const dataKey = await generateDataKey();
      const params = fastParams(3);
      const [right, wrong] = await Promise.all([
        deriveWrappingKey('right password', params),
        deriveWrappingKey('wrong password', params),
      ]);
      const aad = keyWrapAad('vault-1', 1);
      const wrapped = await wrapDataKey(right, dataKey, aad);
      expect(wrapped.ct).toHaveLength(48);
      const unwrapped = await unwrapDataKey(right, wrapped, aad);
      expect(await exportRawKey(unwrapped)).toEqual(await exportRawKey(dataKey));
      await expectSpareError(unwrapDataKey(wrong, wrapped, aad), 'wrong-password');
      await expectSpareError(unwrapDataKey(right, wrapped, keyWrapAad('vault-2', 1)), 'wrong-password');
    },
  );

  test(
    'changing the password re-wraps the data key only: records sealed before stay readable',
    {
      timeout: 20_000,
    },
    async () => {
      const dataKey = await generateDataKey();
      const aad = keyWrapAad('v', 1);
      const record = await sealJson(dataKey, { site: 'example.com' }, recordAad('v', 'r1', 1));
      const oldWrapping = await deriveWrappingKey('old', fastParams(4));
      const newParams = fastParams(5);
      const unlocked = await unwrapDataKey(oldWrapping, await wrapDataKey(oldWrapping, dataKey, aad), aad);
      const newWrapped = await wrapDataKey(await deriveWrappingKey('new', newParams), unlocked, aad);
      const reopened = await unwrapDataKey(await deriveWrappingKey('new', newParams), newWrapped, aad);
      expect(await openJson(reopened, record, recordAad('v', 'r1', 1))).toEqual({ site: 'example.com' });
      await expectSpareError(unwrapDataKey(oldWrapping, newWrapped, aad), 'wrong-password');
    },
  );
});

describe('recordAad', () => {
  test('has a fixed layout: label, vault id, record id, version as uint32 BE, each length-prefixed', () => {
    expect(encoding.toHex(recordAad('v', 'r', 1))).toBe(
      '0000000c' +
        encoding.toHex(encoding.utf8('spare/record')) +
        ['0000000176', '0000000172', '0000000400000001'].join(''),
    );
  });

  test('no two different (vault, record, version) triples share an AAD', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.string(), fc.string(), fc.nat()),
        fc.tuple(fc.string(), fc.string(), fc.nat()),
        (a, b) => {
          fc.pre(a[0] !== b[0] || a[1] !== b[1] || a[2] !== b[2]);
          expect(encoding.toHex(recordAad(...a))).not.toBe(encoding.toHex(recordAad(...b)));
        },
      ),
    );
    expect(encoding.toHex(recordAad('ab', 'c', 1))).not.toBe(encoding.toHex(recordAad('a', 'bc', 1)));
  });

  test('differs from the key-wrap AAD of the same vault', () => {
    expect(encoding.toHex(recordAad('v', '', 1))).not.toBe(encoding.toHex(keyWrapAad('v', 1)));
  });

  test.each([-1, 1.5, 2 ** 32])('refuses schema version %s', (version) => {
    expectSyncSpareError(() => recordAad('v', 'r', version), 'invalid-input');
  });
});

describe('encoding', () => {
  test('base64 round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (data) => {
        expect(encoding.fromBase64(encoding.toBase64(data))).toEqual(data);
      }),
    );
  });

  test.each([
    ['missing padding', 'QQ'],
    ['whitespace', 'QUJD REVG'],
    ['a trailing newline', 'QUJD\n'],
    ['the URL-safe alphabet', 'a-_a'],
    ['non-zero padding bits', 'QR=='],
    ['non-zero padding bits before one "="', 'QUI='.replace('I', 'J')],
    ['too much padding', 'QQ==='],
  ])('fromBase64 refuses %s', (_, text) => {
    expectSyncSpareError(() => encoding.fromBase64(text), 'invalid-input');
  });

  test('fromUtf8 refuses bytes that are not UTF-8 instead of substituting U+FFFD', () => {
    expectSyncSpareError(() => encoding.fromUtf8(bytes(0x61, 0x8a)), 'invalid-input');
    expect(encoding.fromUtf8(encoding.utf8('é✓'))).toBe('é✓');
  });

  test('randomId is 22 URL-safe characters and does not repeat', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => encoding.randomId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  test('hex round-trips and refuses odd or non-hex input', () => {
    expect(encoding.fromHex(encoding.toHex(bytes(0, 15, 255)))).toEqual(bytes(0, 15, 255));
    expectSyncSpareError(() => encoding.fromHex('abc'), 'invalid-input');
    expectSyncSpareError(() => encoding.fromHex('zz'), 'invalid-input');
  });
});
