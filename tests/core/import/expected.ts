/** What reading the fake vault's items must give, whatever the format (tests/fixtures/exports/fake-vault.ts). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FoundAccount } from '../../../src/core/import';

export const EXPORTS_DIR = resolve(import.meta.dirname, '../../fixtures/exports');

export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(resolve(EXPORTS_DIR, name)));

const codes = (list: string, used: string[] = []) =>
  list.split(' ').map((code) => ({ code: code.replace(/_/g, ' '), used: used.includes(code) }));

export const GITHUB_ACCOUNT: FoundAccount = {
  title: 'GitHub',
  site: 'github.com',
  label: 'alice@example.com',
  codes: codes(
    '4f2a1-9c3e7 b81d0-6e5f2 0c9a4-d27b1 7e3f5-18a6c e5b92-4c0d8 2d7c1-f9a03 9a0e6-3b5d4 6c4b8-a1e9f ' +
      'd3f07-52c8b 18e2c-7d4a6 a7c59-0f3e2 5b1d3-e86c7 f0a84-29d1b 3e6b0-c75f4 c2d9e-8b0a5 8f5a2-1e7c9',
    ['0c9a4-d27b1'],
  ),
};

export const GOOGLE_ACCOUNT: FoundAccount = {
  title: 'Google',
  site: 'google.com',
  label: 'alice@gmail.com',
  codes: codes(
    '8721_0493 1648_2957 3095_7716 4472_1830 5906_3348 6137_4485 7254_9061 8369_5172 9480_6213 0517_3829',
  ),
};

export const FORUM_ACCOUNT: FoundAccount = {
  title: 'Old forum',
  site: null,
  label: 'bob_the_builder',
  codes: codes('31740958 82615093 47092816 90358172 15827364'),
};

/** The fake vault's accounts with codes, in its order (Dropbox has a password and TOTP only). */
export const EXPECTED_ACCOUNTS: readonly FoundAccount[] = [GITHUB_ACCOUNT, GOOGLE_ACCOUNT, FORUM_ACCOUNT];
