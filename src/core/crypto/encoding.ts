import { SpareError } from '../errors';

const utf8Encoder = new TextEncoder();
// fatal: a byte sequence that is not UTF-8 must fail loudly, never turn into U+FFFD and decode "successfully".
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch (cause) {
    throw new SpareError('invalid-input', 'The bytes are not valid UTF-8 text.', { cause });
  }
}

// btoa/atob take "binary strings"; chunking keeps String.fromCharCode below engines' argument limits.
const CHUNK = 0x8000;

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Standard alphabet, padding required, no whitespace, and the unused low bits of the last character must be
 * zero. atob alone is lenient (it skips whitespace and ignores those bits), so two different strings could
 * decode to the same bytes; a backup file must have exactly one spelling per value.
 */
export function fromBase64(text: string): Uint8Array {
  if (!STRICT_BASE64.test(text)) {
    throw new SpareError('invalid-input', 'The text is not canonical base64.');
  }
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  if (toBase64(bytes) !== text) {
    throw new SpareError('invalid-input', 'The text is not canonical base64 (non-zero padding bits).');
  }
  return bytes;
}

export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/** 128 random bits as URL-safe base64 without padding (22 characters): safe in keys, URLs and file names. */
export function randomId(): string {
  return toBase64(randomBytes(16)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(hex: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new SpareError('invalid-input', 'The text is not hex.');
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export const encoding = { utf8, fromUtf8, toBase64, fromBase64, randomId, toHex, fromHex };
