import { argon2id } from 'hash-wasm';
import { SpareError } from '../errors';
import { randomBytes, utf8 } from './encoding';

export interface KdfParams {
  name: 'argon2id';
  /** Argon2 memory cost m, in KiB. */
  memoryKiB: number;
  /** Argon2 time cost t (passes over memory). */
  iterations: number;
  /** Argon2 lanes p. */
  parallelism: number;
  salt: Uint8Array;
}

export const DEFAULT_KDF = { memoryKiB: 65536, iterations: 3, parallelism: 4 } as const;

/**
 * Accepted range for parameters read back from storage or a backup file. The floor is OWASP's lowest
 * recommended Argon2id setting (m = 19 MiB with t = 2): a file that asks for less was not written by Spare
 * and would let an attacker who swapped it make password guessing cheap. The ceilings stop a hostile file
 * from stalling or exhausting the browser before the password is even checked: a file at the old ceiling
 * (1 GiB, 20 passes, 16 lanes) took 53 s and 1.1 GiB in one derivation. Both bounds apply on every read.
 */
export const KDF_BOUNDS = {
  memoryKiB: { min: 19456, max: 262144 },
  iterations: { min: 2, max: 10 },
  parallelism: { min: 1, max: 8 },
  saltBytes: { min: 16, max: 64 },
} as const;

/**
 * Ceiling on memory × passes, the work a derivation costs (hash-wasm runs the lanes one after another, so
 * lanes add none). 512 MiB·passes is 2.7× the default (64 MiB × 3): it still allows a stronger setting than
 * Spare writes, while the costliest file accepted derives in a few seconds even on a slow machine.
 */
export const KDF_MAX_WORK_KIB_PASSES = 524288;

export const SALT_BYTES = 16;
export const DERIVED_KEY_BYTES = 32;

export function newKdfParams(): KdfParams {
  return { name: 'argon2id', ...DEFAULT_KDF, salt: randomBytes(SALT_BYTES) };
}

function outOfBounds(message: string): SpareError {
  return new SpareError('kdf-params-out-of-bounds', `Key-derivation parameters refused: ${message}.`);
}

function checkInteger(value: unknown, field: 'memoryKiB' | 'iterations' | 'parallelism'): number {
  const { min, max } = KDF_BOUNDS[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw outOfBounds(`${field} must be an integer`);
  }
  if (value < min) throw outOfBounds(`${field} = ${value} is below the minimum ${min}`);
  if (value > max) throw outOfBounds(`${field} = ${value} is above the maximum ${max}`);
  return value;
}

// Not instanceof: values that crossed a realm (structured clone, another frame) fail that test.
function isUint8Array(value: unknown): value is Uint8Array {
  return Object.prototype.toString.call(value) === '[object Uint8Array]';
}

/** Validates untrusted parameters and returns a fresh copy (the salt is copied too). */
export function checkKdfParams(p: unknown): KdfParams {
  if (typeof p !== 'object' || p === null) throw outOfBounds('not an object');
  const candidate = p as Record<string, unknown>;
  if (candidate['name'] !== 'argon2id')
    throw outOfBounds(`algorithm ${String(candidate['name'])} is not argon2id`);
  const memoryKiB = checkInteger(candidate['memoryKiB'], 'memoryKiB');
  const iterations = checkInteger(candidate['iterations'], 'iterations');
  const parallelism = checkInteger(candidate['parallelism'], 'parallelism');
  // Argon2 itself needs at least 8 KiB per lane; the memory floor already guarantees it, checked anyway.
  if (memoryKiB < 8 * parallelism) throw outOfBounds('memoryKiB must be at least 8 × parallelism');
  if (memoryKiB * iterations > KDF_MAX_WORK_KIB_PASSES) {
    throw outOfBounds(
      `memoryKiB × iterations = ${memoryKiB * iterations} is above the maximum work ${KDF_MAX_WORK_KIB_PASSES}`,
    );
  }
  const salt = candidate['salt'];
  if (!isUint8Array(salt)) throw outOfBounds('salt must be bytes');
  if (salt.length < KDF_BOUNDS.saltBytes.min || salt.length > KDF_BOUNDS.saltBytes.max) {
    throw outOfBounds(
      `salt length ${salt.length} is outside ${KDF_BOUNDS.saltBytes.min}..${KDF_BOUNDS.saltBytes.max}`,
    );
  }
  return { name: 'argon2id', memoryKiB, iterations, parallelism, salt: new Uint8Array(salt) };
}

/** Raw Argon2id output (version 0x13, no secret, no associated data) over the password bytes as given. */
export async function argon2idRaw(
  password: Uint8Array,
  salt: Uint8Array,
  memoryKiB: number,
  iterations: number,
  parallelism: number,
  hashLength: number,
): Promise<Uint8Array> {
  return argon2id({
    password,
    salt,
    memorySize: memoryKiB,
    iterations,
    parallelism,
    hashLength,
    outputType: 'binary',
  });
}

/**
 * The password as Argon2id receives it: NFC-normalised, then UTF-8, so the same password typed on different
 * systems (composed vs decomposed accents) gives the same key.
 */
export function passwordBytes(password: string): Uint8Array {
  return utf8(password.normalize('NFC'));
}

/** Checks the parameters, then derives a non-extractable AES-256-GCM key that can only wrap/unwrap. */
export async function deriveWrappingKey(password: string, p: KdfParams): Promise<CryptoKey> {
  const params = checkKdfParams(p);
  // Argon2 itself accepts an empty password; hash-wasm does not, and no master password may be empty.
  if (password.length === 0) throw new SpareError('invalid-input', 'The password is empty.');
  const pw = passwordBytes(password);
  const raw = await argon2idRaw(
    pw,
    params.salt,
    params.memoryKiB,
    params.iterations,
    params.parallelism,
    DERIVED_KEY_BYTES,
  );
  try {
    return await globalThis.crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [
      'encrypt',
      'decrypt',
    ]);
  } finally {
    // Best effort: the key bytes and the password copy should not linger in the heap longer than needed.
    raw.fill(0);
    pw.fill(0);
  }
}
