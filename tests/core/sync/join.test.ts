import { describe, expect, test } from 'vitest';
import { joinAccounts } from '../../../src/core/sync/join';
import { createCode, markUsedByHand, reserveCode, type Account } from '../../../src/core/vault';

const AT = '2026-12-01T10:00:00.000Z';
const LATER = '2026-12-02T10:00:00.000Z';

function account(id: string, site: string, values: string[], extra: Partial<Account> = {}): Account {
  const codes = values.map((value, i) => createCode({ value }, `${id}-${i}`, AT, 'hand'));
  return { id, site, codes, createdAt: AT, updatedAt: AT, ...extra };
}

describe('joining folds an account held on both devices into the synced one', () => {
  test('an account with no synced twin is kept as it is', () => {
    const synced = [account('s', 'instagram.com', ['1111 1111'])];
    const local = [account('l', 'github.com', ['aaaa-bbbb'])];
    expect(joinAccounts(synced, local, LATER)).toEqual([...synced, ...local]);
  });

  test('same site, other account name: two accounts', () => {
    const synced = [account('s', 'instagram.com', ['1111 1111'], { label: 'alice' })];
    const local = [account('l', 'instagram.com', ['1111 1111'], { label: 'bob' })];
    expect(joinAccounts(synced, local, LATER).map((a) => a.id)).toEqual(['s', 'l']);
  });

  test('a twin adds the codes the synced account lacks and marks used what this device used', () => {
    const synced = [
      account('s', 'instagram.com', ['1111 1111', '2222 2222'], { label: 'alice', note: 'synced' }),
    ];
    const local = account('l', 'instagram.com', ['1111-1111', '2222 2222', '3333 3333', '4444 4444'], {
      label: 'alice',
      note: 'local',
    });
    local.codes[0] = markUsedByHand(local.codes[0]!, LATER);
    local.codes[3] = reserveCode(local.codes[3]!, { tabId: 4, origin: 'https://instagram.com' }, LATER);
    const [joined, ...rest] = joinAccounts(synced, [local], LATER);
    expect(rest).toEqual([]);
    expect(joined!.id).toBe('s');
    expect(joined!.note).toBe('synced');
    expect(joined!.updatedAt).toBe(LATER);
    expect(joined!.codes.map((c) => [c.id, c.value, c.state])).toEqual([
      ['s-0', '1111 1111', 'used'],
      ['s-1', '2222 2222', 'unused'],
      ['l-2', '3333 3333', 'unused'],
      ['l-3', '4444 4444', 'unused'],
    ]);
    expect(joined!.codes[0]!.usedAt).toBe(LATER);
    expect(joined!.codes[0]!.history.map((e) => [e.from, e.to])).toEqual([
      [null, 'unused'],
      ['unused', 'used'],
    ]);
  });

  test('a code the synced account already records as used stays as it is', () => {
    const twin = account('s', 'github.com', ['abcd-efgh']);
    twin.codes[0] = markUsedByHand(twin.codes[0]!, AT);
    const local = account('l', 'github.com', ['abcd-efgh']);
    local.codes[0] = markUsedByHand(local.codes[0]!, LATER);
    const [joined] = joinAccounts([twin], [local], LATER);
    expect(joined).toBe(twin);
  });

  test('codes differing in case are two codes (some sites are case-sensitive)', () => {
    const [joined] = joinAccounts(
      [account('s', 'x.com', ['AbCd'])],
      [account('l', 'x.com', ['abcd'])],
      LATER,
    );
    expect(joined!.codes.map((c) => c.value)).toEqual(['AbCd', 'abcd']);
  });
});
