/**
 * Between the vault's accounts and the synced state (merge.ts): `toSyncState` records what changed on this
 * device since the state the vault was last built from, with fresh clock stamps; `toAccounts` builds the vault
 * from a merged state, keeping what belongs to this device only (reservations, each code's own history).
 *
 * The background uses them around every change (issue 11):
 *   local change:  ({ state, clock } = toSyncState(accounts, state, clock, Date.now()))  → push `state`
 *   remote state:  state = mergeReplicas(state, remote); accounts = toAccounts(state, accounts)
 * `toSyncState` finds a change by comparing the accounts with `previous`, so `previous` must be the state the
 * accounts were last built from (or recorded into): an account missing from `accounts` is taken as deleted here.
 */
import type { Account, Code, CodeEvent, EarlierSet, RetiredCode } from '../vault/model';
import { retireCode } from '../vault/transitions';
import { receive, stampKey, tick, type Clock, type Stamp } from './hlc';
import {
  codesInOrder,
  generationsInOrder,
  isLive,
  latestChange,
  latestStamp,
  mergeReplicas,
  type SyncAccount,
  type SyncCode,
  type SyncGeneration,
  type SyncState,
  type SyncUse,
} from './merge';

export interface RecordedChanges {
  state: SyncState;
  /** The clock after the stamps it issued: keep it for the next call. */
  clock: Clock;
}

/** One code set of a local account: its earlier sets (oldest first), then its current codes. */
interface LocalSet {
  codes: (Code | RetiredCode)[];
  startedAt: string;
  current: boolean;
}

function localSets(account: Account): LocalSet[] {
  const earlier = account.earlierSets ?? [];
  const startOf = (index: number) => (index === 0 ? account.createdAt : earlier[index - 1]!.replacedAt);
  return [
    ...earlier.map((set, index) => ({ codes: set.codes, startedAt: startOf(index), current: false })),
    { codes: account.codes, startedAt: startOf(earlier.length), current: true },
  ];
}

function valueOf(code: Code | RetiredCode): string | undefined {
  return 'value' in code ? code.value : undefined;
}

function createdEvent(code: Code | RetiredCode, fallbackAt: string): CodeEvent {
  const first = code.history[0];
  if (first && first.from === null) return first;
  return { at: fallbackAt, from: null, to: 'unused', by: 'hand' };
}

function useOf(code: Code | RetiredCode, stamp: Stamp, fallbackAt: string): SyncUse | undefined {
  if (code.state !== 'used') return undefined;
  const event = code.history.findLast((e) => e.to === 'used');
  const use: SyncUse = { at: code.usedAt ?? event?.at ?? fallbackAt, by: event?.by ?? 'hand', stamp };
  if (code.usedOn !== undefined) use.on = code.usedOn;
  return use;
}

function syncCode(code: Code | RetiredCode, added: Stamp, position: number, set: LocalSet): SyncCode {
  const synced: SyncCode = { added, position, created: createdEvent(code, set.startedAt) };
  const value = valueOf(code);
  if (set.current && value !== undefined) synced.value = value;
  const used = useOf(code, added, set.startedAt);
  if (used) synced.used = used;
  return synced;
}

function newGeneration(set: LocalSet, started: Stamp): SyncGeneration {
  const codes: Record<string, SyncCode> = {};
  set.codes.forEach((code, position) => (codes[code.id] = syncCode(code, started, position, set)));
  return { started, startedAt: set.startedAt, codes };
}

/**
 * What this device changed since `previous`, stamped by `clock` at wall time `now` (ms). The clock first
 * catches up with every stamp in `previous`, so an edit made here after seeing another device's edit wins over
 * it even when this device's clock runs behind.
 */
export function toSyncState(
  accounts: readonly Account[],
  previous: SyncState,
  clock: Clock,
  now: number,
): RecordedChanges {
  const seen = latestStamp(previous);
  let current = seen ? receive(clock, seen, now) : clock;
  const nextStamp = (): Stamp => (current = tick(current, now));

  const changed: Record<string, SyncAccount> = {};
  const present = new Set<string>();
  for (const account of accounts) {
    present.add(account.id);
    const before = previous.accounts[account.id];
    const after = before ? recordChanges(account, before, nextStamp) : recordNew(account, nextStamp);
    if (after !== before) changed[account.id] = after;
  }
  for (const [id, account] of Object.entries(previous.accounts)) {
    if (!present.has(id) && isLive(account)) changed[id] = { ...account, deleted: nextStamp() };
  }
  // Joining the changes into `previous` also drops the values of any generation a replace made earlier.
  return { state: mergeReplicas(previous, { accounts: changed }), clock: current };
}

function recordNew(account: Account, nextStamp: () => Stamp): SyncAccount {
  const stamp = nextStamp();
  const generations: Record<string, SyncGeneration> = {};
  for (const set of localSets(account)) {
    const started = nextStamp();
    generations[stampKey(started)] = newGeneration(set, started);
  }
  return {
    createdAt: account.createdAt,
    site: { value: account.site, stamp },
    label: { value: account.label ?? null, stamp },
    note: { value: account.note ?? null, stamp },
    generations,
  };
}

/** The account as synced, with this device's changes on top; `before` itself when nothing changed. */
function recordChanges(account: Account, before: SyncAccount, nextStamp: () => Stamp): SyncAccount {
  let after = before;
  const edit = (): SyncAccount => (after === before ? (after = { ...before }) : after);

  if (account.site !== before.site.value) edit().site = { value: account.site, stamp: nextStamp() };
  if ((account.label ?? null) !== before.label.value)
    edit().label = { value: account.label ?? null, stamp: nextStamp() };
  if ((account.note ?? null) !== before.note.value)
    edit().note = { value: account.note ?? null, stamp: nextStamp() };

  const homeOf = new Map<string, string>();
  for (const [key, generation] of Object.entries(before.generations))
    for (const id of Object.keys(generation.codes)) homeOf.set(id, key);

  // Copy on first write: `before` belongs to the previous state, which stays as it was.
  const ownGenerations = (): Record<string, SyncGeneration> => {
    const account = edit();
    if (account.generations === before.generations) account.generations = { ...before.generations };
    return account.generations;
  };
  const copied = new Set<string>();
  const generation = (key: string): SyncGeneration => {
    const generations = ownGenerations();
    if (!copied.has(key)) {
      generations[key] = { ...generations[key]!, codes: { ...generations[key]!.codes } };
      copied.add(key);
    }
    return generations[key]!;
  };

  // Each local set is one generation: the first ones are the state's generations, in order, and any more are
  // replaces made here since (each "Replace codes" adds one earlier set). A set is found by its codes when it
  // has a known one, so a device that lags behind the state still puts its uses where they belong.
  const generations = generationsInOrder(before);
  localSets(account).forEach((set, index) => {
    const known = set.codes.find((code) => homeOf.has(code.id));
    const existing = known
      ? homeOf.get(known.id)
      : generations[index] && stampKey(generations[index].started);
    if (existing === undefined) {
      const started = nextStamp();
      ownGenerations()[stampKey(started)] = newGeneration(set, started);
      copied.add(stampKey(started));
      return;
    }
    // Codes added to a known set (restoring a backup into an account, say) join the set's generation.
    let batch: Stamp | undefined;
    let position = 0;
    for (const code of set.codes) {
      const key = homeOf.get(code.id);
      if (key === undefined) {
        batch ??= nextStamp();
        generation(existing).codes[code.id] = syncCode(code, batch, position++, set);
        continue;
      }
      if (code.state === 'used' && !before.generations[key]!.codes[code.id]!.used) {
        const home = generation(key);
        home.codes[code.id] = { ...home.codes[code.id]!, used: useOf(code, nextStamp(), set.startedAt)! };
      }
      // A code marked unused here stays used in the synced state: used only ever wins (issue 11).
    }
  });
  return after;
}

// -------------------------------------------------------------------------------------------------------
// state → accounts
// -------------------------------------------------------------------------------------------------------

function useEvent(use: SyncUse, from: Code['state']): CodeEvent {
  return use.on === undefined
    ? { at: use.at, from, to: 'used', by: use.by }
    : { at: use.at, from, to: 'used', on: use.on, by: use.by };
}

function historyWithUse(history: CodeEvent[], use: SyncUse, from: Code['state']): CodeEvent[] {
  return [...history, useEvent(use, from)];
}

function firstHistory(synced: SyncCode): CodeEvent[] {
  const created = [synced.created];
  return synced.used && synced.created.to !== 'used'
    ? historyWithUse(created, synced.used, 'unused')
    : created;
}

/** The history of a code some device used: the local history with the use added, or one built from the sync. */
function usedHistory(synced: SyncCode, use: SyncUse, local: Code | RetiredCode | undefined): CodeEvent[] {
  if (!local) return firstHistory(synced);
  return local.state === 'used' ? local.history : historyWithUse(local.history, use, local.state);
}

/**
 * A current code. A use from any device wins over this device's state, a reservation included (the code was
 * used elsewhere, so the page holding it here must not submit it as new). Otherwise this device's code stays
 * as it is: its reservation, its history, and a use this device has not recorded yet.
 */
function toCode(id: string, synced: SyncCode, local: Code | undefined): Code {
  const value = synced.value ?? local?.value ?? '';
  const use = synced.used;
  if (!use) return local ? { ...local, value } : { id, value, state: 'unused', history: [synced.created] };
  const code: Code = { id, value, state: 'used', usedAt: use.at, history: usedHistory(synced, use, local) };
  if (use.on !== undefined) code.usedOn = use.on;
  return code;
}

function toRetiredCode(id: string, synced: SyncCode, local: RetiredCode | undefined): RetiredCode {
  const use = synced.used;
  if (!use) return local ?? { id, state: 'unused', history: [synced.created] };
  const code: RetiredCode = { id, state: 'used', usedAt: use.at, history: usedHistory(synced, use, local) };
  if (use.on !== undefined) code.usedOn = use.on;
  return code;
}

function isoOf(stamp: Stamp): string | undefined {
  const date = new Date(stamp.wall);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function toAccount(id: string, synced: SyncAccount, local: Account | undefined): Account {
  const localCodes = new Map<string, Code>((local?.codes ?? []).map((c) => [c.id, c]));
  const localRetired = new Map<string, RetiredCode>();
  for (const set of local?.earlierSets ?? []) for (const code of set.codes) localRetired.set(code.id, code);

  const generations = generationsInOrder(synced);
  const current = generations.at(-1);
  const codes = current ? codesInOrder(current).map(([cid, c]) => toCode(cid, c, localCodes.get(cid))) : [];
  const earlierSets: EarlierSet[] = generations.slice(0, -1).map((generation, index) => ({
    replacedAt: generations[index + 1]!.startedAt,
    codes: codesInOrder(generation).map(([cid, c]) => {
      // A code that is still current here is one this device has not seen replaced yet.
      const stillCurrent = localCodes.get(cid);
      return toRetiredCode(cid, c, localRetired.get(cid) ?? (stillCurrent && retireCode(stillCurrent)));
    }),
  }));

  const changedAt = isoOf(latestChange(synced));
  const updatedAt = [local?.updatedAt, changedAt, synced.createdAt]
    .filter((at): at is string => at !== undefined)
    .reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
  const account: Account = { id, site: synced.site.value, codes, createdAt: synced.createdAt, updatedAt };
  if (synced.label.value !== null) account.label = synced.label.value;
  if (synced.note.value !== null) account.note = synced.note.value;
  if (earlierSets.length > 0) account.earlierSets = earlierSets;
  return account;
}

/**
 * The vault's accounts from a merged state. `local` is this device's vault before the merge: its reservations
 * and code histories carry through. A deleted account is left out; a local account the state has never heard
 * of (not recorded yet) is kept as it is, so applying a state never loses one.
 */
export function toAccounts(state: SyncState, local: readonly Account[] = []): Account[] {
  const localById = new Map(local.map((a) => [a.id, a]));
  const out: Account[] = [];
  for (const id of Object.keys(state.accounts).sort()) {
    const synced = state.accounts[id]!;
    if (isLive(synced)) out.push(toAccount(id, synced, localById.get(id)));
  }
  for (const account of local) if (!(account.id in state.accounts)) out.push(account);
  return out;
}
