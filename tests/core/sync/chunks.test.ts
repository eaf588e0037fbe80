import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { generateDataKey, recordAad, sealJson } from '../../../src/core/crypto';
import { randomId } from '../../../src/core/crypto/encoding';
import { createCode } from '../../../src/core/vault';
import type { Account } from '../../../src/core/vault';
import {
  HEADER_KEY,
  assembleSyncItems,
  checkSyncFit,
  diffSyncItems,
  isSyncLayoutKey,
  layoutSyncItems,
  packSealed,
  planSyncWrite,
  recordKey,
  syncItemBytes,
  unpackSealed,
  type SyncContent,
  type SyncItems,
} from '../../../src/core/sync/chunks';
import {
  SYNC_LIMITS,
  SYNC_MAX_ITEMS,
  SYNC_QUOTA_BYTES,
  SYNC_QUOTA_BYTES_PER_ITEM,
} from '../../../src/core/sync/limits';
import { findSecret } from '../../e2e/support/find-secrets';

const bytes = (length: number, fill = 7) => new Uint8Array(length).fill(fill);
const content = (records: [string, Uint8Array][], header = bytes(200, 1)): SyncContent => ({
  header,
  records: new Map(records),
});
const itemSizes = (items: SyncItems) => Object.entries(items).map(([k, v]) => syncItemBytes(k, v));

// Applies a diff as the scheduler's caller does: remove first, then set.
function apply(current: Record<string, unknown>, diff: { set: SyncItems; remove: string[] }) {
  const next = { ...current };
  for (const key of diff.remove) delete next[key];
  return Object.assign(next, diff.set);
}

const recordId = fc.stringMatching(/^[A-Za-z0-9_-]{22}$/);
const recordBytes = fc.uint8Array({ minLength: 0, maxLength: 12_000 });

describe('syncItemBytes counts as Chrome does (key + JSON.stringify(value), UTF-8 bytes)', () => {
  test('ASCII, quotes and multi-byte characters', () => {
    expect(syncItemBytes('k', 'abc')).toBe(1 + 5);
    expect(syncItemBytes('k', { a: 1 })).toBe(1 + 7);
    expect(syncItemBytes('é', 'é')).toBe(2 + 4);
  });
});

describe('layout round trip', () => {
  test('any header and records come back byte for byte, every item within 8,192 bytes', async () => {
    // 10,000 runs: each is a few SHA-256 hashes and string slices over at most ~60 KB.
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 600 }),
        fc.uniqueArray(fc.tuple(recordId, recordBytes), { maxLength: 5, selector: ([id]) => id }),
        async (header, records) => {
          const items = await layoutSyncItems(content(records, header));
          for (const size of itemSizes(items)) expect(size).toBeLessThanOrEqual(SYNC_QUOTA_BYTES_PER_ITEM);
          for (const key of Object.keys(items)) expect(isSyncLayoutKey(key)).toBe(true);
          const back = await assembleSyncItems(items);
          expect(back.header).toEqual(header);
          expect(back.waiting.size).toBe(0);
          expect(back.records).toEqual(new Map(records));
        },
      ),
      { numRuns: 10_000 },
    );
  }, 120_000);

  test('a record larger than one item spans several and reassembles', async () => {
    const big = fc.sample(fc.uint8Array({ minLength: 20_000, maxLength: 20_000 }), 1)[0]!;
    const items = await layoutSyncItems(content([['A'.repeat(22), big]]));
    const keys = Object.keys(items).filter((k) => k.startsWith(recordKey('A'.repeat(22))));
    expect(keys.sort()).toEqual(
      [
        recordKey('A'.repeat(22)),
        `${recordKey('A'.repeat(22))}.1`,
        `${recordKey('A'.repeat(22))}.2`,
        `${recordKey('A'.repeat(22))}.3`,
      ].sort(),
    );
    expect((await assembleSyncItems(items)).records.get('A'.repeat(22))).toEqual(big);
  });

  test('sealed records pack and unpack', () => {
    const sealed = { iv: bytes(12, 3), ct: bytes(40, 4) };
    expect(unpackSealed(packSealed(sealed))).toEqual(sealed);
  });
});

describe('the per-item edge', () => {
  // The head of a one-item record has room for exactly this many base64 characters.
  const room = (id: string) =>
    SYNC_QUOTA_BYTES_PER_ITEM - syncItemBytes(recordKey(id), `1.${'x'.repeat(16)}.1.`);
  // An id length that makes that room a multiple of 4, so whole bytes fill the item to the last byte.
  const id = Array.from({ length: 8 }, (_, n) => 'i'.repeat(20 + n)).find(
    (candidate) => room(candidate) % 4 === 0,
  )!;

  test('a record filling one item to exactly 8,192 bytes stays one item', async () => {
    const items = await layoutSyncItems(content([[id, bytes((room(id) / 4) * 3)]]));
    expect(items[`${recordKey(id)}.1`]).toBeUndefined();
    expect(syncItemBytes(recordKey(id), items[recordKey(id)])).toBe(SYNC_QUOTA_BYTES_PER_ITEM);
  });

  test('one more byte spills into a second item; the first is still exactly 8,192 bytes', async () => {
    const items = await layoutSyncItems(content([[id, bytes((room(id) / 4) * 3 + 1)]]));
    expect(syncItemBytes(recordKey(id), items[recordKey(id)])).toBe(SYNC_QUOTA_BYTES_PER_ITEM);
    expect(items[`${recordKey(id)}.1`]).toBeDefined();
    expect((await assembleSyncItems(items)).records.get(id)).toEqual(bytes((room(id) / 4) * 3 + 1));
  });

  test('checkSyncFit: an item of 8,192 bytes fits, 8,193 is one byte over', () => {
    const value = (size: number) => 'v'.repeat(size - 2 - 1);
    expect(checkSyncFit({ k: value(8_192) })).toMatchObject({ fits: true, largestItemBytes: 8_192 });
    expect(checkSyncFit({ k: value(8_193) })).toMatchObject({ fits: false, overItemBytes: 1 });
  });
});

describe('checkSyncFit at the quota and item-count edges', () => {
  // Synthetic items of exact sizes: key `kNN` (3 bytes) + a quoted string.
  const item = (n: number, size: number): [string, string] => {
    const key = `k${String(n).padStart(3, '0')}`;
    return [key, 'x'.repeat(size - key.length - 2)];
  };
  const area = (sizes: number[]) => Object.fromEntries(sizes.map((size, n) => item(n, size)));

  test('total exactly 102,400 bytes fits; 102,401 is one byte over', () => {
    const exact = [...Array<number>(12).fill(8_192), 4_096];
    expect(exact.reduce((a, b) => a + b)).toBe(SYNC_QUOTA_BYTES);
    expect(checkSyncFit(area(exact))).toMatchObject({
      fits: true,
      totalBytes: SYNC_QUOTA_BYTES,
      overBytes: 0,
    });
    expect(checkSyncFit(area([...exact.slice(0, -1), 4_097]))).toMatchObject({ fits: false, overBytes: 1 });
  });

  test('512 items fit; 513 is one item over', () => {
    expect(checkSyncFit(area(Array<number>(SYNC_MAX_ITEMS).fill(10)))).toMatchObject({
      fits: true,
      itemCount: 512,
    });
    expect(checkSyncFit(area(Array<number>(SYNC_MAX_ITEMS + 1).fill(10)))).toMatchObject({
      fits: false,
      overItems: 1,
      overBytes: 0,
    });
  });

  test('a real layout just over the quota says by how much', async () => {
    // 13 records of ~7.9 KB: each one full item, 13 × ~8 KB > 100 KB.
    const records: [string, Uint8Array][] = Array.from({ length: 13 }, (_, n) => [
      `${'r'.repeat(21)}${n.toString(36)}`,
      bytes(6_000),
    ]);
    const fit = checkSyncFit(await layoutSyncItems(content(records)));
    expect(fit.fits).toBe(false);
    expect(fit.overBytes).toBe(fit.totalBytes - SYNC_LIMITS.quotaBytes);
  });
});

describe('diffSyncItems', () => {
  const a = 'a'.repeat(22);
  const b = 'b'.repeat(22);
  const c = 'c'.repeat(22);

  test('touches only the keys of records that changed, and removes what the new layout dropped', async () => {
    const before = await layoutSyncItems(
      content([
        [a, bytes(100)],
        [b, bytes(20_000)],
        [c, bytes(300)],
      ]),
    );
    const after = await layoutSyncItems(
      content([
        [a, bytes(100)],
        [b, bytes(9_000, 9)],
      ]),
    );
    const current = { ...before, 'unrelated-setting': 'keep me' };
    const diff = diffSyncItems(current, after);
    expect(Object.keys(diff.set).sort()).toEqual([recordKey(b), `${recordKey(b)}.1`].sort());
    expect(diff.remove).toEqual([`${recordKey(b)}.2`, `${recordKey(b)}.3`, recordKey(c)].sort());
    expect(apply(current, diff)).toEqual({ ...after, 'unrelated-setting': 'keep me' });
  });

  test('planSyncWrite diffs and measures the whole area, other synced keys included', async () => {
    const current = { 'unrelated-setting': 'x'.repeat(8_000) };
    const records: [string, Uint8Array][] = Array.from({ length: 12 }, (_, n) => [
      `${'p'.repeat(21)}${n.toString(36)}`,
      bytes(6_000),
    ]);
    const plan = await planSyncWrite(current, content(records));
    const layout = await layoutSyncItems(content(records));
    expect(plan.diff).toEqual({ set: layout, remove: [] });
    expect(plan.fit).toEqual(checkSyncFit({ ...current, ...layout }));
    expect(plan.fit.fits).toBe(false);
    expect(checkSyncFit(layout).fits).toBe(true);
  });

  test('no change, no write', async () => {
    const items = await layoutSyncItems(content([[a, bytes(100)]]));
    expect(diffSyncItems(items, await layoutSyncItems(content([[a, bytes(100)]])))).toEqual({
      set: {},
      remove: [],
    });
  });

  test('any current area: remove-then-set of the diff yields exactly the new layout (10,000 runs)', async () => {
    // 10,000 runs: two layouts of up to five records each, then a set equation.
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(recordId, recordBytes), { maxLength: 5, selector: ([id]) => id }),
        fc.uniqueArray(fc.tuple(recordId, recordBytes), { maxLength: 5, selector: ([id]) => id }),
        async (old, next) => {
          const current = await layoutSyncItems(content(old));
          const target = await layoutSyncItems(content(next));
          const diff = diffSyncItems(current, target);
          expect(apply(current, diff)).toEqual(target);
          for (const [key, value] of Object.entries(diff.set)) expect(current[key]).not.toBe(value);
        },
      ),
      { numRuns: 10_000 },
    );
  }, 60_000);
});

describe('a half-written set is never assembled', () => {
  const id = 'h'.repeat(22);
  const v1 = bytes(20_000, 1);
  const v2 = bytes(20_000, 2);

  test('new head with old chunks, old head with a new chunk, or a missing chunk: the record waits', async () => {
    const old = await layoutSyncItems(content([[id, v1]]));
    const now = await layoutSyncItems(content([[id, v2]]));
    const key = recordKey(id);
    const cases: [string, SyncItems, string][] = [
      ['new head, old chunks', { ...old, [key]: now[key]! }, 'mixed-versions'],
      ['old head, one new chunk', { ...old, [`${key}.2`]: now[`${key}.2`]! }, 'mixed-versions'],
      [
        'a chunk missing',
        Object.fromEntries(Object.entries(now).filter(([k]) => k !== `${key}.1`)),
        'missing-items',
      ],
    ];
    for (const [, items, problem] of cases) {
      const read = await assembleSyncItems(items);
      expect(read.records.has(id)).toBe(false);
      expect(read.waiting.get(id)).toBe(problem);
    }
  });

  test('a chunk whose data was altered fails the hash', async () => {
    const items = await layoutSyncItems(content([[id, v1]]));
    const key = `${recordKey(id)}.1`;
    items[key] = items[key]!.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'));
    expect((await assembleSyncItems(items)).waiting.get(id)).toMatch(/hash-mismatch/);
  });

  test('any mix of two versions, item by item, reads as the old record, the new one, or waits (10,000 runs)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 30_000 }),
        fc.uint8Array({ maxLength: 30_000 }),
        fc.array(fc.constantFrom('old', 'new', 'absent'), { minLength: 8, maxLength: 8 }),
        async (first, second, pick) => {
          const old = await layoutSyncItems(content([[id, first]]));
          const now = await layoutSyncItems(content([[id, second]]));
          const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])].sort();
          const mixed: SyncItems = {};
          keys.forEach((key, n) => {
            const from = pick[n % pick.length] === 'old' ? old : pick[n % pick.length] === 'new' ? now : {};
            if (from[key] !== undefined) mixed[key] = from[key];
          });
          const read = await assembleSyncItems(mixed);
          const got = read.records.get(id);
          if (got !== undefined)
            expect([first, second].some((v) => Buffer.from(v).equals(Buffer.from(got)))).toBe(true);
          else expect(read.waiting.has(id) || mixed[recordKey(id)] === undefined).toBe(true);
        },
      ),
      { numRuns: 10_000 },
    );
  }, 120_000);

  test('an absent header is reported, not guessed', async () => {
    const items = await layoutSyncItems(content([]));
    delete items[HEADER_KEY];
    expect((await assembleSyncItems(items)).headerProblem).toBe('absent');
  });
});

describe('nothing readable in sync', () => {
  test('keys and values hold no site, label or code of a really sealed account', async () => {
    const key = await generateDataKey();
    const vaultId = randomId();
    const at = '2026-12-03T05:00:00.000Z';
    const site = 'secret-bank.example';
    const label = 'alice.wonder@example.org';
    const values = Array.from({ length: 10 }, (_, n) => `${83_190_000 + n * 7_331}`);
    const account: Account = {
      id: randomId(),
      site,
      label,
      codes: values.map((value) => createCode({ value }, randomId(), at, 'hand')),
      createdAt: at,
      updatedAt: at,
    };
    const sealed = packSealed(await sealJson(key, account, recordAad(vaultId, account.id, 1)));
    const items = await layoutSyncItems(content([[account.id, sealed]]));
    for (const secret of [site, label, ...values, at.slice(0, 16)]) {
      expect(findSecret({ sync: items }, secret)).toEqual([]);
    }
    // Keys carry only the random id and a chunk index.
    for (const k of Object.keys(items)) expect(k).toMatch(/^~(h|r[A-Za-z0-9_-]{22})(\.\d+)?$/);
  });
});
