/**
 * Taking a copied code back out of the clipboard (design §1 story 5): what is compared, and when the
 * clipboard is emptied. The reading and writing is the caller's (the Firefox background, Chrome's offscreen
 * document); this part is pure.
 *
 * The background keeps a salted SHA-256 of the code, never the code. It is no secret against someone who can
 * read it (eight digits are 10^8 guesses), which is why it lives only where the unlocked data key already
 * lives (`storage.session`, while the vault is unlocked) and is dropped with it: it adds nothing to what
 * that storage exposes.
 */
import { bytesEqual, encoding } from '../crypto';
import { concatBytes, randomBytes } from '../crypto/encoding';

/** How a copied text is recognised later without keeping it. Base64 fields, so it fits any storage. */
export interface ClipboardFingerprint {
  salt: string;
  digest: string;
}

const SALT_BYTES = 16;

async function digestOf(salt: Uint8Array, text: string): Promise<Uint8Array> {
  const input = concatBytes(salt, encoding.utf8(text));
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', input as Uint8Array<ArrayBuffer>));
}

export async function fingerprintOf(text: string): Promise<ClipboardFingerprint> {
  const salt = randomBytes(SALT_BYTES);
  return { salt: encoding.toBase64(salt), digest: encoding.toBase64(await digestOf(salt, text)) };
}

export async function matchesFingerprint(fingerprint: ClipboardFingerprint, text: string): Promise<boolean> {
  const salt = encoding.fromBase64(fingerprint.salt);
  return bytesEqual(await digestOf(salt, text), encoding.fromBase64(fingerprint.digest));
}

/** Plain-text access to the system clipboard, as one extension context can have it. */
export interface ClipboardIo {
  readText(): Promise<string>;
  writeText(text: string): Promise<void>;
}

/**
 * - `cleared`: the clipboard is empty now.
 * - `kept`: it held something else (the user copied since), so it was left alone.
 * - `unreadable`: reading was allowed but failed, so Spare could not tell and left it alone.
 */
export type ClearOutcome = 'cleared' | 'kept' | 'unreadable';

/**
 * Empties the clipboard, but with `onlyIf` only while it still holds that text. Without `onlyIf` (Spare may
 * not read the clipboard) it empties whatever is there: the caller has told the user so.
 */
export async function clearClipboard(
  io: ClipboardIo,
  onlyIf: ClipboardFingerprint | null,
): Promise<ClearOutcome> {
  if (onlyIf) {
    let current: string;
    try {
      current = await io.readText();
    } catch {
      return 'unreadable';
    }
    if (!(await matchesFingerprint(onlyIf, current))) return 'kept';
  }
  await io.writeText('');
  return 'cleared';
}
