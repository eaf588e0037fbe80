import { describe, expect, test } from 'vitest';
import {
  currentSiteFirst,
  accountTitle,
  filterAccounts,
  formatUsedOn,
  leftText,
  sortAccounts,
  supplyOf,
} from '../../../src/popup/lib/accounts';
import { errorMessage } from '../../../src/popup/lib/errors';
import { SpareError } from '../../../src/core/errors';

const accounts = [
  { site: 'instagram.com', label: 'alice' },
  { site: 'github.com', label: 'alice-work', note: 'Company SSO' },
  { site: 'gitlab.com' },
];

describe('supply and wording', () => {
  test('says N of M left', () => expect(leftText(3, 10)).toBe('3 of 10 left'));
  test('warns at two or fewer left, and separately when none are left', () => {
    expect(supplyOf(3, 10)).toBe('ok');
    expect(supplyOf(2, 10)).toBe('low');
    expect(supplyOf(1, 10)).toBe('low');
    expect(supplyOf(0, 10)).toBe('empty');
  });
  test('a fresh set of only two codes is not a warning', () => expect(supplyOf(2, 2)).toBe('ok'));
  test('titles an account by site and label', () => {
    expect(accountTitle({ site: 'x.com', label: 'bob' })).toBe('x.com — bob');
    expect(accountTitle({ site: 'x.com' })).toBe('x.com');
  });
});

describe('filterAccounts', () => {
  test('an empty query keeps everything', () => expect(filterAccounts(accounts, '  ')).toHaveLength(3));
  test('matches site, label and note, ignoring case', () => {
    expect(filterAccounts(accounts, 'GIT').map((a) => a.site)).toEqual(['github.com', 'gitlab.com']);
    expect(filterAccounts(accounts, 'alice').map((a) => a.site)).toEqual(['instagram.com', 'github.com']);
    expect(filterAccounts(accounts, 'sso').map((a) => a.site)).toEqual(['github.com']);
  });
  test('every word must match', () => {
    expect(filterAccounts(accounts, 'alice git').map((a) => a.site)).toEqual(['github.com']);
    expect(filterAccounts(accounts, 'alice gitlab')).toEqual([]);
  });
});

test('sorts by site then label, ignoring case', () => {
  const sorted = sortAccounts([
    { site: 'b.com', label: 'z' },
    { site: 'A.com' },
    { site: 'b.com', label: 'a' },
  ]);
  expect(sorted).toEqual([{ site: 'A.com' }, { site: 'b.com', label: 'a' }, { site: 'b.com', label: 'z' }]);
});

test('shows where a code was used without its query string', () => {
  expect(formatUsedOn('https://www.instagram.com/accounts/login/two_factor/?next=%2F&token=abc')).toBe(
    'www.instagram.com/accounts/login/two_factor/',
  );
  expect(formatUsedOn('not a url')).toBe('not a url');
});

test('error messages: specific for known codes, generic for anything else', () => {
  expect(errorMessage(new SpareError('wrong-password', 'x'))).toMatch(/^Wrong password/);
  // Issue 9: by code, in Spare's translated words, not the background's English.
  expect(errorMessage(new SpareError('backup-tampered', 'The backup file has been altered.'))).toBe(
    'This backup file was altered or damaged after Spare saved it. Pick another copy of your backup.',
  );
  expect(errorMessage(new Error('secret detail'))).not.toMatch(/secret/);
});

test('currentSiteFirst puts the current site’s accounts first, each group in its own order', () => {
  const ids = (list: { id: string }[]) => list.map((a) => a.id);
  const accounts = ['a', 'b', 'c', 'd'].map((id) => ({ id }));
  expect(ids(currentSiteFirst(accounts, new Set(['c', 'a'])))).toEqual(['a', 'c', 'b', 'd']);
  expect(ids(currentSiteFirst(accounts, new Set()))).toEqual(['a', 'b', 'c', 'd']);
});
