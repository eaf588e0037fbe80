import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DISCARDED } from '../../fixtures/exports/fake-vault';
import { EXPECTED_ACCOUNTS, EXPORTS_DIR, FORUM_ACCOUNT, GITHUB_ACCOUNT } from '../import/expected';

// Issue 10 §4: `parse <export-file> --format …` prints one {site, codes} per account, as a JSON array.
const repoRoot = resolve(import.meta.dirname, '../../..');
const tsx = join(repoRoot, 'node_modules/.bin/tsx');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Promise<Outcome> {
  return new Promise((done, fail) => {
    const child = spawn(tsx, ['src/cli/main.ts', ...args], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const exportFile = (name: string) => join(EXPORTS_DIR, name);
const printed = (accounts: typeof EXPECTED_ACCOUNTS) => accounts.map(({ site, codes }) => ({ site, codes }));
const LASTPASS_NOTE = {
  site: null,
  codes: ['5521 9034', '6610 2287', '7043 8815', '8192 4470'].map((code) => ({ code, used: false })),
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spare-cli-exports-'));
  await writeFile(join(dir, 'codes.txt'), 'Backup codes\n1234 5678\n2345 6789\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('cli parse of password-manager exports', { timeout: 60_000 }, () => {
  test('each format, given with --format, prints one {site, codes} per account and nothing else', async () => {
    const cases: Array<[string, string, unknown]> = [
      ['bitwarden.json', 'bitwarden', printed(EXPECTED_ACCOUNTS)],
      ['onepassword.1pux', '1pux', printed(EXPECTED_ACCOUNTS)],
      ['keepassxc.csv', 'keepassxc', printed(EXPECTED_ACCOUNTS)],
      ['protonpass.zip', 'protonpass', printed(EXPECTED_ACCOUNTS)],
      ['protonpass.csv', 'protonpass', printed([GITHUB_ACCOUNT, FORUM_ACCOUNT])],
      ['lastpass.csv', 'lastpass', [...printed(EXPECTED_ACCOUNTS), LASTPASS_NOTE]],
    ];
    const outcomes = await Promise.all(
      cases.map(([name, format]) => cli(['parse', exportFile(name), '--format', format])),
    );
    outcomes.forEach((outcome, i) => {
      const [name, , expected] = cases[i]!;
      expect(outcome.stderr, name).toBe('');
      expect(outcome.code, name).toBe(0);
      expect(JSON.parse(outcome.stdout), name).toEqual(expected);
      for (const secret of DISCARDED) expect(outcome.stdout, `${name}: ${secret}`).not.toContain(secret);
    });
  });

  test('without --format, an export is recognised by its content; a text file still prints one object', async () => {
    const [bitwarden, onePux, text] = await Promise.all([
      cli(['parse', exportFile('bitwarden.json')]),
      cli(['parse', `--format=1pux`, exportFile('onepassword.1pux')]),
      cli(['parse', join(dir, 'codes.txt')]),
    ]);
    expect(JSON.parse(bitwarden.stdout)).toEqual(printed(EXPECTED_ACCOUNTS));
    expect(JSON.parse(onePux.stdout)).toEqual(printed(EXPECTED_ACCOUNTS));
    expect(JSON.parse(text.stdout)).toEqual({
      site: null,
      codes: [
        { code: '1234 5678', used: false },
        { code: '2345 6789', used: false },
      ],
    });
  });

  test('an encrypted export or a file of another format is refused: exit 1, one line, nothing on stdout', async () => {
    const outcomes = await Promise.all([
      cli(['parse', exportFile('bitwarden-encrypted-password.json')]),
      cli(['parse', exportFile('protonpass-encrypted.pgp')]),
      cli(['parse', join(dir, 'codes.txt'), '--format', 'lastpass']),
    ]);
    const patterns = [/not "JSON \(Encrypted\)"/, /Proton Pass export is encrypted/, /not a LastPass export/];
    outcomes.forEach((outcome, i) => {
      expect(outcome.stdout).toBe('');
      expect(outcome.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(outcome.stderr).toMatch(patterns[i]!);
      expect(outcome.code).toBe(1);
    });
  });

  test('an unknown --format, or --format with --site, is a usage error (exit 2)', async () => {
    const [unknown, both, missing] = await Promise.all([
      cli(['parse', exportFile('bitwarden.json'), '--format', 'keepass']),
      cli(['parse', exportFile('bitwarden.json'), '--format', 'bitwarden', '--site', 'github.com']),
      cli(['parse', exportFile('bitwarden.json'), '--format']),
    ]);
    expect(unknown).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/unknown format "keepass"/),
    });
    expect(both).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/--site is for text files/),
    });
    expect(missing).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/--format needs a format/),
    });
  });
});
