/**
 * A first look at an export file: a zip, an OpenPGP-encrypted file, JSON, or text (CSV). Each reader then
 * decides from this whether the file is its format. JSON is parsed once here, so a 50 MB file is not parsed
 * again by every reader that looks at it.
 */
import { SpareError } from '../errors';
import { listZip, type ZipEntry } from './zip';

export type ExportContent =
  | { kind: 'zip'; bytes: Uint8Array; entries: readonly ZipEntry[] }
  | { kind: 'pgp' }
  /** A KeePass database (.kdbx), always encrypted. */
  | { kind: 'kdbx' }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'binary' };

const ZIP_SIGNATURES = [
  [0x50, 0x4b, 0x03, 0x04], // a local file header: any zip with a file in it
  [0x50, 0x4b, 0x05, 0x06], // an empty zip: only the end of the central directory
];

/** KeePass 2 database: its two signature words, little-endian. */
const KDBX_SIGNATURE = [0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5];

const startsWith = (bytes: Uint8Array, signature: readonly number[]) =>
  signature.every((byte, i) => bytes[i] === byte);

export function readExportContent(bytes: Uint8Array, fileName?: string): ExportContent {
  if (ZIP_SIGNATURES.some((signature) => startsWith(bytes, signature))) {
    return { kind: 'zip', bytes, entries: listZip(bytes) };
  }
  if (startsWith(bytes, KDBX_SIGNATURE)) return { kind: 'kdbx' };
  // A binary OpenPGP message starts with a packet tag byte (high bit set); only the name tells it from noise.
  if (/\.(?:pgp|gpg)$/i.test(fileName ?? '') && bytes.length > 0 && (bytes[0]! & 0x80) !== 0) {
    return { kind: 'pgp' };
  }
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\ufeff/, '');
  const start = text.trimStart();
  // Older Proton Pass versions wrote the armored message in base64 ("-----BEGIN PGP" is "LS0tLS1CRUdJTiBQR1A").
  if (start.startsWith('-----BEGIN PGP MESSAGE-----') || start.startsWith('LS0tLS1CRUdJTiBQR1A')) {
    return { kind: 'pgp' };
  }
  if (start.startsWith('{') || start.startsWith('[')) {
    const value = parseJson(
      text,
      () =>
        new SpareError(
          'export-corrupt',
          'This JSON file is damaged or cut short, so Spare cannot read it. Export it again from your password manager.',
        ),
    );
    return { kind: 'json', value };
  }
  // Text has no NUL and few replacement characters; anything else is some other binary file.
  const replaced = (text.match(/[\ufffd\0]/g) ?? []).length;
  if (replaced > 0 && replaced > text.length / 100) return { kind: 'binary' };
  return { kind: 'text', text };
}

/**
 * JSON.parse, with `refusal` thrown in place of its SyntaxError. The SyntaxError is dropped, not kept as a
 * cause: V8 quotes the text around the mistake in its message, and that text may be a password.
 */
export function parseJson(text: string, refusal: () => SpareError): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw refusal();
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string property, or '' when it is missing or not a string. */
export const stringOf = (record: Record<string, unknown>, key: string): string => {
  const value = record[key];
  return typeof value === 'string' ? value : '';
};
