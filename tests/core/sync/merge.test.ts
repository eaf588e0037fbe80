import { describe, expect, test } from 'vitest';
import { compareStamps, receive, startClock, tick } from '../../../src/core/sync/hlc';
import { EMPTY_SYNC_STATE, currentGeneration, mergeReplicas } from '../../../src/core/sync/merge';
import { toAccounts, toSyncState } from '../../../src/core/sync/replica';
import {
  T0,
  addAccount,
  addCodes,
  deleteAccount,
  deliver,
  device,
  edit,
  find,
  markUnused,
  markUsed,
  replaceCodes,
  reserve,
  syncedView,
  type Device,
} from './devices';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Both devices send their state to the other, as the browser's sync would. */
function exchange(a: Device, b: Device): void {
  const fromA = a.state;
  deliver(a, b.state);
  deliver(b, fromA);
}

function codeOf(d: Device, accountId: string, index: number) {
  return find(d, accountId)!.codes[index]!;
}

describe('the hybrid logical clock', () => {
  test('tick moves forward even when the wall clock stands still or goes back', () => {
    const first = tick(startClock('A'), T0);
    const same = tick(first, T0);
    const back = tick(same, T0 - HOUR);
    expect(compareStamps(same, first)).toBe(1);
    expect(compareStamps(back, same)).toBe(1);
    expect(back.wall).toBe(T0);
  });

  test('a stamp issued after receiving beats the received one, whatever the local wall clock says', () => {
    const remote = tick(startClock('B'), T0 + HOUR);
    const local = tick(receive(startClock('A'), remote, T0), T0);
    expect(compareStamps(local, remote)).toBe(1);
  });

  test('the order is total: equal walls and counters fall back to the replica id', () => {
    const a = { wall: T0, counter: 2, replica: 'A' };
    const b = { wall: T0, counter: 2, replica: 'B' };
    expect(compareStamps(a, b)).toBe(-1);
    expect(compareStamps(b, a)).toBe(1);
    expect(compareStamps(a, { ...a })).toBe(0);
  });
});

describe('merge rules', () => {
  test('an account added on A appears on B with its codes, in order', () => {
    const a = device('A');
    const b = device('B');
    addAccount(a, 'acct', 'github.com', ['11111', '22222', '33333'], T0);
    exchange(a, b);
    expect(find(b, 'acct')!.codes.map((c) => c.value)).toEqual(['11111', '22222', '33333']);
    expect(syncedView(b.accounts)).toEqual(syncedView(a.accounts));
  });

  test('concurrent label edits with skewed clocks: the edit made after seeing the other one wins', () => {
    const ahead = device('A', HOUR); // A's clock runs an hour fast
    const behind = device('B');
    addAccount(ahead, 'acct', 'github.com', ['11111'], T0);
    exchange(ahead, behind);

    edit(ahead, 'acct', 'label', 'work', T0 + MINUTE);
    deliver(behind, ahead.state);
    // B edits later in real time but, by its own clock, an hour "before" A's edit.
    edit(behind, 'acct', 'label', 'personal', T0 + 2 * MINUTE);
    exchange(ahead, behind);

    expect(find(ahead, 'acct')!.label).toBe('personal');
    expect(find(behind, 'acct')!.label).toBe('personal');
  });

  test('truly concurrent edits of different fields both survive; of one field, both devices pick the same', () => {
    const a = device('A', HOUR);
    const b = device('B');
    addAccount(a, 'acct', 'github.com', ['11111'], T0);
    exchange(a, b);
    edit(a, 'acct', 'label', 'from A', T0 + MINUTE);
    edit(b, 'acct', 'label', 'from B', T0 + MINUTE);
    edit(b, 'acct', 'note', 'note from B', T0 + MINUTE);
    exchange(a, b);
    expect(find(a, 'acct')!.note).toBe('note from B');
    expect(find(a, 'acct')!.label).toBe(find(b, 'acct')!.label);
  });

  test('a code used on B, then "Replace codes" on A: the new set wins, the old one keeps the use', () => {
    const a = device('A');
    const b = device('B');
    addAccount(a, 'acct', 'github.com', ['11111', '22222'], T0);
    exchange(a, b);
    const used = codeOf(b, 'acct', 0);
    markUsed(b, 'acct', used.id, T0 + MINUTE);
    replaceCodes(a, 'acct', ['aaaaa', 'bbbbb'], T0 + 2 * MINUTE, 'new');
    exchange(a, b);
    exchange(a, b);

    for (const d of [a, b]) {
      const account = find(d, 'acct')!;
      expect(account.codes.map((c) => [c.value, c.state])).toEqual([
        ['aaaaa', 'unused'],
        ['bbbbb', 'unused'],
      ]);
      expect(account.earlierSets).toHaveLength(1);
      const old = account.earlierSets![0]!.codes.find((c) => c.id === used.id)!;
      expect(old.state).toBe('used');
      expect(old.usedAt).toBe(new Date(T0 + MINUTE).toISOString());
    }
    // The replaced values are gone from the synced state, on both devices.
    expect(JSON.stringify(a.state)).not.toContain('11111');
    expect(JSON.stringify(b.state)).not.toContain('22222');
  });

  test('an older generation never comes back, even from a device that kept using it', () => {
    const a = device('A');
    const b = device('B');
    addAccount(a, 'acct', 'github.com', ['11111', '22222'], T0);
    exchange(a, b);
    replaceCodes(a, 'acct', ['aaaaa'], T0 + MINUTE, 'new');
    // B has not seen the replace: it adds codes to the old set and uses one, later than the replace.
    addCodes(b, 'acct', ['33333'], T0 + 2 * MINUTE, 'more');
    markUsed(b, 'acct', codeOf(b, 'acct', 1).id, T0 + 3 * MINUTE);
    exchange(a, b);
    for (const d of [a, b]) {
      expect(find(d, 'acct')!.codes.map((c) => c.value)).toEqual(['aaaaa']);
      expect(find(d, 'acct')!.earlierSets![0]!.codes.map((c) => c.state)).toEqual([
        'unused',
        'used',
        'unused',
      ]);
    }
  });

  test('concurrent replaces: the later one is current, the other becomes an earlier set', () => {
    const a = device('A');
    const b = device('B');
    addAccount(a, 'acct', 'github.com', ['11111'], T0);
    exchange(a, b);
    replaceCodes(a, 'acct', ['aaaaa'], T0 + MINUTE, 'a');
    replaceCodes(b, 'acct', ['bbbbb'], T0 + 2 * MINUTE, 'b');
    exchange(a, b);
    for (const d of [a, b]) {
      const account = find(d, 'acct')!;
      expect(account.codes.map((c) => c.value)).toEqual(['bbbbb']);
      expect(account.earlierSets!.map((s) => s.codes.map((c) => c.id))).toEqual([
        ['acct-first-0'],
        ['acct-a-0'],
      ]);
      expect(account.earlierSets!.map((s) => s.replacedAt)).toEqual([
        new Date(T0 + MINUTE).toISOString(),
        new Date(T0 + 2 * MINUTE).toISOString(),
      ]);
    }
  });

  test('delete on A, and an edit on B made after it without seeing it: the account comes back whole', () => {
    const a = device('A');
    const b = device('B');
    addAccount(a, 'acct', 'github.com', ['11111', '22222'], T0);
    exchange(a, b);
    deleteAccount(a, 'acct', T0 + MINUTE);
    markUsed(b, 'acct', codeOf(b, 'acct', 0).id, T0 + 2 * MINUTE);
    exchange(a, b);
    for (const d of [a, b]) {
      const account = find(d, 'acct')!;
      expect(account.codes.map((c) => [c.value, c.state])).toEqual([
        ['11111', 'used'],
        ['22222', 'unused'],
      ]);
    }
  });

  test('delete on A after an edit on B it had not seen: the delete wins', () => {
    const a = device('A');
    const b = device('B');
    addAccount(a, 'acct', 'github.com', ['11111'], T0);
    exchange(a, b);
    edit(b, 'acct', 'label', 'edited', T0 + MINUTE);
    deleteAccount(a, 'acct', T0 + 2 * MINUTE);
    exchange(a, b);
    expect(find(a, 'acct')).toBeUndefined();
    expect(find(b, 'acct')).toBeUndefined();
  });

  test('a delete after seeing every edit stays deleted', () => {
    const a = device('A');
    const b = device('B', HOUR);
    addAccount(a, 'acct', 'github.com', ['11111'], T0);
    exchange(a, b);
    edit(b, 'acct', 'note', 'from the fast clock', T0 + MINUTE);
    exchange(a, b);
    deleteAccount(a, 'acct', T0 + 2 * MINUTE); // A's wall clock is an hour behind B's stamp
    exchange(a, b);
    expect(find(a, 'acct')).toBeUndefined();
    expect(find(b, 'acct')).toBeUndefined();
  });

  test('the earliest usedAt is kept, with the page it was used on', () => {
    const a = device('A');
    const b = device('B');
    addAccount(a, 'acct', 'github.com', ['11111'], T0);
    exchange(a, b);
    const id = codeOf(a, 'acct', 0).id;
    markUsed(a, 'acct', id, T0 + 5 * MINUTE);
    reserve(b, 'acct', id, T0 + MINUTE);
    markUsed(b, 'acct', id, T0 + 2 * MINUTE); // confirmed on a page
    exchange(a, b);
    for (const d of [a, b]) {
      expect(codeOf(d, 'acct', 0)).toMatchObject({
        state: 'used',
        usedAt: new Date(T0 + 2 * MINUTE).toISOString(),
        usedOn: 'https://example.com/login',
      });
    }
    // A keeps its own history and learns nothing it did not do: its code was already used.
    expect(codeOf(a, 'acct', 0).history.map((e) => e.to)).toEqual(['unused', 'used']);
  });

  test('a reservation stays on its device; a use elsewhere ends it', () => {
    const a = device('A');
    const b = device('B');
    addAccount(a, 'acct', 'github.com', ['11111', '22222'], T0);
    exchange(a, b);
    const [first, second] = find(a, 'acct')!.codes.map((c) => c.id);
    reserve(a, 'acct', first!, T0 + MINUTE);
    reserve(a, 'acct', second!, T0 + MINUTE);
    expect(JSON.stringify(a.state)).not.toContain('reserved');
    exchange(a, b);
    expect(codeOf(b, 'acct', 0).state).toBe('unused');
    expect(codeOf(a, 'acct', 0)).toMatchObject({ state: 'reserved', reservedBy: { tabId: 1 } });

    markUsed(b, 'acct', second!, T0 + 2 * MINUTE);
    exchange(a, b);
    expect(codeOf(a, 'acct', 0).state).toBe('reserved');
    expect(codeOf(a, 'acct', 1)).toMatchObject({
      state: 'used',
      usedAt: new Date(T0 + 2 * MINUTE).toISOString(),
    });
    expect(codeOf(a, 'acct', 1).reservedBy).toBeUndefined();
    expect(codeOf(a, 'acct', 1).history.at(-1)).toMatchObject({ from: 'reserved', to: 'used', by: 'hand' });
  });

  test('marking a code unused by hand does not cross devices, and the next merge makes it used again', () => {
    const a = device('A');
    const b = device('B');
    addAccount(a, 'acct', 'github.com', ['11111'], T0);
    const id = codeOf(a, 'acct', 0).id;
    markUsed(a, 'acct', id, T0 + MINUTE);
    exchange(a, b);
    markUnused(a, 'acct', id, T0 + 2 * MINUTE);
    exchange(a, b);
    expect(codeOf(a, 'acct', 0).state).toBe('used');
    expect(codeOf(b, 'acct', 0).state).toBe('used');
  });

  test('the state is plain JSON, and merging it with itself or the empty state changes nothing', () => {
    const a = device('A');
    addAccount(a, 'acct', 'github.com', ['11111'], T0);
    replaceCodes(a, 'acct', ['22222'], T0 + MINUTE, 'new');
    const copy = JSON.parse(JSON.stringify(a.state));
    expect(copy).toEqual(a.state);
    expect(mergeReplicas(a.state, copy)).toEqual(a.state);
    expect(mergeReplicas(EMPTY_SYNC_STATE, a.state)).toEqual(a.state);
    expect(Object.keys(currentGeneration(a.state.accounts['acct']!)!.codes)).toEqual(['acct-new-0']);
  });

  test('nothing changed: no new stamps, the same state back', () => {
    const a = device('A');
    addAccount(a, 'acct', 'github.com', ['11111'], T0);
    const again = toSyncState(a.accounts, a.state, a.clock, T0 + MINUTE);
    expect(again.state).toEqual(a.state);
  });

  test('applying a state never drops a local account it has not heard of', () => {
    const a = device('A');
    addAccount(a, 'acct', 'github.com', ['11111'], T0);
    expect(toAccounts(EMPTY_SYNC_STATE, a.accounts)).toEqual(a.accounts);
  });
});
