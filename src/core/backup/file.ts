/**
 * The encrypted backup file (design §4.4, a contract; specified in docs/backup-format.md).
 *
 * Integrity rule: a file is accepted only if it is byte for byte the canonical serialisation of the values
 * it holds, and the header (format, version, KDF parameters and salt) is part of the AES-GCM associated
 * data of both ciphertexts. So every change to the file, down to a single bit in a key name, a
 * separator, a base64 padding bit or the final newline, is refused: structurally by the canonical check,
 * or cryptographically by GCM.
 */
import {
  checkKdfParams,
  deriveWrappingKey,
  encoding,
  generateDataKey,
  newKdfParams,
  open,
  seal,
  unwrapDataKey,
  wrapDataKey,
  type KdfParams,
  type Sealed,
} from '../crypto';
import { IV_BYTES, TAG_BYTES, DATA_KEY_BYTES } from '../crypto/aead';
import { SpareError, isSpareError } from '../errors';
import { validatePlain, type PlainVault } from './plain';

export const BACKUP_FORMAT = 'spare-backup';
export const BACKUP_VERSION = 1;

export interface BackupInfo {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  kdf: { name: 'argon2id'; memoryKiB: number; iterations: number; parallelism: number };
}

interface BackupFile {
  kdf: KdfParams;
  wrappedKey: Sealed;
  payload: Sealed;
}

export interface DecryptOptions {
  /**
   * Replaces Argon2id for this call, e.g. to reuse a key already derived for the same password and the
   * same parameters (restoring several files). Receives parameters that already passed checkKdfParams.
   */
  deriveKey?: (password: string, params: KdfParams) => Promise<CryptoKey>;
}

const WRAPPED_KEY_LABEL = 'spare-backup.wrapped-key.';
const PAYLOAD_LABEL = 'spare-backup.payload.';

function headerJson(kdf: KdfParams): string {
  return JSON.stringify({
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    kdf: {
      name: kdf.name,
      memoryKiB: kdf.memoryKiB,
      iterations: kdf.iterations,
      parallelism: kdf.parallelism,
      salt: encoding.toBase64(kdf.salt),
    },
  });
}

function aad(label: string, kdf: KdfParams): Uint8Array {
  return encoding.utf8(label + headerJson(kdf));
}

const sealedJson = (s: Sealed) => ({ iv: encoding.toBase64(s.iv), ct: encoding.toBase64(s.ct) });

/** The only serialisation a reader accepts: compact JSON, keys in this order, one final newline. */
function serializeBackup(file: BackupFile): string {
  const header = JSON.parse(headerJson(file.kdf)) as object;
  return `${JSON.stringify({ ...header, wrappedKey: sealedJson(file.wrappedKey), payload: sealedJson(file.payload) })}\n`;
}

// The layout of a canonical v1 file with every value reduced to its character class. Matching it before
// parsing tells a cut-short file (a prefix of the layout) from a damaged one, and a damaged key name or
// separator from a value outside the KDF bounds.
type ShapePart = string | RegExp;
const CANONICAL_SHAPE: ShapePart[] = [
  '{"format":"spare-backup","version":',
  /[0-9]/,
  ',"kdf":{"name":"argon2id","memoryKiB":',
  /[0-9]/,
  ',"iterations":',
  /[0-9]/,
  ',"parallelism":',
  /[0-9]/,
  ',"salt":"',
  /[A-Za-z0-9+/=]/,
  '"},"wrappedKey":{"iv":"',
  /[A-Za-z0-9+/=]/,
  '","ct":"',
  /[A-Za-z0-9+/=]/,
  '"},"payload":{"iv":"',
  /[A-Za-z0-9+/=]/,
  '","ct":"',
  /[A-Za-z0-9+/=]/,
  '"}}\n',
];

function matchShape(text: string): 'complete' | 'cut-short' | 'different' {
  let at = 0;
  for (const part of CANONICAL_SHAPE) {
    if (typeof part === 'string') {
      const available = text.slice(at, at + part.length);
      if (!part.startsWith(available)) return 'different';
      if (available.length < part.length) return 'cut-short';
      at += part.length;
    } else {
      while (at < text.length && part.test(text[at]!)) at++;
      if (at === text.length) return 'cut-short';
    }
  }
  return at === text.length ? 'complete' : 'different';
}

// The messages say what the file is not and what to pick instead, never how the format is built: a person
// meets them in the popup (which shows its own translated text per code) and on the CLI's stderr. The detail
// of what was wrong goes into the cause, for whoever debugs.
const tampered = (detail: string) =>
  new SpareError(
    'backup-tampered',
    'This backup file was altered or damaged after Spare saved it. Pick another copy of your backup.',
    { cause: new Error(detail) },
  );
const truncated = () =>
  new SpareError(
    'backup-truncated',
    'This backup file is incomplete: it was cut short while being saved or copied. Pick another copy of your backup.',
  );
const unknownFormat = (detail: string) =>
  new SpareError(
    'backup-unknown-format',
    'This file is not a Spare backup. Pick a file you exported from Spare (spare-backup-….spare).',
    { cause: new Error(detail) },
  );
const newerVersion = (version: string) =>
  new SpareError(
    'backup-unknown-format',
    `This backup was made by a newer Spare (file version ${version}). Update Spare, then restore it.`,
  );

function decodeText(input: string | Uint8Array): string {
  if (typeof input === 'string') return input;
  try {
    return encoding.fromUtf8(input);
  } catch {
    // Invalid UTF-8 inside something that starts like a backup is damage; anything else is a foreign file.
    const start = new TextDecoder().decode(input.subarray(0, 24));
    throw start === '{"format":"spare-backup"' ? tampered('not UTF-8 text') : unknownFormat('not UTF-8 text');
  }
}

function base64Field(value: unknown, what: string): Uint8Array {
  if (typeof value !== 'string') throw tampered(`${what} is not text`);
  try {
    return encoding.fromBase64(value);
  } catch {
    throw tampered(`${what} is not canonical base64`);
  }
}

function sealedField(value: unknown, what: string, ctLength?: number): Sealed {
  if (typeof value !== 'object' || value === null) throw tampered(`${what} is not an object`);
  const fields = value as Record<string, unknown>;
  const iv = base64Field(fields['iv'], `${what}.iv`);
  const ct = base64Field(fields['ct'], `${what}.ct`);
  if (iv.length !== IV_BYTES) throw tampered(`${what}.iv is not ${IV_BYTES} bytes`);
  if (ct.length < TAG_BYTES || (ctLength !== undefined && ct.length !== ctLength)) {
    throw tampered(`${what}.ct has the wrong length`);
  }
  return { iv, ct };
}

// Explains a file that does not have the canonical layout: foreign, from a newer Spare, or damaged.
function classifyNonCanonical(text: string): SpareError {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text.startsWith('{"format":"spare-backup"')
      ? tampered('not valid JSON')
      : unknownFormat('not a JSON file');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return unknownFormat('not a JSON object');
  const root = value as Record<string, unknown>;
  if (root['format'] !== BACKUP_FORMAT) {
    return unknownFormat(
      typeof root['format'] === 'string' ? `format "${root['format']}"` : 'no "format" field',
    );
  }
  if (root['version'] !== BACKUP_VERSION) {
    return typeof root['version'] === 'number' && root['version'] > BACKUP_VERSION
      ? newerVersion(String(root['version']))
      : unknownFormat(`version ${JSON.stringify(root['version'])}`);
  }
  return tampered('it is not in the exact layout Spare writes');
}

/** Everything that can be checked without the password, in the order that gives the most useful error. */
function readBackupFile(input: string | Uint8Array): BackupFile {
  const text = decodeText(input);
  if (text.length === 0) throw truncated();
  const declaredVersion = /^\{"format":"spare-backup","version":(\d+)[,}]/.exec(text);
  if (declaredVersion && Number(declaredVersion[1]) !== BACKUP_VERSION) {
    throw Number(declaredVersion[1]) > BACKUP_VERSION
      ? newerVersion(declaredVersion[1]!)
      : unknownFormat(`version ${declaredVersion[1]}`);
  }
  const shape = matchShape(text);
  if (shape === 'cut-short') throw truncated();
  if (shape === 'different') throw classifyNonCanonical(text);

  let root: Record<string, Record<string, unknown>>;
  try {
    root = JSON.parse(text) as typeof root;
  } catch {
    throw tampered('not valid JSON');
  }
  const rawKdf = root['kdf']!;
  const kdf = checkKdfParams({ ...rawKdf, salt: base64Field(rawKdf['salt'], 'kdf.salt') });
  const file: BackupFile = {
    kdf,
    wrappedKey: sealedField(root['wrappedKey'], 'wrappedKey', DATA_KEY_BYTES + TAG_BYTES),
    payload: sealedField(root['payload'], 'payload'),
  };
  // Catches what the layout cannot: leading zeros, non-canonical base64, a version other than 1 that
  // slipped past as digits.
  if (text !== serializeBackup(file)) throw tampered('it is not in the exact layout Spare writes');
  return file;
}

export function inspectBackup(fileText: string | Uint8Array): BackupInfo {
  const { kdf } = readBackupFile(fileText);
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    kdf: {
      name: kdf.name,
      memoryKiB: kdf.memoryKiB,
      iterations: kdf.iterations,
      parallelism: kdf.parallelism,
    },
  };
}

export async function encryptBackup(plain: PlainVault, password: string, kdf?: KdfParams): Promise<string> {
  if (password.length === 0) throw new SpareError('invalid-input', 'The backup password is empty.');
  const params = kdf === undefined ? newKdfParams() : checkKdfParams(kdf);
  const body = validatePlain(plain);
  const wrappingKey = await deriveWrappingKey(password, params);
  const dataKey = await generateDataKey();
  const wrappedKey = await wrapDataKey(wrappingKey, dataKey, aad(WRAPPED_KEY_LABEL, params));
  const plaintext = encoding.utf8(JSON.stringify(body));
  try {
    const payload = await seal(dataKey, plaintext, aad(PAYLOAD_LABEL, params));
    return serializeBackup({ kdf: params, wrappedKey, payload });
  } finally {
    plaintext.fill(0);
  }
}

/**
 * Errors: 'backup-unknown-format', 'backup-truncated', 'backup-tampered', 'kdf-params-out-of-bounds'
 * (all before any key derivation), then 'wrong-password'. A changed salt, cost or wrapped key cannot be
 * told apart from a wrong password: both simply give another key.
 */
export async function decryptBackup(
  fileText: string | Uint8Array,
  password: string,
  options: DecryptOptions = {},
): Promise<PlainVault> {
  const file = readBackupFile(fileText);
  // Spare never writes a file without a password, so an empty one can only be the wrong one.
  if (password.length === 0) throw new SpareError('wrong-password', 'Wrong password for this backup file.');
  const derive = options.deriveKey ?? deriveWrappingKey;
  const wrappingKey = await derive(password, file.kdf);
  let dataKey: CryptoKey;
  try {
    dataKey = await unwrapDataKey(wrappingKey, file.wrappedKey, aad(WRAPPED_KEY_LABEL, file.kdf));
  } catch (error) {
    if (isSpareError(error, 'wrong-password')) {
      throw new SpareError('wrong-password', 'Wrong password for this backup file.', { cause: error });
    }
    throw error;
  }
  let plaintext: Uint8Array;
  try {
    plaintext = await open(dataKey, file.payload, aad(PAYLOAD_LABEL, file.kdf));
  } catch {
    throw tampered('the encrypted contents do not authenticate');
  }
  try {
    return validatePlain(JSON.parse(encoding.fromUtf8(plaintext)));
  } catch (error) {
    if (isSpareError(error, 'plain-invalid')) throw error;
    throw new SpareError(
      'plain-invalid',
      'The password is right, but what this backup holds is not a list of Spare accounts. Pick another copy of your backup.',
      { cause: error },
    );
  } finally {
    plaintext.fill(0);
  }
}
