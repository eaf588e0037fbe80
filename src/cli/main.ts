/**
 * Spare's command line (design §4.4, a contract): `npm run --silent cli -- encrypt|decrypt|inspect|parse`.
 * `parse` reads a pasted or downloaded text file into one `{site, codes}` object, or a password manager's
 * export (issue 10 §4) into an array of them, one per account; passwords and TOTP secrets never appear.
 *
 * Exit status: 0 done (also `parse` finding no codes); 1 Spare refused the input or the password (wrong
 * password, damaged, cut-short or unknown backup, KDF parameters out of bounds, invalid plain JSON, empty
 * password, an encrypted, damaged, unknown or too large password-manager export); 2 the command could not run as asked (usage error, an input file that cannot be read, an output
 * file that cannot be written, no password source). On any failure: one line on stderr, nothing on stdout.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { decryptBackup, encryptBackup, inspectBackup, parsePlain, serializePlain } from '../core/backup';
import { parseBackupCodes } from '../core/codes';
import { imageInfo } from '../core/ocr/image-info';
import {
  EXPORT_FORMATS,
  isExportFormat,
  isPasswordManagerExport,
  readPasswordManagerExport,
  type ExportFormat,
} from '../core/import';
import { SpareError, isSpareError } from '../core/errors';
import { NoPasswordSource, PromptCancelled, passwordFromEnvironment, readPassword } from './password';

const USAGE = `Usage: npm run --silent cli -- <command> [arguments]

Commands:
  encrypt <plain.json> <backup-file>   encrypt a spare-plain JSON file into a backup file
  decrypt <backup-file>                print the backup's spare-plain JSON on stdout
  inspect <backup-file>                print the format, version and KDF costs (no password needed)
  parse <text-file> [--site <domain>]  print the backup codes found in a pasted or downloaded file
  parse <image> [--site <domain>]      the same, read from a PNG or JPEG screenshot on this machine (OCR)
  parse <export-file> [--format <f>]   print the backup codes in a password manager's export, one object
                                       per account; <f>: ${EXPORT_FORMATS.join('|')}
                                       (without --format, an export is recognised by its content)

The password comes from the SPARE_PASSWORD environment variable, else it is asked for on the terminal.
Exit status: 0 done; 1 refused (wrong password, damaged or unknown file, KDF parameters out of bounds,
invalid plain JSON, encrypted or unknown export); 2 usage error, unreadable input, unwritable output or no
password source.`;

/** Exit 2: the command could not run as asked. */
class CannotRun extends Error {}

const usageError = (message: string) => new CannotRun(`${message}\n\n${USAGE}`);

async function readInput(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    throw new CannotRun(`cannot read ${path}: ${describeIoError(error)}`);
  }
}

function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/** Writes beside the target, then renames: a crash or full disk never leaves half a backup behind. */
async function writeOutput(path: string, text: string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new CannotRun(`cannot write ${path}: ${describeIoError(error)}`);
  }
}

function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SpareError('plain-invalid', `${what} is not UTF-8 text.`);
  }
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function expectArguments(args: string[], names: string[]): void {
  const option = args.find((arg) => arg.startsWith('--'));
  if (option) throw usageError(`unknown option ${option}`);
  if (args.length < names.length) throw usageError(`missing ${names.slice(args.length).join(' and ')}`);
  if (args.length > names.length)
    throw usageError(`unexpected argument ${JSON.stringify(args[names.length])}`);
}

async function encrypt(args: string[]): Promise<string> {
  expectArguments(args, ['<plain.json>', '<backup-file>']);
  const [plainPath, backupPath] = args as [string, string];
  const plain = parsePlain(decodeUtf8(await readInput(plainPath), plainPath));
  const password = await readPassword('Password for the backup: ');
  if (!passwordFromEnvironment() && password !== '') {
    const repeated = await readPassword('Repeat the password: ');
    if (repeated !== password)
      throw new SpareError('invalid-input', 'The two passwords differ; nothing was written.');
  }
  await writeOutput(backupPath, await encryptBackup(plain, password));
  return '';
}

async function decrypt(args: string[]): Promise<string> {
  expectArguments(args, ['<backup-file>']);
  const file = await readInput(args[0]!);
  // A damaged or foreign file is reported before anyone is asked for a password.
  inspectBackup(file);
  const password = await readPassword('Password: ');
  return serializePlain(await decryptBackup(file, password));
}

async function inspect(args: string[]): Promise<string> {
  expectArguments(args, ['<backup-file>']);
  return json(inspectBackup(await readInput(args[0]!)));
}

async function parse(args: string[]): Promise<string> {
  const positional: string[] = [];
  let site: string | undefined;
  let format: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--site') {
      site = args[++i];
      if (site === undefined || site.startsWith('--')) throw usageError('--site needs a domain');
    } else if (arg.startsWith('--site=')) {
      site = arg.slice('--site='.length);
    } else if (arg === '--format') {
      format = args[++i];
      if (format === undefined || format.startsWith('--')) throw usageError('--format needs a format');
    } else if (arg.startsWith('--format=')) {
      format = arg.slice('--format='.length);
    } else {
      positional.push(arg);
    }
  }
  if (format !== undefined && !isExportFormat(format)) {
    throw usageError(`unknown format ${JSON.stringify(format)}; use one of ${EXPORT_FORMATS.join(', ')}`);
  }
  if (format !== undefined && site !== undefined) {
    throw usageError('--site is for text files; an export gives each account its site');
  }
  expectArguments(positional, ['<text-file>']);
  const path = positional[0]!;
  const bytes = await readInput(path);
  const fileName = basename(path);
  if (format === undefined && imageInfo(bytes) !== null) return parseScreenshot(bytes, site);
  if (format !== undefined || (site === undefined && isPasswordManagerExport(bytes, fileName))) {
    return parseExport(bytes, fileName, format as ExportFormat | undefined);
  }
  const result = parseBackupCodes(bytes, {
    fileName,
    ...(site === undefined ? {} : { site }),
  });
  return json({ site: result.site, codes: result.codes.map(({ code, used }) => ({ code, used })) });
}

/**
 * A screenshot, read by the popup's pipeline (issue 12) in Node: the same object as a text file, with
 * `flagged` listing the codes that hold a character OCR was unsure of. The OCR code loads only for an image.
 */
async function parseScreenshot(bytes: Uint8Array, site: string | undefined): Promise<string> {
  const { openScreenshotReader } = await import('./screenshot');
  const reader = await openScreenshotReader();
  try {
    const reading = await reader.read(bytes, site === undefined ? {} : { site });
    return json({
      site: reading.site,
      codes: reading.codes.map(({ code, used }) => ({ code, used })),
      flagged: reading.flagged,
    });
  } finally {
    await reader.close();
  }
}

/** One `{site, codes}` per account with codes (design §4.4); titles and account names stay out. */
function parseExport(bytes: Uint8Array, fileName: string, format: ExportFormat | undefined): string {
  const { accounts } = readPasswordManagerExport(bytes, { fileName, ...(format ? { format } : {}) });
  return json(
    accounts.map((account) => ({
      site: account.site,
      codes: account.codes.map(({ code, used }) => ({ code, used })),
    })),
  );
}

const COMMANDS: Record<string, (args: string[]) => Promise<string>> = { encrypt, decrypt, inspect, parse };

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const run = command === undefined ? undefined : COMMANDS[command];
    if (!run) throw usageError(command === undefined ? 'no command given' : `unknown command ${command}`);
    const output = await run(args);
    process.stdout.write(output);
    return 0;
  } catch (error) {
    if (error instanceof CannotRun || error instanceof NoPasswordSource) {
      process.stderr.write(`spare: ${error.message}\n`);
      return 2;
    }
    if (error instanceof PromptCancelled) {
      process.stderr.write('spare: cancelled\n');
      return 130;
    }
    // Refusals are one line by contract; messages never carry a password or a code.
    const message = isSpareError(error) ? error.message : `unexpected error: ${String(error)}`;
    process.stderr.write(`spare: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
