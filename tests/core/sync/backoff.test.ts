import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  DEFAULT_BACKOFF_BASE_MS,
  DEFAULT_BACKOFF_CAP_MS,
  SyncWriteScheduler,
  classifySyncError,
  mergeBatches,
  type SyncBatch,
} from '../../../src/core/sync/backoff';
import {
  SYNC_MAX_WRITE_OPERATIONS_PER_HOUR,
  SYNC_MAX_WRITE_OPERATIONS_PER_MINUTE,
} from '../../../src/core/sync/limits';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function setup(options: Partial<ConstructorParameters<typeof SyncWriteScheduler>[0]> = {}) {
  const clock = { t: 0 };
  const scheduler = new SyncWriteScheduler({ now: () => clock.t, ...options });
  return { clock, scheduler };
}

const set = (entries: Record<string, string>): SyncBatch => ({ set: entries, remove: [] });

// Chrome (old and current wording) and Firefox, as they throw them.
const CHROME_RATE = [
  'This request exceeds the MAX_WRITE_OPERATIONS_PER_MINUTE quota.',
  'This request exceeds the MAX_WRITE_OPERATIONS_PER_HOUR quota.',
  'This request exceeds the MAX_SUSTAINED_WRITE_OPERATIONS_PER_MINUTE quota.',
];
const QUOTA = [
  'QUOTA_BYTES quota exceeded',
  'QUOTA_BYTES_PER_ITEM quota exceeded',
  'MAX_ITEMS quota exceeded',
  'Resource::kQuotaBytes quota exceeded',
  'Resource::kQuotaBytesPerItem quota exceeded',
  'Resource::kMaxItems quota exceeded',
  'QuotaExceededError: storage.sync API call exceeded its quota limitations.',
];

describe('classifySyncError', () => {
  test.each(CHROME_RATE)('rate limit: %s', (message) => {
    expect(classifySyncError(new Error(message))).toBe('rate-limit');
  });
  test.each(QUOTA)('quota: %s', (message) => {
    expect(classifySyncError(new Error(message))).toBe('quota');
  });
  test('anything else', () => {
    expect(classifySyncError(new Error('Network down'))).toBe('other');
    expect(classifySyncError(undefined)).toBe('other');
  });
});

describe('debounce and max wait', () => {
  test('a batch is due 2 s after the last change', () => {
    const { clock, scheduler } = setup();
    scheduler.queue(set({ a: '1' }));
    expect(scheduler.dueAt()).toBe(2_000);
    clock.t = 1_000;
    scheduler.queue(set({ b: '1' }));
    expect(scheduler.dueAt()).toBe(3_000);
    clock.t = 2_999;
    expect(scheduler.take()).toBeUndefined();
    expect(scheduler.state()).toBe('pending');
    clock.t = 3_000;
    expect(scheduler.take()).toEqual({ set: { a: '1', b: '1' }, remove: [] });
  });

  test('a steady trickle of changes is written no later than 10 s after the first', () => {
    const { clock, scheduler } = setup();
    for (clock.t = 0; clock.t < 10_000; clock.t += 1_000) {
      scheduler.queue(set({ [`k${clock.t}`]: 'v' }));
      expect(scheduler.take()).toBeUndefined();
    }
    clock.t = 10_000;
    expect(scheduler.dueAt()).toBe(10_000);
    expect(Object.keys(scheduler.take()!.set)).toHaveLength(10);
  });

  test('all pending changes go in one set and one remove; the newest change to a key wins', () => {
    const { clock, scheduler } = setup();
    scheduler.queue({ set: { a: '1', b: '1' }, remove: ['c'] });
    scheduler.queue({ set: { c: '2' }, remove: ['a'] });
    clock.t = 5_000;
    expect(scheduler.take()).toEqual({ set: { b: '1', c: '2' }, remove: ['a'] });
    scheduler.succeeded();
    expect(scheduler.state()).toBe('idle');
  });
});

describe('back-off after errors', () => {
  test('rate-limit errors back off exponentially up to the cap, and the popup sees why and until when', () => {
    const { clock, scheduler } = setup();
    scheduler.queue(set({ a: '1' }));
    clock.t = 2_000;
    const delays: number[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const batch = scheduler.take();
      expect(batch).toEqual(set({ a: '1' }));
      expect(scheduler.failed(new Error(CHROME_RATE[0]))).toBe('rate-limit');
      const state = scheduler.state();
      expect(state).toMatchObject({ paused: 'rate-limit' });
      const retryAt = (state as { retryAt: number }).retryAt;
      delays.push(retryAt - clock.t);
      clock.t = retryAt - 1;
      expect(scheduler.take()).toBeUndefined();
      clock.t = retryAt;
    }
    expect(delays.slice(0, 4)).toEqual([1, 2, 4, 8].map((n) => n * DEFAULT_BACKOFF_BASE_MS));
    expect(Math.max(...delays)).toBe(DEFAULT_BACKOFF_CAP_MS);
    scheduler.take();
    scheduler.succeeded();
    expect(scheduler.state()).toBe('idle');
  });

  test('a quota error pauses with reason quota; a layout that does not fit holds writes with no retry time', () => {
    const { clock, scheduler } = setup();
    scheduler.queue(set({ a: '1' }));
    clock.t = 2_000;
    scheduler.take();
    scheduler.failed(new Error('Resource::kQuotaBytes quota exceeded'));
    expect(scheduler.state()).toEqual({ paused: 'quota', retryAt: 2_000 + DEFAULT_BACKOFF_BASE_MS });
    scheduler.resume();
    scheduler.holdForQuota(true);
    expect(scheduler.state()).toEqual({ paused: 'quota', retryAt: null });
    expect(scheduler.take()).toBeUndefined();
    scheduler.holdForQuota(false);
    expect(scheduler.take()).toEqual(set({ a: '1' }));
  });

  test('changes queued while a batch is in flight are kept, and win over the failed batch', () => {
    const { clock, scheduler } = setup();
    scheduler.queue({ set: { a: '1', b: '1' }, remove: [] });
    clock.t = 2_000;
    scheduler.take();
    scheduler.queue({ set: { b: '2' }, remove: ['a'] });
    scheduler.failed(new Error('Network down'));
    expect(scheduler.state()).toBe('pending');
    clock.t += DEFAULT_BACKOFF_BASE_MS;
    expect(scheduler.take()).toEqual({ set: { b: '2' }, remove: ['a'] });
  });
});

describe('a simulated hour of bursts', () => {
  // The caller's loop: sleep until dueAt (or the next change), take, write remove-then-set, report.
  test('never exceeds the per-minute or per-hour write limits, loses no change, and drains (100 runs)', () => {
    // 100 runs, not 10,000: each simulates an hour of 2,000 to 5,000 changes and every write that follows.
    let busiest = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            at: fc.integer({ min: 0, max: HOUR }),
            key: fc.constantFrom('k0', 'k1', 'k2', 'k3', 'k4', 'k5'),
            value: fc.option(fc.integer({ min: 0, max: 9 }).map(String)),
          }),
          { minLength: 2_000, maxLength: 5_000 },
        ),
        fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2_000 })),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        (changes, debounceMs, failureRate) => {
          changes.sort((x, y) => x.at - y.at);
          const { clock, scheduler } = setup({ debounceMs, maxWaitMs: debounceMs * 5 });
          const area: Record<string, string> = {};
          const wanted: Record<string, string> = {};
          const calls: number[] = [];
          let n = 0;
          let failures = 0;
          for (let step = 0; step < 100_000; step++) {
            const due = scheduler.dueAt();
            const nextChange = changes[n]?.at;
            if (due === undefined && nextChange === undefined) break;
            clock.t = Math.max(clock.t, Math.min(due ?? Infinity, nextChange ?? Infinity));
            while (changes[n] && changes[n]!.at <= clock.t) {
              const { key, value } = changes[n++]!;
              if (value === null) delete wanted[key];
              else wanted[key] = value;
              scheduler.queue(value === null ? { set: {}, remove: [key] } : set({ [key]: value }));
            }
            const batch = scheduler.take();
            if (!batch) continue;
            if (batch.remove.length) calls.push(clock.t);
            if (Object.keys(batch.set).length) calls.push(clock.t);
            // A deterministic pseudo-random failure, so that some batches fail and must be retried.
            if ((calls.length * 0.618_034) % 1 < failureRate && failures < 5) {
              failures++;
              scheduler.failed(new Error(CHROME_RATE[calls.length % 2]));
              continue;
            }
            for (const key of batch.remove) delete area[key];
            Object.assign(area, batch.set);
            scheduler.succeeded();
          }
          expect(area).toEqual(wanted);
          expect(scheduler.state()).toBe('idle');
          // Every window of a minute and of an hour ending at a call (calls are in time order).
          for (const [window, limit] of [
            [MINUTE, SYNC_MAX_WRITE_OPERATIONS_PER_MINUTE],
            [HOUR, SYNC_MAX_WRITE_OPERATIONS_PER_HOUR],
          ] as const) {
            let start = 0;
            for (let end = 0; end < calls.length; end++) {
              while (calls[start]! <= calls[end]! - window) start++;
              expect(end - start + 1).toBeLessThanOrEqual(limit);
            }
          }
          busiest = Math.max(busiest, calls.length);
        },
      ),
      { numRuns: 100 },
    );
    // The flood really reached the hourly limit in some runs, so the check above had something to hold back.
    expect(busiest).toBeGreaterThan(SYNC_MAX_WRITE_OPERATIONS_PER_HOUR);
  }, 120_000);

  test('with no debounce, a flood is held back by the write counter and says rate-limit', () => {
    const { clock, scheduler } = setup({ debounceMs: 0, maxWaitMs: 0 });
    let writes = 0;
    for (clock.t = 0; clock.t < MINUTE; clock.t += 100) {
      scheduler.queue({ set: { a: String(clock.t) }, remove: [`b${clock.t}`] });
      if (scheduler.take()) {
        writes += 2;
        scheduler.succeeded();
      }
    }
    expect(writes).toBe(SYNC_MAX_WRITE_OPERATIONS_PER_MINUTE);
    expect(scheduler.state()).toMatchObject({ paused: 'rate-limit' });
  });
});

describe('mergeBatches', () => {
  test('a later set undoes an earlier remove and the other way round', () => {
    expect(mergeBatches({ set: { a: 1 }, remove: ['b'] }, { set: { b: 2 }, remove: ['a'] })).toEqual({
      set: { b: 2 },
      remove: ['a'],
    });
  });
});
