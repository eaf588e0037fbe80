/**
 * Reading password-manager exports (issue 10 §2): Bitwarden JSON, 1Password .1pux, KeePassXC CSV, Proton Pass
 * (zip/JSON or CSV) and LastPass CSV. Pure: runs in the popup page and in the CLI.
 *
 * Each item's notes and custom fields are searched for backup codes; the item's URLs give its site. Nothing
 * else leaves this module: passwords, TOTP secrets and every other field are dropped while the file is read,
 * so they never reach the result, storage, a message or a log. docs/import.md describes each format.
 */
import { SpareError, isSpareError } from '../errors';
import { readExportContent } from './content';
import { FORMAT_NAMES, encryptedExport, notThisFormat, unknownFormat } from './messages';
import { bitwardenReader } from './bitwarden';
import { onePuxReader } from './onepux';
import { keePassXcReader } from './keepassxc';
import { protonPassReader } from './protonpass';
import { lastPassReader } from './lastpass';
import {
  EXPORT_FORMATS,
  MAX_EXPORT_BYTES,
  type ExportFormat,
  type ExportReadResult,
  type ExportReader,
} from './types';

export {
  EXPORT_FORMATS,
  MAX_EXPORT_BYTES,
  type ExportFormat,
  type ExportReadResult,
  type ExportReader,
  type FoundAccount,
} from './types';

const READERS: readonly ExportReader[] = [
  bitwardenReader,
  onePuxReader,
  keePassXcReader,
  protonPassReader,
  lastPassReader,
];

/** The format a file's default export name suggests ("bitwarden_export_20260302.json", "….1pux"). */
export function formatFromFileName(fileName: string): ExportFormat | null {
  const name = fileName.split(/[\\/]/).pop() ?? '';
  if (/\.1pux$/i.test(name)) return '1pux';
  if (/^bitwarden_(?:encrypted_|org_)?export_/i.test(name)) return 'bitwarden';
  if (/^proton[ _]?pass_export/i.test(name)) return 'protonpass';
  if (/^lastpass_export/i.test(name)) return 'lastpass';
  if (/\.kdbx$/i.test(name)) return 'keepassxc';
  return null;
}

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

/**
 * Reads a password-manager export. `format` forces the format; without it the content decides (the file
 * name only helps tell a PGP-encrypted file). Throws SpareError: 'export-encrypted', 'export-unknown-format',
 * 'export-corrupt', 'export-too-large' (> 50 MB).
 */
export function readPasswordManagerExport(
  bytes: Uint8Array,
  opts: { fileName?: string; format?: ExportFormat } = {},
): ExportReadResult {
  if (bytes.length > MAX_EXPORT_BYTES) {
    throw new SpareError(
      'export-too-large',
      'This file is over 50 MB, too large for a password-manager export Spare reads. Export only the vault or items that hold your backup codes.',
    );
  }
  const content = readExportContent(bytes, opts.fileName);
  const named = opts.fileName ? formatFromFileName(opts.fileName) : null;
  // Encrypted files no reader could open: say which export to make instead.
  if (content.kind === 'pgp') throw encryptedExport(opts.format ?? named ?? 'protonpass');
  if (content.kind === 'kdbx') throw encryptedExport('keepassxc');

  const reader = opts.format
    ? READERS.find((candidate) => candidate.format === opts.format)
    : READERS.find((candidate) => candidate.recognises(content));
  // The content decides; the name only says which product's export to ask for instead.
  if (!reader) throw named ? notThisFormat(named) : unknownFormat();
  if (opts.format && !reader.recognises(content)) throw notThisFormat(opts.format);
  const { accounts, itemsRead } = reader.read(content);
  return { format: reader.format, accounts, itemsRead };
}

/**
 * Is this file a password-manager export (possibly an encrypted or damaged one) rather than text to parse?
 * Never throws: the CLI asks before deciding how to read a file.
 */
export function isPasswordManagerExport(bytes: Uint8Array, fileName?: string): boolean {
  if (bytes.length > MAX_EXPORT_BYTES) return false;
  let content;
  try {
    content = readExportContent(bytes, fileName);
  } catch (error) {
    // A damaged zip is still an export to refuse; text that only starts like JSON may be a list of codes.
    return isSpareError(error, 'export-corrupt') && bytes[0] === 0x50 && bytes[1] === 0x4b;
  }
  if (content.kind === 'zip' || content.kind === 'pgp' || content.kind === 'kdbx') return true;
  return READERS.some((reader) => reader.recognises(content));
}

export { FORMAT_NAMES };
