/**
 * Zip reading for .1pux and Proton Pass exports, with fflate. A zip bomb must not cost more than the 50 MB an
 * export may have: an entry that declares more is refused before any of it is expanded, and one that lies
 * about its size is expanded in small steps and dropped as soon as it passes the limit.
 */
import { Unzip, UnzipInflate, unzipSync } from 'fflate';
import { SpareError } from '../errors';

/** Same limit as the file itself (MAX_EXPORT_BYTES in ./types; repeated here to keep zip.ts a leaf). */
const MAX_EXPANDED_BYTES = 50 * 1024 * 1024;

/**
 * Compressed bytes handed to the inflater at a time. Deflate expands at most ~1032:1, so one step yields at
 * most ~16 MB before the running total is checked again.
 */
const STEP_BYTES = 16 * 1024;

export interface ZipEntry {
  name: string;
  /** The size the zip's central directory declares; the data may still expand to more. */
  declaredSize: number;
}

const corruptZip = (cause?: unknown) =>
  new SpareError(
    'export-corrupt',
    'This zip file is damaged or cut short, so Spare cannot open it. Export it again from your password manager.',
    cause === undefined ? undefined : { cause },
  );

const tooLarge = () =>
  new SpareError(
    'export-too-large',
    'This zip file expands to more than 50 MB, too large for a password-manager export Spare reads. Export only the vault or items that hold your backup codes.',
  );

/** The zip's entries, from its central directory; nothing is expanded. */
export function listZip(bytes: Uint8Array): ZipEntry[] {
  const entries: ZipEntry[] = [];
  try {
    unzipSync(bytes, {
      filter: (file) => {
        entries.push({ name: file.name, declaredSize: file.originalSize });
        return false;
      },
    });
  } catch (error) {
    throw corruptZip(error);
  }
  return entries;
}

/** Expands one entry, or throws 'export-too-large' once it passes 50 MB and 'export-corrupt' if damaged. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  if (entry.declaredSize > MAX_EXPANDED_BYTES) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let expanded = 0;
  let done = false;
  let failure: SpareError | undefined;

  const unzip = new Unzip((file) => {
    if (file.name !== entry.name || done || failure) return;
    file.ondata = (error, chunk, final) => {
      if (failure) return;
      if (error) {
        failure = corruptZip(error);
        return;
      }
      expanded += chunk.length;
      if (expanded > MAX_EXPANDED_BYTES) {
        failure = tooLarge();
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) done = true;
    };
    try {
      file.start();
    } catch (error) {
      // An entry compressed with a method fflate does not know (not stored or deflated).
      failure = corruptZip(error);
    }
  });
  unzip.register(UnzipInflate);
  try {
    for (let offset = 0; offset < bytes.length && !done && !failure; offset += STEP_BYTES) {
      const end = Math.min(offset + STEP_BYTES, bytes.length);
      unzip.push(bytes.subarray(offset, end), end === bytes.length);
    }
  } catch (error) {
    throw failure ?? corruptZip(error);
  }
  if (failure) throw failure;
  if (!done) throw corruptZip();
  const result = new Uint8Array(expanded);
  let at = 0;
  for (const chunk of chunks) {
    result.set(chunk, at);
    at += chunk.length;
  }
  return result;
}
