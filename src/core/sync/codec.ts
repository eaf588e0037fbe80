/**
 * The bytes that are sealed and synced (issue 11): one synced account (merge.ts) per record, the device's own
 * replica (state and clock, kept sealed in the local vault), and the key-wrapping header.
 *
 * Records are small on purpose: `storage.sync` holds about 100 KB in all, so stamps are written as one short
 * string and a code's creation event drops what its generation already says. The encoding is canonical (keys
 * in a fixed order, records sorted by key): the same state always gives the same bytes, so a device can tell
 * an unchanged record from a changed one without re-sealing it.
 *
 * Decoding checks the shape of everything. A record that opened under the vault's key was written by one of
 * the user's devices, but possibly by a later version of Spare or a damaged one; a wrong shape is refused, not
 * guessed at.
 */
import { SpareError } from '../errors';
import { fromBase64, fromUtf8, toBase64, utf8 } from '../crypto/encoding';
import type { CodeActor, CodeEvent, CodeState } from '../vault/model';
import { compareStamps, type Clock, type Stamp } from './hlc';
import type { Register, SyncAccount, SyncCode, SyncGeneration, SyncState, SyncUse } from './merge';

/** The format of a synced record's plaintext; a device refuses a record of a format it does not know. */
export const SYNC_RECORD_FORMAT = 1;

const invalid = (what: string) => new SpareError('invalid-input', `A synced record is malformed: ${what}.`);

// -------------------------------------------------------------------------------------------------------
// stamps
// -------------------------------------------------------------------------------------------------------

const REPLICA_ID = /^[A-Za-z0-9_-]{1,32}$/;
const STAMP = /^([0-9a-z]{1,11})\.([0-9a-z]{1,8})\.([A-Za-z0-9_-]{1,32})$/;

/** `wall.counter.replica`, numbers in base 36: about 20 characters instead of about 60 as an object. */
export function encodeStamp(stamp: Stamp): string {
  if (!REPLICA_ID.test(stamp.replica)) throw invalid('a replica id');
  return `${stamp.wall.toString(36)}.${stamp.counter.toString(36)}.${stamp.replica}`;
}

export function decodeStamp(text: unknown): Stamp {
  const match = typeof text === 'string' ? STAMP.exec(text) : null;
  if (!match) throw invalid('a stamp');
  const wall = parseInt(match[1]!, 36);
  const counter = parseInt(match[2]!, 36);
  if (!Number.isSafeInteger(wall) || !Number.isSafeInteger(counter)) throw invalid('a stamp');
  return { wall, counter, replica: match[3]! };
}

// -------------------------------------------------------------------------------------------------------
// small checks
// -------------------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function object(value: unknown, what: string): Json {
  if (!isObject(value)) throw invalid(what);
  return value;
}

function text(value: unknown, what: string, max = 4096): string {
  if (typeof value !== 'string' || value.length > max) throw invalid(what);
  return value;
}

function isoTime(value: unknown, what: string): string {
  const at = text(value, what, 64);
  if (Number.isNaN(Date.parse(at))) throw invalid(what);
  return at;
}

const CODE_STATES: readonly CodeState[] = ['unused', 'reserved', 'used'];
const ACTORS: readonly CodeActor[] = ['fill', 'copy', 'hand', 'import', 'replace', 'tab-closed'];

function oneOf<T extends string>(value: unknown, values: readonly T[], what: string): T {
  if (typeof value !== 'string' || !values.includes(value as T)) throw invalid(what);
  return value as T;
}

/** JSON text, or a refusal that never quotes it (V8's parse errors do, and the text is decrypted). */
function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalid(what);
  }
}

const parseUtf8Json = (bytes: Uint8Array, what: string) => {
  let text: string;
  try {
    text = fromUtf8(bytes);
  } catch {
    throw invalid(what);
  }
  return parseJson(text, what);
};

/** Sorted by key: object key order is insertion order, and the merge inserts in whatever order it met them. */
function sortedRecord<T, U>(record: Record<string, T>, encode: (value: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const key of Object.keys(record).sort()) out[key] = encode(record[key]!);
  return out;
}

// -------------------------------------------------------------------------------------------------------
// accounts
// -------------------------------------------------------------------------------------------------------

function encodeRegister<T>(register: Register<T>): [T, string] {
  return [register.value, encodeStamp(register.stamp)];
}

function decodeRegister(value: unknown, what: string, nullable: boolean): Register<string | null> {
  if (!Array.isArray(value) || value.length !== 2) throw invalid(what);
  const [content, stamp] = value as [unknown, unknown];
  if (!(nullable && content === null)) text(content, what);
  return { value: content as string | null, stamp: decodeStamp(stamp) };
}

/**
 * A creation event: most are `{ from: null, to: 'unused', at: <the generation's start> }`, and then only who
 * made the code is written. Anything else is written in full.
 */
function encodeCreated(event: CodeEvent, startedAt: string): unknown {
  const usual = event.from === null && event.to === 'unused' && event.on === undefined;
  if (usual && event.at === startedAt) return event.by;
  const out: Json = { at: event.at, from: event.from, to: event.to, by: event.by };
  if (event.on !== undefined) out.on = event.on;
  return out;
}

function decodeCreated(value: unknown, startedAt: string): CodeEvent {
  if (typeof value === 'string') {
    return { at: startedAt, from: null, to: 'unused', by: oneOf(value, ACTORS, 'a code event') };
  }
  const event = object(value, 'a code event');
  const decoded: CodeEvent = {
    at: isoTime(event.at, 'a code event time'),
    from: event.from === null ? null : oneOf(event.from, CODE_STATES, 'a code event'),
    to: oneOf(event.to, CODE_STATES, 'a code event'),
    by: oneOf(event.by, ACTORS, 'a code event'),
  };
  if (event.on !== undefined) decoded.on = text(event.on, 'a code event page');
  return decoded;
}

function encodeUse(use: SyncUse): unknown[] {
  const out: unknown[] = [use.at, use.by, encodeStamp(use.stamp)];
  if (use.on !== undefined) out.push(use.on);
  return out;
}

function decodeUse(value: unknown): SyncUse {
  if (!Array.isArray(value) || value.length < 3 || value.length > 4) throw invalid('a use');
  const use: SyncUse = {
    at: isoTime(value[0], 'a use time'),
    by: oneOf(value[1], ACTORS, 'a use'),
    stamp: decodeStamp(value[2]),
  };
  if (value.length === 4) use.on = text(value[3], 'a use page');
  return use;
}

/** A code added with its set (the usual case) does not repeat the set's stamp. */
function encodeCode(code: SyncCode, generation: SyncGeneration): Json {
  const out: Json = { p: code.position, e: encodeCreated(code.created, generation.startedAt) };
  if (compareStamps(code.added, generation.started) !== 0) out.a = encodeStamp(code.added);
  if (code.value !== undefined) out.v = code.value;
  if (code.used !== undefined) out.u = encodeUse(code.used);
  return out;
}

function decodeCode(value: unknown, startedAt: string, started: Stamp): SyncCode {
  const code = object(value, 'a code');
  if (!Number.isSafeInteger(code.p) || (code.p as number) < 0) throw invalid('a code position');
  const decoded: SyncCode = {
    added: code.a === undefined ? started : decodeStamp(code.a),
    position: code.p as number,
    created: decodeCreated(code.e, startedAt),
  };
  if (code.v !== undefined) decoded.value = text(code.v, 'a code value', 256);
  if (code.u !== undefined) decoded.used = decodeUse(code.u);
  return decoded;
}

function encodeGeneration(generation: SyncGeneration): Json {
  return {
    s: encodeStamp(generation.started),
    t: generation.startedAt,
    c: sortedRecord(generation.codes, (code) => encodeCode(code, generation)),
  };
}

function decodeGeneration(value: unknown): SyncGeneration {
  const generation = object(value, 'a code set');
  const startedAt = isoTime(generation.t, 'a code set time');
  const started = decodeStamp(generation.s);
  const codes: Record<string, SyncCode> = {};
  for (const [id, code] of Object.entries(object(generation.c, 'a code set'))) {
    if (!REPLICA_ID.test(id)) throw invalid('a code id');
    codes[id] = decodeCode(code, startedAt, started);
  }
  return { started, startedAt, codes };
}

function encodeAccountFields(account: SyncAccount): Json {
  const out: Json = {
    f: SYNC_RECORD_FORMAT,
    c: account.createdAt,
    s: encodeRegister(account.site),
    l: encodeRegister(account.label),
    n: encodeRegister(account.note),
    g: sortedRecord(account.generations, encodeGeneration),
  };
  if (account.deleted !== undefined) out.d = encodeStamp(account.deleted);
  return out;
}

function decodeAccountFields(value: unknown): SyncAccount {
  const account = object(value, 'an account');
  if (account.f !== SYNC_RECORD_FORMAT) {
    throw new SpareError(
      'invalid-input',
      'A synced record was written by a newer version of Spare. Update Spare on this device.',
    );
  }
  const generations: Record<string, SyncGeneration> = {};
  for (const [key, generation] of Object.entries(object(account.g, 'the code sets'))) {
    generations[key] = decodeGeneration(generation);
  }
  const decoded: SyncAccount = {
    createdAt: isoTime(account.c, 'an account time'),
    site: decodeRegister(account.s, 'a site', false) as Register<string>,
    label: decodeRegister(account.l, 'an account name', true),
    note: decodeRegister(account.n, 'a note', true),
    generations,
  };
  if (account.d !== undefined) decoded.deleted = decodeStamp(account.d);
  return decoded;
}

/** One synced account as the canonical JSON text that is sealed into its record. */
export function encodeSyncAccount(account: SyncAccount): string {
  return JSON.stringify(encodeAccountFields(account));
}

export function decodeSyncAccount(json: string): SyncAccount {
  return decodeAccountFields(parseJson(json, 'not JSON'));
}

// -------------------------------------------------------------------------------------------------------
// the device's replica
// -------------------------------------------------------------------------------------------------------

/** What a device keeps (sealed, in its own vault) to record its next change: the state its accounts came from. */
export interface Replica {
  state: SyncState;
  clock: Clock;
}

export function encodeReplica(replica: Replica): Uint8Array {
  return utf8(
    JSON.stringify({
      f: SYNC_RECORD_FORMAT,
      k: encodeStamp(replica.clock),
      a: sortedRecord(replica.state.accounts, encodeAccountFields),
    }),
  );
}

export function decodeReplica(bytes: Uint8Array): Replica {
  const replica = object(parseUtf8Json(bytes, 'the replica is not JSON'), 'the replica');
  if (replica.f !== SYNC_RECORD_FORMAT) throw invalid('the replica format');
  const accounts: Record<string, SyncAccount> = {};
  for (const [id, account] of Object.entries(object(replica.a, 'the replica'))) {
    accounts[id] = decodeAccountFields(account);
  }
  return { state: { accounts }, clock: decodeStamp(replica.k) };
}

// -------------------------------------------------------------------------------------------------------
// the key-wrapping header
// -------------------------------------------------------------------------------------------------------

interface SealedParts {
  iv: Uint8Array;
  ct: Uint8Array;
}

/**
 * The part of the vault header that every device shares: what unlocking needs. Not secret on its own (KDF
 * parameters, salt, the wrapped data key and a sealed known text), and it carries no time: the local header's
 * `createdAt` stays on the device.
 */
export interface SyncedHeader {
  vaultId: string;
  kdf: {
    name: 'argon2id';
    memoryKiB: number;
    iterations: number;
    parallelism: number;
    salt: Uint8Array;
  };
  wrappedKey: SealedParts;
  keyCheck: SealedParts;
  schemaVersion: number;
}

const sealedJson = (sealed: SealedParts) => [toBase64(sealed.iv), toBase64(sealed.ct)];

function sealedFrom(value: unknown, what: string): SealedParts {
  if (!Array.isArray(value) || value.length !== 2) throw invalid(what);
  return { iv: fromBase64(text(value[0], what)), ct: fromBase64(text(value[1], what)) };
}

export function encodeSyncedHeader(header: SyncedHeader): Uint8Array {
  return utf8(
    JSON.stringify({
      f: SYNC_RECORD_FORMAT,
      id: header.vaultId,
      v: header.schemaVersion,
      kdf: [
        header.kdf.name,
        header.kdf.memoryKiB,
        header.kdf.iterations,
        header.kdf.parallelism,
        toBase64(header.kdf.salt),
      ],
      w: sealedJson(header.wrappedKey),
      k: sealedJson(header.keyCheck),
    }),
  );
}

export function decodeSyncedHeader(bytes: Uint8Array): SyncedHeader {
  const header = object(parseUtf8Json(bytes, 'the header is not JSON'), 'the header');
  if (header.f !== SYNC_RECORD_FORMAT) throw invalid('the header format');
  const kdf = header.kdf;
  if (!Array.isArray(kdf) || kdf.length !== 5 || kdf[0] !== 'argon2id') throw invalid('the key derivation');
  const [, memoryKiB, iterations, parallelism, salt] = kdf as [string, unknown, unknown, unknown, unknown];
  for (const n of [memoryKiB, iterations, parallelism]) {
    if (!Number.isSafeInteger(n) || (n as number) <= 0) throw invalid('the key derivation');
  }
  if (!Number.isSafeInteger(header.v)) throw invalid('the schema version');
  return {
    vaultId: text(header.id, 'the vault id', 64),
    schemaVersion: header.v as number,
    kdf: {
      name: 'argon2id',
      memoryKiB: memoryKiB as number,
      iterations: iterations as number,
      parallelism: parallelism as number,
      salt: fromBase64(text(salt, 'the salt')),
    },
    wrappedKey: sealedFrom(header.w, 'the wrapped key'),
    keyCheck: sealedFrom(header.k, 'the key check'),
  };
}
