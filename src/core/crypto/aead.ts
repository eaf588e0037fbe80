import { SpareError } from '../errors';
import { concatBytes, fromUtf8, randomBytes, utf8 } from './encoding';

export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;

/** One AES-256-GCM message. `ct` is the ciphertext followed by the 16-byte tag, as WebCrypto returns it. */
export interface Sealed {
  iv: Uint8Array;
  ct: Uint8Array;
}

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

// WebCrypto's typings want ArrayBuffer-backed views; copying also shields us from a caller mutating a
// shared buffer while an operation is in flight.
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

function gcm(iv: Uint8Array, aad: Uint8Array): AesGcmParams {
  return { name: 'AES-GCM', iv: own(iv), additionalData: own(aad), tagLength: TAG_BYTES * 8 };
}

export async function generateDataKey(): Promise<CryptoKey> {
  return subtle().generateKey({ name: 'AES-GCM', length: DATA_KEY_BYTES * 8 }, true, ['encrypt', 'decrypt']);
}

export async function exportRawKey(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await subtle().exportKey('raw', key));
}

/** Imports a raw 256-bit data key, extractable so that a password change can re-wrap it. */
export async function importDataKey(raw: Uint8Array): Promise<CryptoKey> {
  if (raw.length !== DATA_KEY_BYTES) {
    throw new SpareError('decrypt-failed', `A data key must be ${DATA_KEY_BYTES} bytes, got ${raw.length}.`);
  }
  return subtle().importKey('raw', own(raw), 'AES-GCM', true, ['encrypt', 'decrypt']);
}

/** Encrypts with a fresh random 96-bit IV on every call: never reuse an IV under one key. */
export async function seal(key: CryptoKey, plaintext: Uint8Array, aad: Uint8Array): Promise<Sealed> {
  const iv = randomBytes(IV_BYTES);
  const ct = new Uint8Array(await subtle().encrypt(gcm(iv, aad), key, own(plaintext)));
  return { iv, ct };
}

/** Decrypts and authenticates; any mismatch (key, IV, AAD, ciphertext, tag) is SpareError('decrypt-failed'). */
export async function open(key: CryptoKey, sealed: Sealed, aad: Uint8Array): Promise<Uint8Array> {
  if (sealed.iv.length !== IV_BYTES || sealed.ct.length < TAG_BYTES) {
    throw new SpareError('decrypt-failed', 'The encrypted data is malformed.');
  }
  try {
    return new Uint8Array(await subtle().decrypt(gcm(sealed.iv, aad), key, own(sealed.ct)));
  } catch (cause) {
    throw new SpareError('decrypt-failed', 'The encrypted data could not be authenticated.', { cause });
  }
}

export async function wrapDataKey(
  wrappingKey: CryptoKey,
  dataKey: CryptoKey,
  aad: Uint8Array,
): Promise<Sealed> {
  const raw = await exportRawKey(dataKey);
  try {
    return await seal(wrappingKey, raw, aad);
  } finally {
    raw.fill(0);
  }
}

/**
 * A wrapped key that fails to authenticate almost always means the password was wrong (the wrapping key is
 * derived from it), so that is what the caller hears.
 */
export async function unwrapDataKey(
  wrappingKey: CryptoKey,
  wrapped: Sealed,
  aad: Uint8Array,
): Promise<CryptoKey> {
  let raw: Uint8Array;
  try {
    raw = await open(wrappingKey, wrapped, aad);
  } catch (cause) {
    throw new SpareError('wrong-password', 'Wrong password.', { cause });
  }
  try {
    return await importDataKey(raw);
  } finally {
    raw.fill(0);
  }
}

export async function sealJson(key: CryptoKey, value: unknown, aad: Uint8Array): Promise<Sealed> {
  const text = JSON.stringify(value);
  if (text === undefined) throw new SpareError('invalid-input', 'The value cannot be stored as JSON.');
  return seal(key, utf8(text), aad);
}

export async function openJson<T>(key: CryptoKey, sealed: Sealed, aad: Uint8Array): Promise<T> {
  const bytes = await open(key, sealed, aad);
  try {
    return JSON.parse(fromUtf8(bytes)) as T;
  } catch (cause) {
    throw new SpareError('decrypt-failed', 'The decrypted data is not JSON.', { cause });
  } finally {
    bytes.fill(0);
  }
}

// Length-prefixed fields (4-byte big-endian length, then the bytes) so that no two different field lists
// encode to the same AAD: ("ab","c") and ("a","bc") must not collide.
function lengthPrefixed(...fields: Uint8Array[]): Uint8Array {
  return concatBytes(
    ...fields.flatMap((field) => {
      const length = new Uint8Array(4);
      new DataView(length.buffer).setUint32(0, field.length, false);
      return [length, field];
    }),
  );
}

function uint32(value: number, what: string): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new SpareError('invalid-input', `${what} must be an integer in 0..2^32-1.`);
  }
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}

/**
 * AAD binding a record to its vault, its own id and the schema version: a ciphertext copied to another
 * record, another vault or read under another schema fails to open. The leading label keeps record AADs
 * from ever equalling the key-wrap AAD below.
 */
export function recordAad(vaultId: string, recordId: string, schemaVersion: number): Uint8Array {
  return lengthPrefixed(
    utf8('spare/record'),
    utf8(vaultId),
    utf8(recordId),
    uint32(schemaVersion, 'schemaVersion'),
  );
}

/** AAD for the vault's wrapped data key: binds it to the vault id and the schema version. */
export function keyWrapAad(vaultId: string, schemaVersion: number): Uint8Array {
  return lengthPrefixed(utf8('spare/data-key'), utf8(vaultId), uint32(schemaVersion, 'schemaVersion'));
}
