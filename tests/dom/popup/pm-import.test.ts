/**
 * Issue 10 §2, the popup's part of a password-manager import that needs no DOM: grouping what the reader found
 * into one row per account, the default choice (new: ticked; already in Spare: skipped; no site: unticked),
 * and what Import sends for the ticked rows.
 */
import { describe, expect, test } from 'vitest';
import {
  buildRows,
  codesText,
  doneText,
  planImport,
  rowDetails,
  rowName,
  siteOfRow,
  summaryText,
  type ImportRow,
} from '../../../src/popup/lib/pm-import';
import type { FoundAccount } from '../../../src/core/import';
import type { AccountSummary } from '../../../src/core/vault/model';

const codes = (...values: string[]) => values.map((code) => ({ code, used: code.startsWith('u') }));

function found(title: string, site: string | null, label: string, ...values: string[]): FoundAccount {
  return { title, site, label, codes: codes(...values) };
}

function summary(id: string, site: string, label?: string): AccountSummary {
  return {
    id,
    site,
    ...(label ? { label } : {}),
    left: 1,
    total: 1,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };
}

describe('buildRows', () => {
  test('one row per site and account name (name without case), codes merged, used wins', () => {
    const rows = buildRows(
      [
        found('GitHub login', 'github.com', 'alice', '1111-2222', '3333-4444'),
        found('GitHub recovery note', 'github.com', 'Alice', '3333-4444', 'u555-6666'),
        found('GitHub work', 'github.com', 'bob', '7777-8888'),
      ],
      [],
    );
    expect(rows.map((row) => [row.site, row.label, row.titles, row.codes.length, row.usedCount])).toEqual([
      ['github.com', 'alice', ['GitHub login', 'GitHub recovery note'], 3, 1],
      ['github.com', 'bob', ['GitHub work'], 1, 0],
    ]);
  });

  test('sorted by site; items without a site stay one row each, last', () => {
    const rows = buildRows(
      [
        found('Note A', null, '', 'aaaa-1111'),
        found('Z', 'zoom.us', '', 'bbbb-2222'),
        found('Note B', null, '', 'cccc-3333'),
        found('A', 'amazon.com', 'me', 'dddd-4444'),
      ],
      [],
    );
    expect(rows.map((row) => row.site ?? row.titles[0])).toEqual([
      'amazon.com',
      'zoom.us',
      'Note A',
      'Note B',
    ]);
    expect(new Set(rows.map((row) => row.key)).size).toBe(4);
  });

  test('new accounts start ticked; one already in Spare starts skipped; one without a site starts unticked', () => {
    const rows = buildRows(
      [
        found('New', 'gitlab.com', 'alice', '1111 2222'),
        found('Known', 'github.com', 'ALICE', '3333 4444'),
        found('Same site, other name', 'github.com', 'bob', '5555 6666'),
        found('No site', null, 'carol', '7777 8888'),
      ],
      [summary('a1', 'github.com', 'alice')],
    );
    expect(rows.map((row) => [row.titles[0], row.selected])).toEqual([
      ['Known', false],
      ['Same site, other name', true],
      ['New', true],
      ['No site', false],
    ]);
  });

  test('an item whose codes list is empty is no row', () => {
    expect(buildRows([found('Empty', 'github.com', 'a')], [])).toEqual([]);
  });
});

describe('planImport', () => {
  const existing = [summary('known', 'github.com', 'alice')];

  function rowsOf(...accounts: FoundAccount[]): ImportRow[] {
    return buildRows(accounts, existing);
  }

  test('ticked new rows become add-account, a ticked known one add-codes; unticked rows send nothing', () => {
    const rows = rowsOf(
      found('GitLab', 'gitlab.com', 'alice', '1111 2222', 'u333 4444'),
      found('GitHub', 'github.com', 'Alice', '5555 6666'),
      found('Zoom', 'zoom.us', '', '7777 8888'),
    );
    rows.find((row) => row.site === 'github.com')!.selected = true; // Merge
    rows.find((row) => row.site === 'zoom.us')!.selected = false;
    const outcome = planImport(rows, existing);
    expect(outcome).toEqual({
      ok: true,
      plan: {
        creates: [
          {
            site: 'gitlab.com',
            label: 'alice',
            codes: [{ value: '1111 2222' }, { value: 'u333 4444', used: true }],
          },
        ],
        merges: [{ accountId: 'known', codes: [{ value: '5555 6666' }] }],
        origins: expect.arrayContaining(['https://gitlab.com/*', 'https://github.com/*']),
      },
    });
    if (outcome.ok) expect(outcome.plan.origins.some((origin) => origin.includes('zoom.us'))).toBe(false);
  });

  test('a ticked row without a site is refused until one is typed; the typed site is used', () => {
    const rows = rowsOf(found('Recovery note', null, 'dave', 'abcd-efgh'));
    const row = rows[0]!;
    row.selected = true;
    expect(planImport(rows, existing)).toEqual({ ok: false, missingSite: row });
    row.typedSite = 'not a site';
    expect(planImport(rows, existing)).toMatchObject({ ok: false });
    row.typedSite = 'https://www.Example.co.uk/login';
    expect(siteOfRow(row)).toBe('example.co.uk');
    expect(planImport(rows, existing)).toMatchObject({
      ok: true,
      plan: { creates: [{ site: 'example.co.uk', label: 'dave', codes: [{ value: 'abcd-efgh' }] }] },
    });
  });

  test('a typed site that names an account in Spare merges into it; two rows of one account become one', () => {
    const rows = rowsOf(
      found('Note 1', null, 'alice', '1111 2222'),
      found('Note 2', null, 'eve', '3333 4444'),
      found('Note 3', null, 'EVE', '3333 4444', '5555 6666'),
    );
    rows[0]!.typedSite = 'github.com';
    rows[1]!.typedSite = 'example.com';
    rows[2]!.typedSite = 'example.com';
    for (const row of rows) row.selected = true;
    expect(planImport(rows, existing)).toMatchObject({
      ok: true,
      plan: {
        creates: [
          { site: 'example.com', label: 'eve', codes: [{ value: '3333 4444' }, { value: '5555 6666' }] },
        ],
        merges: [{ accountId: 'known', codes: [{ value: '1111 2222' }] }],
      },
    });
  });
});

describe('texts', () => {
  test('names, counts and the summary', () => {
    const [row] = buildRows([found('GitHub', 'github.com', 'alice', '1', 'u2', 'u3')], []);
    expect(rowName(row!)).toBe('alice on github.com');
    expect(codesText(row!)).toBe('3 codes, 2 used');
    expect(codesText({ codes: codes('1'), usedCount: 0 })).toBe('1 code');
    expect(summaryText({ format: '1pux', accounts: [], itemsRead: 12 }, 4)).toBe(
      '1Password export: 12 items read, 4 accounts with backup codes.',
    );
    // Then the reminder of design §1 (story 9): the codes should now leave the password manager.
    const deleteThere =
      'Now delete these codes from your password manager: kept next to the passwords they protect, they turn two factors into one.';
    expect(doneText(4, 37)).toBe(`Imported 4 accounts (37 codes). ${deleteThere}`);
    expect(doneText(1, 1)).toBe(`Imported 1 account (1 code). ${deleteThere}`);
    expect(rowDetails(row!)).toBe('Item: GitHub · 3 codes, 2 used');
    const [untitled, forum] = buildRows([found('', null, '', 'x'), found('Forum', null, 'bob', 'y')], []);
    expect(rowName(untitled!)).toBe('Untitled item');
    expect(rowDetails(untitled!)).toBe('1 code');
    // Named by its title until it has a site; its line gives the account name meanwhile.
    expect([rowName(forum!), rowDetails(forum!)]).toEqual(['Forum', 'bob · 1 code']);
    forum!.typedSite = 'forum.net';
    expect([rowName(forum!), rowDetails(forum!)]).toEqual(['bob on forum.net', 'Item: Forum · 1 code']);
  });
});
