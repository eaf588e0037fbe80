/**
 * The synced form of the vault and its merge (issue 11, "a used code stays used, everywhere").
 *
 * Every device keeps a replica of this state. `mergeReplicas` is a join: commutative, associative and
 * idempotent, so devices that receive each other's states in any order, any number of times, end with the same
 * state. Each part of an account is its own small lattice:
 *
 * - site, label, note: last writer wins by hybrid-logical-clock stamp (hlc.ts);
 * - a code: unused < used, and of two uses the earliest `usedAt` is kept. Reserved never gets here: a
 *   reservation belongs to one device's tab and would mean nothing on another;
 * - the code set: each "Replace codes" starts a generation keyed by its stamp; the latest generation is the
 *   account's codes, the others are its earlier sets. Once a later generation is known, the values of the
 *   earlier ones are dropped, so a replaced code never comes back;
 * - a deletion: a tombstone stamp. See `isLive` for why an edit made later brings the account back.
 *
 * Everything here stays inside the vault's ciphertext when it is stored or synced.
 */
import type { CodeActor, CodeEvent } from '../vault/model';
import { compareStamps, laterStamp, type Stamp } from './hlc';

/** A value and the stamp of the edit that set it. */
export interface Register<T> {
  value: T;
  stamp: Stamp;
}

/** The first use of a code that any device recorded. */
export interface SyncUse {
  /** ISO time the device recorded for the use (the code's `usedAt`). */
  at: string;
  on?: string;
  by: CodeActor;
  stamp: Stamp;
}

export interface SyncCode {
  /** Present while the code's generation is the current one; dropped once a later generation is known. */
  value?: string;
  /** The stamp of the batch that added the code, and its place in that batch: the site's order of codes. */
  added: Stamp;
  position: number;
  /** The code's first history event, for the devices that never had the code before. */
  created: CodeEvent;
  used?: SyncUse;
}

/** One set of codes, from the account's creation or a "Replace codes" until the next replace. */
export interface SyncGeneration {
  started: Stamp;
  /** ISO time the set was created: an earlier set's `replacedAt` is the next set's `startedAt`. */
  startedAt: string;
  codes: Record<string, SyncCode>;
}

export interface SyncAccount {
  createdAt: string;
  site: Register<string>;
  /** null: no label. */
  label: Register<string | null>;
  note: Register<string | null>;
  /** Keyed by `stampKey(started)`. */
  generations: Record<string, SyncGeneration>;
  /** The latest deletion of the account, if any. */
  deleted?: Stamp;
}

export interface SyncState {
  accounts: Record<string, SyncAccount>;
}

export const EMPTY_SYNC_STATE: SyncState = { accounts: {} };

// -------------------------------------------------------------------------------------------------------
// joins of the parts
// -------------------------------------------------------------------------------------------------------

/**
 * Two copies of a part that never changes after it was made (a code's value, its creation event) are equal
 * unless a state was tampered with; picking by a fixed order keeps the merge a join even then.
 */
function pickFixed<T>(a: T, b: T): T {
  if (a === b) return a;
  return JSON.stringify(a) <= JSON.stringify(b) ? a : b;
}

function pickOptional<T>(a: T | undefined, b: T | undefined): T | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return pickFixed(a, b);
}

function joinRegister<T>(a: Register<T>, b: Register<T>): Register<T> {
  const order = compareStamps(a.stamp, b.stamp);
  if (order !== 0) return order > 0 ? a : b;
  return pickFixed(a, b);
}

function timeOf(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/** The earlier use: by recorded time, then by stamp, so every device picks the same one. */
function joinUse(a: SyncUse | undefined, b: SyncUse | undefined): SyncUse | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const ta = timeOf(a.at);
  const tb = timeOf(b.at);
  if (ta !== tb) return ta < tb ? a : b;
  const order = compareStamps(a.stamp, b.stamp);
  if (order !== 0) return order < 0 ? a : b;
  return pickFixed(a, b);
}

function joinCode(a: SyncCode, b: SyncCode): SyncCode {
  const fixed = pickFixed(
    { added: a.added, position: a.position, created: a.created },
    { added: b.added, position: b.position, created: b.created },
  );
  const code: SyncCode = { ...fixed };
  const value = pickOptional(a.value, b.value);
  if (value !== undefined) code.value = value;
  const used = joinUse(a.used, b.used);
  if (used !== undefined) code.used = used;
  return code;
}

function joinRecords<T>(
  a: Record<string, T>,
  b: Record<string, T>,
  join: (x: T, y: T) => T,
): Record<string, T> {
  const out: Record<string, T> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const mine = out[key];
    out[key] = mine === undefined ? value : join(mine, value);
  }
  return out;
}

function joinGeneration(a: SyncGeneration, b: SyncGeneration): SyncGeneration {
  const fixed = pickFixed(
    { started: a.started, startedAt: a.startedAt },
    { started: b.started, startedAt: b.startedAt },
  );
  return { ...fixed, codes: joinRecords(a.codes, b.codes, joinCode) };
}

function joinAccount(a: SyncAccount, b: SyncAccount): SyncAccount {
  const account: SyncAccount = {
    createdAt: pickFixed(a.createdAt, b.createdAt),
    site: joinRegister(a.site, b.site),
    label: joinRegister(a.label, b.label),
    note: joinRegister(a.note, b.note),
    generations: joinRecords(a.generations, b.generations, joinGeneration),
  };
  const deleted = a.deleted && b.deleted ? laterStamp(a.deleted, b.deleted) : (a.deleted ?? b.deleted);
  if (deleted) account.deleted = deleted;
  return withoutRetiredValues(account);
}

// -------------------------------------------------------------------------------------------------------
// generations and liveness
// -------------------------------------------------------------------------------------------------------

/** Generations oldest first; the last one is the account's current code set. */
export function generationsInOrder(account: SyncAccount): SyncGeneration[] {
  return Object.values(account.generations).sort((x, y) => compareStamps(x.started, y.started));
}

export function currentGeneration(account: SyncAccount): SyncGeneration | undefined {
  return generationsInOrder(account).at(-1);
}

/** Codes of a generation in the site's order: by the batch that added them, then their place in it. */
export function codesInOrder(generation: SyncGeneration): [string, SyncCode][] {
  return Object.entries(generation.codes).sort(
    ([ida, a], [idb, b]) =>
      compareStamps(a.added, b.added) || a.position - b.position || (ida < idb ? -1 : ida > idb ? 1 : 0),
  );
}

/**
 * A replaced set keeps what happened to its codes (the account's history) but not their values: the site no
 * longer accepts them, and a value that is not stored cannot leak or be offered again. Dropping values only
 * from generations below the latest keeps the merge a join: the latest generation only ever moves up.
 */
function withoutRetiredValues(account: SyncAccount): SyncAccount {
  const current = currentGeneration(account);
  let generations: Record<string, SyncGeneration> | undefined;
  for (const [key, generation] of Object.entries(account.generations)) {
    if (generation === current) continue;
    if (!Object.values(generation.codes).some((c) => c.value !== undefined)) continue;
    const codes: Record<string, SyncCode> = {};
    for (const [id, { value: _value, ...rest }] of Object.entries(generation.codes)) codes[id] = rest;
    generations ??= { ...account.generations };
    generations[key] = { ...generation, codes };
  }
  return generations ? { ...account, generations } : account;
}

/** The stamp of the latest change to anything in the account (its deletion aside). */
export function latestChange(account: SyncAccount): Stamp {
  let latest = laterStamp(laterStamp(account.site.stamp, account.label.stamp), account.note.stamp);
  for (const generation of Object.values(account.generations)) {
    latest = laterStamp(latest, generation.started);
    for (const code of Object.values(generation.codes)) {
      latest = laterStamp(latest, code.added);
      if (code.used) latest = laterStamp(latest, code.used.stamp);
    }
  }
  return latest;
}

/**
 * Whether the account exists. A deletion wins over everything the deleting device had seen, but a change
 * stamped after the deletion brings the account back, with everything it held (as KeePass does when it merges
 * databases). Such a change can only come from a device that had not seen the deletion yet: one that had seen
 * it no longer has the account to change. The two mistakes are not equal for backup codes: an account that
 * comes back costs the user a second delete, an account whose codes vanished while they were using them on
 * another device can lock them out. That is why a tombstone keeps the account's data (still encrypted).
 */
export function isLive(account: SyncAccount): boolean {
  return account.deleted === undefined || compareStamps(latestChange(account), account.deleted) > 0;
}

/** The latest stamp anywhere in a state, deletions included: a clock that has seen it issues later ones. */
export function latestStamp(state: SyncState): Stamp | undefined {
  let latest: Stamp | undefined;
  for (const account of Object.values(state.accounts)) {
    const change = latestChange(account);
    latest = latest ? laterStamp(latest, change) : change;
    if (account.deleted) latest = laterStamp(latest, account.deleted);
  }
  return latest;
}

/** Whether the synced state records a use of this code (in any of the account's code sets). */
export function isUseSynced(state: SyncState, accountId: string, codeId: string): boolean {
  const account = state.accounts[accountId];
  if (!account) return false;
  return Object.values(account.generations).some(
    (generation) => generation.codes[codeId]?.used !== undefined,
  );
}

/** The join of two replicas: every device that has seen the same states holds the same result. */
export function mergeReplicas(a: SyncState, b: SyncState): SyncState {
  return { accounts: joinRecords(a.accounts, b.accounts, joinAccount) };
}
