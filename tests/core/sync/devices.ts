/**
 * Devices for the merge tests: each holds a vault (accounts changed by the same transitions the background
 * uses), its synced state and its clock, with a wall clock that may run ahead or behind.
 */
import { startClock, type Clock } from '../../../src/core/sync/hlc';
import { EMPTY_SYNC_STATE, mergeReplicas, type SyncState } from '../../../src/core/sync/merge';
import { toAccounts, toSyncState } from '../../../src/core/sync/replica';
import {
  confirmCode,
  createCode,
  markUnusedByHand,
  markUsedByHand,
  reserveCode,
  retireCode,
  withCode,
  type Account,
  type Code,
} from '../../../src/core/vault';

export const T0 = Date.parse('2026-03-01T12:00:00.000Z');

export interface Device {
  name: string;
  accounts: Account[];
  state: SyncState;
  clock: Clock;
  /** How far this device's wall clock is off, in ms. */
  skew: number;
}

export function device(name: string, skew = 0): Device {
  return { name, accounts: [], state: EMPTY_SYNC_STATE, clock: startClock(name), skew };
}

const iso = (d: Device, now: number) => new Date(now + d.skew).toISOString();

/** What the background does after every saved change: record it into the synced state. */
export function record(d: Device, now: number): void {
  const recorded = toSyncState(d.accounts, d.state, d.clock, now + d.skew);
  d.state = recorded.state;
  d.clock = recorded.clock;
}

/** What the background does when another device's state arrives. */
export function deliver(to: Device, remote: SyncState): void {
  to.state = mergeReplicas(to.state, remote);
  to.accounts = toAccounts(to.state, to.accounts);
}

function change(d: Device, id: string, now: number, update: (a: Account, at: string) => Account): void {
  const at = iso(d, now);
  d.accounts = d.accounts.map((a) => (a.id === id ? update(a, at) : a));
  record(d, now);
}

export function find(d: Device, id: string): Account | undefined {
  return d.accounts.find((a) => a.id === id);
}

export function addAccount(d: Device, id: string, site: string, values: string[], now: number): void {
  const at = iso(d, now);
  d.accounts = [
    ...d.accounts,
    {
      id,
      site,
      codes: values.map((value, i) => createCode({ value }, `${id}-first-${i}`, at, 'hand')),
      createdAt: at,
      updatedAt: at,
    },
  ];
  record(d, now);
}

export function edit(
  d: Device,
  id: string,
  field: 'site' | 'label' | 'note',
  value: string | undefined,
  now: number,
): void {
  change(d, id, now, (a, at) => {
    const next: Account = { ...a, updatedAt: at };
    if (field === 'site') next.site = value ?? a.site;
    else if (value === undefined) delete next[field];
    else next[field] = value;
    return next;
  });
}

function changeCode(d: Device, id: string, codeId: string, now: number, move: (c: Code, at: string) => Code) {
  change(d, id, now, (a, at) => {
    const code = a.codes.find((c) => c.id === codeId);
    return code ? withCode(a, move(code, at), at) : a;
  });
}

/** Used by hand, or confirmed when a page holds it: either way the code ends used. */
export function markUsed(d: Device, id: string, codeId: string, now: number): void {
  changeCode(d, id, codeId, now, (c, at) =>
    c.state === 'unused'
      ? markUsedByHand(c, at)
      : c.state === 'reserved'
        ? confirmCode(c, 'https://example.com/login', at)
        : c,
  );
}

export function markUnused(d: Device, id: string, codeId: string, now: number): void {
  changeCode(d, id, codeId, now, (c, at) => (c.state === 'used' ? markUnusedByHand(c, at) : c));
}

export function reserve(d: Device, id: string, codeId: string, now: number): void {
  changeCode(d, id, codeId, now, (c, at) =>
    c.state === 'unused' ? reserveCode(c, { tabId: 1, origin: 'https://example.com' }, at) : c,
  );
}

/** "Replace codes", as the vault service does it: the old set goes to `earlierSets` without its values. */
export function replaceCodes(d: Device, id: string, values: string[], now: number, tag: string): void {
  change(d, id, now, (a, at) => ({
    ...a,
    codes: values.map((value, i) => createCode({ value }, `${id}-${tag}-${i}`, at, 'replace')),
    earlierSets: [...(a.earlierSets ?? []), { replacedAt: at, codes: a.codes.map(retireCode) }],
    updatedAt: at,
  }));
}

/** Restoring codes into an existing account appends them to its current set. */
export function addCodes(d: Device, id: string, values: string[], now: number, tag: string): void {
  change(d, id, now, (a, at) => ({
    ...a,
    codes: [...a.codes, ...values.map((value, i) => createCode({ value }, `${id}-${tag}-${i}`, at, 'hand'))],
    updatedAt: at,
  }));
}

export function deleteAccount(d: Device, id: string, now: number): void {
  d.accounts = d.accounts.filter((a) => a.id !== id);
  record(d, now);
}

/**
 * What every device must agree on once it has seen the same states: the accounts and their codes as synced.
 * Reservations and each device's own history events stay local, so a reserved code reads as unused here.
 */
export function syncedView(accounts: readonly Account[]) {
  const code = (c: { id: string; state: string; usedAt?: string; usedOn?: string }) => ({
    id: c.id,
    used: c.state === 'used',
    usedAt: c.usedAt,
    usedOn: c.usedOn,
  });
  return [...accounts]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((a) => ({
      id: a.id,
      site: a.site,
      label: a.label,
      note: a.note,
      createdAt: a.createdAt,
      codes: a.codes.map((c) => ({ ...code(c), value: c.value })),
      earlierSets: (a.earlierSets ?? []).map((s) => ({ replacedAt: s.replacedAt, codes: s.codes.map(code) })),
    }));
}
