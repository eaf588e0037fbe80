/**
 * How the vault's sealed records and its key-wrapping header are laid out in `storage.sync` items, and how a
 * reader puts them back together. Everything handed in is already ciphertext (or, for the header, KDF
 * parameters, salt and a wrapped key: not secret on their own); this module never sees a key or a plaintext.
 *
 * Layout (format 1). Each blob (the header, or one record) becomes a "head" item and zero or more "chunk" items:
 *
 *   key `~h`            value `"1.<version>.<items>.<base64 part 0>"`   the header's head
 *   key `~h.<i>`        value `"<version>.<base64 part i>"`              the header's chunk i (1 ≤ i < items)
 *   key `~r<record id>` and `~r<record id>.<i>`: the same for one record
 *
 * - `<version>` is the first 96 bits of SHA-256 over the blob's bytes (base64url, 16 characters). Every chunk
 *   repeats it, so a reader that meets chunks of two versions (the engine delivers items one by one, in any
 *   order) sees the mix and waits instead of decoding garbage; the hash of the reassembled bytes must equal it.
 * - `<items>` is how many items the blob spans, head included, so a missing tail is noticed too.
 * - Keys hold only the random record id and a chunk index: no site, label, count or time. Every value is an
 *   ASCII string (base64, base64url, digits and `.`), so JSON.stringify adds exactly the two quotes and every
 *   browser measures it the same way (Chrome's JSON writer escapes `<`, and Firefox counts UTF-8 bytes too).
 * - Keys are stable per record and chunk index: a record that did not change keeps byte-identical items,
 *   so the diff leaves it alone, and a record rewritten in place never needs room for two copies.
 */
import { SpareError } from '../errors';
import { fromBase64, toBase64 } from '../crypto/encoding';
import { IV_BYTES, TAG_BYTES, type Sealed } from '../crypto/aead';
import { SYNC_LIMITS, type SyncLimits } from './limits';

export const SYNC_FORMAT = 1;
/** Every key this layout writes starts with it: other synced data (a later setting) is never touched. */
export const SYNC_KEY_PREFIX = '~';
export const HEADER_KEY = `${SYNC_KEY_PREFIX}h`;
const RECORD_KEY_PREFIX = `${SYNC_KEY_PREFIX}r`;
/** 96 bits: a collision between two versions of one record is out of reach, and it costs 16 characters. */
const VERSION_BYTES = 12;
const VERSION_CHARS = 16;
/** Record ids are random base64url (`encoding.randomId`); the key grammar relies on that alphabet. */
const RECORD_ID = /^[A-Za-z0-9_-]{1,64}$/;
const LAYOUT_KEY = /^~(?:h|r[A-Za-z0-9_-]{1,64})(?:\.[1-9][0-9]{0,3})?$/;

/** What goes to sync: record id → sealed bytes (see `packSealed`), and the header as opaque bytes. */
export interface SyncContent {
  header: Uint8Array;
  records: ReadonlyMap<string, Uint8Array>;
}

/** The `storage.sync` items of one layout: key → value, every value a string. */
export type SyncItems = Record<string, string>;

/** The smallest write that turns the current items into the new layout: `remove` first, then `set`. */
export interface SyncDiff {
  set: SyncItems;
  remove: string[];
}

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/**
 * The size `storage.sync` charges for one item: the key's length plus the JSON-stringified value's length,
 * both in UTF-8 bytes (Chrome and Firefox both count `key.length + JSON.stringify(value).length` on UTF-8).
 */
export function syncItemBytes(key: string, value: unknown): number {
  const json = JSON.stringify(value);
  if (json === undefined) throw new SpareError('invalid-input', 'A sync item must be JSON.');
  return utf8Length(key) + utf8Length(json);
}

/** AES-GCM message as stored in sync: the 12-byte IV followed by ciphertext and tag. */
export function packSealed(sealed: Sealed): Uint8Array {
  if (sealed.iv.length !== IV_BYTES) throw new SpareError('invalid-input', 'An IV must be 12 bytes.');
  const out = new Uint8Array(IV_BYTES + sealed.ct.length);
  out.set(sealed.iv, 0);
  out.set(sealed.ct, IV_BYTES);
  return out;
}

export function unpackSealed(bytes: Uint8Array): Sealed {
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new SpareError('decrypt-failed', 'The record is too short.');
  return { iv: bytes.slice(0, IV_BYTES), ct: bytes.slice(IV_BYTES) };
}

async function versionOf(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new Uint8Array(bytes)));
  return toBase64(digest.subarray(0, VERSION_BYTES)).replace(/\+/g, '-').replace(/\//g, '_');
}

const chunkKey = (head: string, index: number) => (index === 0 ? head : `${head}.${index}`);
const headValue = (version: string, items: number, data: string) =>
  `${SYNC_FORMAT}.${version}.${items}.${data}`;
const chunkValue = (version: string, data: string) => `${version}.${data}`;

/** How many base64 characters fit in item `index` of a blob spanning `items` items under the per-item quota. */
function capacity(head: string, index: number, items: number, limits: SyncLimits): number {
  const key = chunkKey(head, index);
  const empty =
    index === 0 ? headValue('x'.repeat(VERSION_CHARS), items, '') : chunkValue('x'.repeat(VERSION_CHARS), '');
  return limits.quotaBytesPerItem - syncItemBytes(key, empty);
}

/** Splits one blob's base64 over as few items as the per-item quota allows, filling each to the byte. */
function layoutBlob(head: string, version: string, data: string, limits: SyncLimits): SyncItems {
  let items = 1;
  for (;;) {
    let room = 0;
    for (let i = 0; i < items; i++) room += capacity(head, i, items, limits);
    if (room >= data.length) break;
    items++;
    if (items > limits.maxItems) {
      throw new SpareError('quota-exceeded', 'One record is larger than the whole sync quota.');
    }
  }
  const out: SyncItems = {};
  let at = 0;
  for (let i = 0; i < items; i++) {
    const part = data.slice(at, at + capacity(head, i, items, limits));
    at += part.length;
    out[chunkKey(head, i)] = i === 0 ? headValue(version, items, part) : chunkValue(version, part);
  }
  return out;
}

export const recordKey = (recordId: string) => `${RECORD_KEY_PREFIX}${recordId}`;

/** True for the keys this layout owns; the diff and the reader ignore every other key. */
export function isSyncLayoutKey(key: string): boolean {
  return LAYOUT_KEY.test(key);
}

/** The items that hold `content`. Deterministic: the same bytes always give the same items. */
export async function layoutSyncItems(
  content: SyncContent,
  limits: SyncLimits = SYNC_LIMITS,
): Promise<SyncItems> {
  const items: SyncItems = {};
  const add = async (head: string, bytes: Uint8Array) => {
    Object.assign(items, layoutBlob(head, await versionOf(bytes), toBase64(bytes), limits));
  };
  await add(HEADER_KEY, content.header);
  for (const [id, bytes] of content.records) {
    if (!RECORD_ID.test(id)) throw new SpareError('invalid-input', 'A record id must be base64url.');
    await add(recordKey(id), bytes);
  }
  return items;
}

/** The writes that make `current` (what `storage.sync.get(null)` returned) equal `next` on our keys. */
export function diffSyncItems(current: Readonly<Record<string, unknown>>, next: SyncItems): SyncDiff {
  const set: SyncItems = {};
  for (const [key, value] of Object.entries(next)) {
    if (current[key] !== value) set[key] = value;
  }
  const remove = Object.keys(current).filter((key) => isSyncLayoutKey(key) && !(key in next));
  return { set, remove: remove.sort() };
}

export interface SyncFit {
  fits: boolean;
  totalBytes: number;
  itemCount: number;
  largestItemBytes: number;
  /** How far over each limit the layout is (0 when under it): what the popup says when sync pauses. */
  overBytes: number;
  overItems: number;
  overItemBytes: number;
}

/**
 * Whether `items` (the whole sync area after the write: our layout plus any other synced keys) fits the
 * engine's quotas, and if not by how much. Writing with `remove` before `set` never needs more room than
 * the larger of the old and the new layout, so checking the new one is enough.
 */
export function checkSyncFit(
  items: Readonly<Record<string, unknown>>,
  limits: SyncLimits = SYNC_LIMITS,
): SyncFit {
  let totalBytes = 0;
  let largestItemBytes = 0;
  let itemCount = 0;
  for (const [key, value] of Object.entries(items)) {
    const bytes = syncItemBytes(key, value);
    totalBytes += bytes;
    largestItemBytes = Math.max(largestItemBytes, bytes);
    itemCount++;
  }
  const overBytes = Math.max(0, totalBytes - limits.quotaBytes);
  const overItems = Math.max(0, itemCount - limits.maxItems);
  const overItemBytes = Math.max(0, largestItemBytes - limits.quotaBytesPerItem);
  return {
    fits: overBytes === 0 && overItems === 0 && overItemBytes === 0,
    totalBytes,
    itemCount,
    largestItemBytes,
    overBytes,
    overItems,
    overItemBytes,
  };
}

/** A blob the reader could not assemble yet: some of its items are missing or belong to another version. */
export type BlobProblem = 'missing-items' | 'mixed-versions' | 'hash-mismatch' | 'malformed';

export interface AssembledSync {
  /** Undefined when the header is absent or not complete yet. */
  header?: Uint8Array;
  headerProblem?: BlobProblem | 'absent';
  records: Map<string, Uint8Array>;
  /** Records seen but not assembled: wait for the engine to deliver the rest (they are never guessed). */
  waiting: Map<string, BlobProblem>;
}

async function assembleBlob(
  head: string,
  items: Readonly<Record<string, unknown>>,
): Promise<Uint8Array | BlobProblem> {
  const first = items[head];
  const match =
    typeof first === 'string'
      ? /^1\.([A-Za-z0-9_-]{16})\.([1-9][0-9]{0,3})\.([A-Za-z0-9+/=]*)$/.exec(first)
      : null;
  if (!match) return 'malformed';
  const [, version, count, part0] = match as unknown as [string, string, string, string];
  const parts = [part0];
  for (let i = 1; i < Number(count); i++) {
    const value = items[chunkKey(head, i)];
    if (value === undefined) return 'missing-items';
    if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{16}\.[A-Za-z0-9+/=]*$/.test(value)) return 'malformed';
    if (value.slice(0, VERSION_CHARS) !== version) return 'mixed-versions';
    parts.push(value.slice(VERSION_CHARS + 1));
  }
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(parts.join(''));
  } catch {
    return 'hash-mismatch';
  }
  return (await versionOf(bytes)) === version ? bytes : 'hash-mismatch';
}

/**
 * Reassembles what `storage.sync.get(null)` returned. A blob whose items are of two versions, missing, or
 * do not hash to their version is reported in `waiting` (or `headerProblem`), never returned.
 */
export async function assembleSyncItems(items: Readonly<Record<string, unknown>>): Promise<AssembledSync> {
  const out: AssembledSync = { records: new Map(), waiting: new Map() };
  if (items[HEADER_KEY] === undefined) out.headerProblem = 'absent';
  else {
    const header = await assembleBlob(HEADER_KEY, items);
    if (typeof header === 'string') out.headerProblem = header;
    else out.header = header;
  }
  for (const key of Object.keys(items)) {
    if (!key.startsWith(RECORD_KEY_PREFIX) || key.includes('.') || !isSyncLayoutKey(key)) continue;
    const id = key.slice(RECORD_KEY_PREFIX.length);
    const record = await assembleBlob(key, items);
    if (typeof record === 'string') out.waiting.set(id, record);
    else out.records.set(id, record);
  }
  return out;
}

export interface SyncWritePlan {
  /** What to hand to `SyncWriteScheduler.queue` (empty when sync already holds this content). */
  diff: SyncDiff;
  /** Whether the area after the write (this layout plus every other synced key) fits the quotas. */
  fit: SyncFit;
}

/**
 * The one call the background needs per vault change: lay out `content`, measure the area it would leave
 * (other synced keys included), and diff it against `current` (what `storage.sync.get(null)` returned).
 */
export async function planSyncWrite(
  current: Readonly<Record<string, unknown>>,
  content: SyncContent,
  limits: SyncLimits = SYNC_LIMITS,
): Promise<SyncWritePlan> {
  const next = await layoutSyncItems(content, limits);
  const others = Object.fromEntries(Object.entries(current).filter(([key]) => !isSyncLayoutKey(key)));
  return { diff: diffSyncItems(current, next), fit: checkSyncFit({ ...others, ...next }, limits) };
}
