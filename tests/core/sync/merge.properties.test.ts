import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { generationsInOrder, mergeReplicas, type SyncState } from '../../../src/core/sync/merge';
import { toAccounts } from '../../../src/core/sync/replica';
import { decodeReplica, encodeReplica } from '../../../src/core/sync/codec';
import type { Account } from '../../../src/core/vault';
import {
  T0,
  addAccount,
  addCodes,
  deleteAccount,
  deliver,
  device,
  edit,
  markUnused,
  markUsed,
  replaceCodes,
  reserve,
  syncedView,
  type Device,
} from './devices';

const RUNS = 10_000;
// 10,000 runs of up to 30 steps on three devices take a few seconds; the margin is for a busy machine.
const TIMEOUT_MS = 120_000;
const HOUR = 3_600_000;
const DEVICES = ['A', 'B', 'C'];

type Step =
  | { kind: 'add'; on: number; site: string; codes: number }
  | { kind: 'edit'; on: number; pick: number; field: 'site' | 'label' | 'note'; value: string | undefined }
  | { kind: 'use' | 'reserve' | 'unmark'; on: number; pick: number; code: number }
  | { kind: 'replace' | 'add codes'; on: number; pick: number; codes: number }
  | { kind: 'delete'; on: number; pick: number }
  /** Any state any device ever had, delivered late, early, again. */
  | { kind: 'deliver'; on: number; snapshot: number };

const on = fc.nat({ max: DEVICES.length - 1 });
const pick = fc.nat({ max: 7 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    on,
    site: fc.constantFrom('a.com', 'b.org'),
    codes: fc.nat(3),
  }),
  fc.record({
    kind: fc.constant('edit' as const),
    on,
    pick,
    field: fc.constantFrom('site' as const, 'label' as const, 'note' as const),
    value: fc.constantFrom('x', 'y', undefined),
  }),
  fc.record({
    kind: fc.constantFrom('use' as const, 'reserve' as const, 'unmark' as const),
    on,
    pick,
    code: pick,
  }),
  // The first codes of the first accounts: two devices often use the same code before they hear of each other.
  fc.record({ kind: fc.constant('use' as const), on, pick: fc.nat(1), code: fc.nat(1) }),
  fc.record({ kind: fc.constantFrom('replace' as const, 'add codes' as const), on, pick, codes: fc.nat(2) }),
  fc.record({ kind: fc.constant('delete' as const), on, pick }),
  fc.record({ kind: fc.constant('deliver' as const), on, snapshot: fc.nat() }),
  fc.record({ kind: fc.constant('deliver' as const), on, snapshot: fc.nat() }),
);

const scenario = fc.record({
  // Wall clocks that agree, differ by a millisecond, or by an hour either way. Agreeing clocks and steps in the
  // same millisecond are likelier: equal wall times are where a merge that is not a join first shows.
  skews: fc.tuple(...DEVICES.map(() => fc.constantFrom(0, 0, 1, -1, HOUR, -HOUR))),
  steps: fc.array(fc.tuple(step, fc.constantFrom(0, 0, 1, 1000, 60_000)), { maxLength: 30 }),
  laws: fc.tuple(fc.nat(), fc.nat(), fc.nat()),
});

function usedIds(accounts: readonly Account[]): Set<string> {
  const ids = new Set<string>();
  for (const a of accounts)
    for (const c of [...a.codes, ...(a.earlierSets ?? []).flatMap((s) => s.codes)])
      if (c.state === 'used') ids.add(c.id);
  return ids;
}

function allCodes(accounts: readonly Account[]) {
  return accounts.flatMap((a) => [...a.codes, ...(a.earlierSets ?? []).flatMap((s) => s.codes)]);
}

interface Run {
  devices: Device[];
  snapshots: SyncState[];
  created: Set<string>;
  deleted: Set<string>;
  /** Codes some device used and recorded. */
  usedEver: Set<string>;
  /** The earliest `usedAt` any device recorded for a code. */
  firstUse: Map<string, string>;
  /** Codes some device replaced. */
  replaced: Set<string>;
}

function play({ skews, steps }: { skews: number[]; steps: [Step, number][] }): Run {
  const devices = DEVICES.map((name, i) => device(name, skews[i]));
  const run: Run = {
    devices,
    snapshots: [],
    created: new Set(),
    deleted: new Set(),
    usedEver: new Set(),
    firstUse: new Map(),
    replaced: new Set(),
  };
  let now = T0;
  const unmarked = new Set<Device>();
  steps.forEach(([s, dt], index) => {
    now += dt;
    const d = devices[s.on]!;
    const target = 'pick' in s ? d.accounts[s.pick % Math.max(1, d.accounts.length)] : undefined;
    const values = (n: number) => Array.from({ length: n }, (_, i) => `v${index}-${i}`);
    if (s.kind === 'add') {
      const id = `${d.name}${index}`;
      addAccount(d, id, s.site, values(s.codes), now);
      run.created.add(id);
    } else if (s.kind === 'deliver') {
      if (run.snapshots.length === 0) return;
      const before = usedIds(d.accounts);
      deliver(d, run.snapshots[s.snapshot % run.snapshots.length]!);
      unmarked.delete(d);
      // A delivery never turns a used code unused, wherever it now is.
      for (const c of allCodes(d.accounts)) if (before.has(c.id)) expect(c.state, c.id).toBe('used');
    } else if (target) {
      const code = 'code' in s ? target.codes[s.code % Math.max(1, target.codes.length)] : undefined;
      if (s.kind === 'edit') edit(d, target.id, s.field, s.value, now);
      else if (s.kind === 'replace') {
        for (const c of target.codes) run.replaced.add(c.id);
        replaceCodes(d, target.id, values(s.codes), now, `r${index}`);
      } else if (s.kind === 'add codes') addCodes(d, target.id, values(s.codes), now, `n${index}`);
      else if (s.kind === 'delete') {
        deleteAccount(d, target.id, now);
        run.deleted.add(target.id);
      } else if (code && s.kind === 'use') {
        markUsed(d, target.id, code.id, now);
        run.usedEver.add(code.id);
        const usedAt = d.accounts
          .find((a) => a.id === target.id)!
          .codes.find((c) => c.id === code.id)!.usedAt!;
        const known = run.firstUse.get(code.id);
        if (known === undefined || usedAt < known) run.firstUse.set(code.id, usedAt);
      } else if (code && s.kind === 'reserve') reserve(d, target.id, code.id, now);
      else if (code && s.kind === 'unmark') {
        markUnused(d, target.id, code.id, now);
        unmarked.add(d);
      }
    }
    // Recording a change keeps all of it: the device's own state gives back its vault. (A code marked unused
    // by hand is the one exception, by design: the state keeps it used.)
    if (!unmarked.has(d)) expect(syncedView(toAccounts(d.state, d.accounts))).toEqual(syncedView(d.accounts));
    run.snapshots.push(d.state);
  });
  // Sync settles: every device sends its state to every other, twice over.
  for (let round = 0; round < 2; round++)
    for (const from of devices) for (const to of devices) if (to !== from) deliver(to, from.state);
  return run;
}

describe('the merge, on three devices (fast-check)', () => {
  test(
    `${RUNS} runs: converges, keeps every use, never loses an account no one deleted; the merge is a join`,
    () => {
      fc.assert(
        fc.property(scenario, ({ skews, steps, laws }) => {
          const run = play({ skews, steps });
          const [first, ...others] = run.devices;

          // The rules that must hold whatever the order of delivery come first, so a failure names the rule.
          for (const d of run.devices) {
            const codes = allCodes(d.accounts);
            // Never turns a used code unused.
            for (const c of codes) if (run.usedEver.has(c.id)) expect(c.state, c.id).toBe('used');
            // Every device keeps the earliest use any device recorded.
            for (const c of codes)
              if (run.firstUse.has(c.id)) expect(c.usedAt, c.id).toBe(run.firstUse.get(c.id));
            // A replaced set never comes back, and no state keeps its values.
            for (const a of d.accounts)
              for (const c of a.codes) expect(run.replaced.has(c.id), c.id).toBe(false);
            for (const a of Object.values(d.state.accounts))
              for (const g of generationsInOrder(a).slice(0, -1))
                for (const c of Object.values(g.codes)) expect(c.value).toBeUndefined();
            // Never loses an account that no device deleted.
            const ids = new Set(d.accounts.map((a) => a.id));
            for (const id of run.created) if (!run.deleted.has(id)) expect(ids.has(id), id).toBe(true);
          }

          // Converges to the same vault, and the same synced state.
          for (const d of others) {
            expect(d.state).toEqual(first!.state);
            expect(syncedView(d.accounts)).toEqual(syncedView(first!.accounts));
          }
          expect(syncedView(toAccounts(first!.state))).toEqual(syncedView(first!.accounts));
          // What a device seals and syncs reads back as the same state (codec.ts).
          expect(decodeReplica(encodeReplica({ state: first!.state, clock: first!.clock }))).toEqual({
            state: first!.state,
            clock: first!.clock,
          });

          // The laws of a join, on any states the devices had along the way.
          if (run.snapshots.length > 0) {
            const [x, y, z] = laws.map((n) => run.snapshots[n % run.snapshots.length]!);
            expect(mergeReplicas(x!, y!)).toEqual(mergeReplicas(y!, x!));
            expect(mergeReplicas(mergeReplicas(x!, y!), z!)).toEqual(
              mergeReplicas(x!, mergeReplicas(y!, z!)),
            );
            expect(mergeReplicas(x!, x!)).toEqual(x);
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );
});
