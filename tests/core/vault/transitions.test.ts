import { describe, expect, test } from 'vitest';
import { SpareError } from '../../../src/core/errors';
import {
  codesLeft,
  confirmCode,
  createCode,
  markUnusedByHand,
  markUsedByHand,
  nextUnusedCode,
  releaseCode,
  reserveCode,
  summarize,
  withCode,
  type Account,
  type Code,
  type CodeState,
} from '../../../src/core/vault';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:01:00.000Z';
const PAGE = 'https://www.instagram.com/accounts/login/two_factor/';
const HOLDER = { tabId: 7, origin: 'https://www.instagram.com' };

function codeIn(state: CodeState): Code {
  const unused = createCode({ value: '1234 5678' }, 'c1', T0, 'hand');
  if (state === 'unused') return unused;
  const reserved = reserveCode(unused, HOLDER, T0);
  if (state === 'reserved') return reserved;
  return confirmCode(reserved, PAGE, T0);
}

const moves: Record<string, (c: Code) => Code> = {
  reserve: (c) => reserveCode(c, HOLDER, T1),
  release: (c) => releaseCode(c, T1),
  confirm: (c) => confirmCode(c, PAGE, T1),
  'mark used by hand': (c) => markUsedByHand(c, T1),
  'mark unused by hand': (c) => markUnusedByHand(c, T1),
};

// Every (state, move) pair: the allowed ones and where they lead; all others must be refused.
const allowed: Record<string, Partial<Record<CodeState, CodeState>>> = {
  reserve: { unused: 'reserved' },
  release: { reserved: 'unused' },
  confirm: { reserved: 'used' },
  'mark used by hand': { unused: 'used' },
  'mark unused by hand': { used: 'unused' },
};

describe('code transitions', () => {
  for (const [move, apply] of Object.entries(moves)) {
    for (const from of ['unused', 'reserved', 'used'] as const) {
      const to = allowed[move]![from];
      if (to) {
        test(`${move}: ${from} → ${to}`, () => {
          const before = codeIn(from);
          const snapshot = structuredClone(before);
          const after = apply(before);
          expect(after.state).toBe(to);
          expect(after.history.at(-1)).toMatchObject({ at: T1, from, to });
          expect(after.history).toHaveLength(before.history.length + 1);
          expect(before).toEqual(snapshot); // the input is never mutated
        });
      } else {
        test(`${move}: ${from} is refused`, () => {
          const before = codeIn(from);
          const snapshot = structuredClone(before);
          let thrown: unknown;
          try {
            apply(before);
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(SpareError);
          expect((thrown as SpareError).code).toBe('invalid-transition');
          expect(before).toEqual(snapshot);
        });
      }
    }
  }

  test('reserving records who holds the code and when', () => {
    const reserved = reserveCode(codeIn('unused'), HOLDER, T1);
    expect(reserved).toMatchObject({ reservedAt: T1, reservedBy: HOLDER });
    expect(reserved.history.at(-1)!.by).toBe('fill');
  });

  test('confirming records the time and the page, and drops the reservation', () => {
    const used = confirmCode(codeIn('reserved'), PAGE, T1);
    expect(used).toMatchObject({ usedAt: T1, usedOn: PAGE, state: 'used' });
    expect(used.reservedBy).toBeUndefined();
    expect(used.reservedAt).toBeUndefined();
    expect(used.history.at(-1)).toEqual({ at: T1, from: 'reserved', to: 'used', on: PAGE, by: 'fill' });
  });

  test('a used code keeps the page’s origin and path only: a query, a fragment or a user:password can hold tokens', () => {
    const page =
      'https://bob:hunter2@www.instagram.com/accounts/login/two_factor/?next=%2F&token=s3cr3t#state=abc';
    const used = confirmCode(codeIn('reserved'), page, T1);
    expect(used.usedOn).toBe(PAGE);
    expect(used.history.at(-1)!.on).toBe(PAGE);
    expect(JSON.stringify(used)).not.toMatch(/s3cr3t|hunter2|state=abc|next=/);
  });

  test('an imported used code keeps the origin and path only, and a non-URL place loses anything after ? or #', () => {
    const fromUrl = createCode(
      { value: 'x', used: true, usedOn: `${PAGE}?ticket=s3cr3t` },
      'c1',
      T1,
      'import',
    );
    expect(fromUrl.usedOn).toBe(PAGE);
    const fromText = createCode(
      { value: 'x', used: true, usedOn: 'instagram.com/login?ticket=s3cr3t' },
      'c2',
      T1,
      'import',
    );
    expect(fromText.usedOn).toBe('instagram.com/login');
  });

  test('releasing clears the reservation', () => {
    const released = releaseCode(codeIn('reserved'), T1, 'tab-closed');
    expect(released.reservedBy).toBeUndefined();
    expect(released.reservedAt).toBeUndefined();
    expect(released.history.at(-1)!.by).toBe('tab-closed');
  });

  test('marking unused by hand forgets when and where it was used, but history keeps it', () => {
    const unused = markUnusedByHand(codeIn('used'), T1);
    expect(unused.usedAt).toBeUndefined();
    expect(unused.usedOn).toBeUndefined();
    expect(unused.history.map((e) => e.to)).toEqual(['unused', 'reserved', 'used', 'unused']);
    expect(unused.history.at(-1)!.by).toBe('hand');
  });

  test('marking used by hand has a time and no page', () => {
    const used = markUsedByHand(codeIn('unused'), T1);
    expect(used.usedAt).toBe(T1);
    expect(used.usedOn).toBeUndefined();
  });
});

describe('counts and helpers', () => {
  const account: Account = {
    id: 'a1',
    site: 'instagram.com',
    codes: [
      createCode({ value: '1111 1111', used: true, usedAt: T0 }, 'c1', T0, 'import'),
      reserveCode(createCode({ value: '2222 2222' }, 'c2', T0, 'import'), HOLDER, T0),
      createCode({ value: '3333 3333' }, 'c3', T0, 'import'),
    ],
    createdAt: T0,
    updatedAt: T0,
  };

  test('"N of M left" counts reserved codes as left', () => {
    expect(codesLeft(account)).toBe(2);
    expect(summarize(account)).toMatchObject({ left: 2, total: 3, site: 'instagram.com' });
  });

  test('a summary never carries code values', () => {
    expect(JSON.stringify(summarize(account))).not.toMatch(/1111|2222|3333/);
  });

  test('the next code offered is the first unused one, skipping used and reserved', () => {
    expect(nextUnusedCode(account)!.id).toBe('c3');
    expect(nextUnusedCode({ codes: account.codes.slice(0, 2) })).toBeUndefined();
  });

  test('an imported used code keeps its time and page', () => {
    const code = createCode({ value: 'x', used: true, usedAt: T0, usedOn: PAGE }, 'c9', T1, 'import');
    expect(code).toMatchObject({ state: 'used', usedAt: T0, usedOn: PAGE });
    expect(code.history).toEqual([{ at: T1, from: null, to: 'used', by: 'import' }]);
  });

  test('withCode replaces one code and moves updatedAt; an unknown code is not-found', () => {
    const next = withCode(account, markUsedByHand(account.codes[2]!, T1), T1);
    expect(next.codes[2]!.state).toBe('used');
    expect(next.updatedAt).toBe(T1);
    expect(account.codes[2]!.state).toBe('unused');
    expect(() => withCode(account, { ...account.codes[2]!, id: 'nope' }, T1)).toThrow(
      expect.objectContaining({ code: 'not-found' }),
    );
  });
});
