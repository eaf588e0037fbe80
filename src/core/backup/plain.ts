/**
 * `spare-plain` v1 (design §4.4, a contract): the unencrypted interchange format that the CLI prints, the
 * popup's import accepts and every encrypted backup carries inside. Required fields are checked with the
 * exact path of the first problem; unknown extra fields are kept so that newer writers lose nothing when an
 * older Spare round-trips their file.
 */
import { SpareError } from '../errors';

export const PLAIN_FORMAT = 'spare-plain';
export const PLAIN_VERSION = 1;

export interface PlainCode {
  code: string;
  used: boolean;
  /** ISO 8601 time the code was used. */
  usedAt?: string;
  /** URL of the page where it was used. */
  usedOn?: string;
  [extra: string]: unknown;
}

export interface PlainAccount {
  /** Registrable domain (design §4.2), e.g. "instagram.com". */
  site: string;
  /** The account name on that site, when the user gave one. */
  label?: string;
  codes: PlainCode[];
  [extra: string]: unknown;
}

export interface PlainVault {
  format: typeof PLAIN_FORMAT;
  version: typeof PLAIN_VERSION;
  accounts: PlainAccount[];
  [extra: string]: unknown;
}

type JsonObject = Record<string, unknown>;

/** A spare-plain file with a mistake inside: the path helps whoever edits or generates the JSON by hand. */
function invalid(message: string): SpareError {
  return new SpareError('plain-invalid', `Not a valid spare-plain file: ${message}.`);
}

/**
 * Not a spare-plain file at all (another program's JSON, an encrypted backup, a text file): said without the
 * format's internals, with what to pick instead.
 */
function notPlain(detail: string): SpareError {
  return new SpareError(
    'plain-invalid',
    'Not a valid spare-plain file: this is not a plain export of Spare accounts. Pick a spare-plain JSON file, ' +
      'as “Print or save codes” or the command line’s decrypt write it.',
    { cause: new Error(detail) },
  );
}

// Names only the kind of a value, never the value: a code typed as a number, or a list of bare code strings,
// must not end up in an error message (shown in the popup, printed on stderr by the CLI).
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'boolean') return 'true or false';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

// For `format` and `version` only, which hold no secret and whose value says what the file is.
function describeValue(value: unknown): string {
  return value !== null && typeof value !== 'object'
    ? `${typeof value} ${JSON.stringify(value)}`
    : describe(value);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireObject(value: unknown, path: string): JsonObject {
  if (value === undefined) throw invalid(`${path} is missing`);
  if (!isObject(value)) throw invalid(`${path} must be an object, not ${describe(value)}`);
  return value;
}

function requireList(holder: JsonObject, key: string, path: string): unknown[] {
  const value = holder[key];
  if (value === undefined) throw invalid(`${path} is missing`);
  if (!Array.isArray(value)) throw invalid(`${path} must be a list, not ${describe(value)}`);
  return value;
}

function requireText(holder: JsonObject, key: string, path: string): string {
  const value = holder[key];
  if (value === undefined) throw invalid(`${path} is missing`);
  if (typeof value !== 'string') throw invalid(`${path} must be text, not ${describe(value)}`);
  if (value.trim() === '') throw invalid(`${path} is empty`);
  return value;
}

function optionalText(holder: JsonObject, key: string, path: string): string | undefined {
  const value = holder[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`${path} must be text, not ${describe(value)}`);
  return value;
}

// Known fields first, in their documented order (absent optional ones left out), then any extra fields.
function withExtras<T extends JsonObject>(source: JsonObject, known: T): T {
  const extras = Object.fromEntries(Object.entries(source).filter(([key]) => !(key in known)));
  const defined = Object.fromEntries(Object.entries(known).filter(([, value]) => value !== undefined));
  return { ...defined, ...extras } as T;
}

function validateCode(value: unknown, path: string): PlainCode {
  const entry = requireObject(value, path);
  const code = requireText(entry, 'code', `${path}.code`);
  const used = entry['used'];
  if (used === undefined) throw invalid(`${path}.used is missing`);
  if (typeof used !== 'boolean') throw invalid(`${path}.used must be true or false, not ${describe(used)}`);
  const usedAt = optionalText(entry, 'usedAt', `${path}.usedAt`);
  if (usedAt !== undefined && Number.isNaN(Date.parse(usedAt))) {
    throw invalid(`${path}.usedAt must be an ISO 8601 time, not ${JSON.stringify(usedAt)}`);
  }
  const usedOn = optionalText(entry, 'usedOn', `${path}.usedOn`);
  return withExtras(entry, { code, used, usedAt, usedOn });
}

function validateAccount(value: unknown, path: string): PlainAccount {
  const entry = requireObject(value, path);
  const site = requireText(entry, 'site', `${path}.site`);
  const label = optionalText(entry, 'label', `${path}.label`);
  const codes = requireList(entry, 'codes', `${path}.codes`).map((code, i) =>
    validateCode(code, `${path}.codes[${i}]`),
  );
  return withExtras(entry, { site, label, codes });
}

/** Checks an already-parsed value and returns a copy in canonical key order (extras kept). */
export function validatePlain(value: unknown): PlainVault {
  if (!isObject(value)) throw notPlain(`the top level is ${describe(value)}`);
  const root = value;
  if (root['format'] === 'spare-backup') {
    throw new SpareError(
      'plain-invalid',
      'Not a valid spare-plain file: this is an encrypted Spare backup. Restore it with “Restore backup” instead.',
    );
  }
  if (root['format'] !== PLAIN_FORMAT) throw notPlain(`format is ${describeValue(root['format'])}`);
  if (root['version'] === undefined) throw invalid('version is missing');
  if (root['version'] !== PLAIN_VERSION) {
    throw invalid(
      `version ${describeValue(root['version'])} is not supported (this Spare reads version ${PLAIN_VERSION})`,
    );
  }
  const accounts = requireList(root, 'accounts', 'accounts').map((account, i) =>
    validateAccount(account, `accounts[${i}]`),
  );
  return withExtras(root, { format: PLAIN_FORMAT, version: PLAIN_VERSION, accounts });
}

export function parsePlain(text: string): PlainVault {
  let value: unknown;
  try {
    // A byte-order mark is what some Windows editors put in front of a file saved "as UTF-8".
    value = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (cause) {
    // Not the parser's message: engines quote the text around the error, which may be the codes themselves.
    // Only where it went wrong is passed on.
    const where = /line \d+ column \d+|position \d+/.exec(String(cause));
    throw notPlain(`not JSON${where ? ` (at ${where[0]})` : ''}`);
  }
  return validatePlain(value);
}

/** Pretty-printed, ending in a newline: this is what people read and edit. */
export function serializePlain(vault: PlainVault): string {
  return `${JSON.stringify(validatePlain(vault), null, 2)}\n`;
}
