import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encryptBackup, serializePlain, type PlainVault } from '../../../src/core/backup';
import type { KdfParams } from '../../../src/core/crypto';

const repoRoot = resolve(import.meta.dirname, '../../..');
const tsx = join(repoRoot, 'node_modules/.bin/tsx');
const PASSWORD = 'tr0ub4dor&3';
const LOW_KDF: KdfParams = {
  name: 'argon2id',
  memoryKiB: 19456,
  iterations: 2,
  parallelism: 1,
  salt: new Uint8Array(16).fill(5),
};
const PLAIN: PlainVault = {
  format: 'spare-plain',
  version: 1,
  accounts: [
    {
      site: 'instagram.com',
      label: 'alice',
      codes: [
        { code: '1234 5678', used: false },
        {
          code: '2345 6789',
          used: true,
          usedAt: '2026-11-20T10:00:00Z',
          usedOn: 'https://www.instagram.com/',
        },
      ],
    },
  ],
};

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a user would; `password: undefined` removes SPARE_PASSWORD from the environment. */
function cli(args: string[], options: { password?: string; viaNpm?: boolean } = {}): Promise<Outcome> {
  const env = { ...process.env };
  delete env['SPARE_PASSWORD'];
  if (options.password !== undefined) env['SPARE_PASSWORD'] = options.password;
  const [command, prefix] = options.viaNpm
    ? ['npm', ['run', '--silent', 'cli', '--']]
    : [tsx, ['src/cli/main.ts']];
  return new Promise((done, fail) => {
    // stdin is a pipe, never a terminal: a command that wanted to prompt must fail instead of hanging.
    const child = spawn(command, [...prefix, ...args], {
      cwd: repoRoot,
      env,
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

function expectRefusal(outcome: Outcome, pattern: RegExp): void {
  expect(outcome.stdout).toBe('');
  expect(outcome.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(outcome.stderr).toMatch(pattern);
  expect(outcome.code).toBe(1);
}

function expectUsageError(outcome: Outcome, pattern: RegExp): void {
  expect(outcome.stdout).toBe('');
  expect(outcome.stderr).toMatch(pattern);
  expect(outcome.code).toBe(2);
}

let dir: string;
let backupText: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spare-cli-'));
  backupText = await encryptBackup(PLAIN, PASSWORD, LOW_KDF);
  await writeFile(file('backup.json'), backupText);
  await writeFile(file('plain.json'), serializePlain(PLAIN));
  await writeFile(file('truncated.json'), backupText.slice(0, 150));
  const payloadAt = backupText.indexOf('"payload":{"iv":"') + 30;
  const flipped =
    backupText.slice(0, payloadAt) +
    (backupText[payloadAt] === 'A' ? 'B' : 'A') +
    backupText.slice(payloadAt + 1);
  await writeFile(file('tampered.json'), flipped);
  await writeFile(file('weak-kdf.json'), backupText.replace('"memoryKiB":19456', '"memoryKiB":1024'));
  await writeFile(file('github-recovery-codes.txt'), 'a1b2c-3d4e5\nf6a7b-8c9d0\n');
  await writeFile(file('notes.txt'), 'Remember to buy milk.\n');
  await writeFile(
    file('bad-plain.json'),
    JSON.stringify({ format: 'spare-plain', version: 1, accounts: [{ codes: [] }] }),
  );
});

afterAll(async () => {
  const { rm } = await import('node:fs/promises');
  await rm(dir, { recursive: true, force: true });
});

describe('successful commands (exit 0)', { timeout: 20_000 }, () => {
  test('inspect prints the format, version and KDF costs only', async () => {
    const outcome = await cli(['inspect', file('backup.json')]);
    expect(outcome).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(outcome.stdout)).toEqual({
      format: 'spare-backup',
      version: 1,
      kdf: { name: 'argon2id', memoryKiB: 19456, iterations: 2, parallelism: 1 },
    });
  });

  test('decrypt prints the plain JSON, with the password from SPARE_PASSWORD', async () => {
    const outcome = await cli(['decrypt', file('backup.json')], { password: PASSWORD });
    expect(outcome).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(outcome.stdout)).toEqual(PLAIN);
  });

  test(
    'encrypt through `npm run --silent cli` writes a private default-cost file that decrypt reads back',
    {
      timeout: 30_000,
    },
    async () => {
      const written = await cli(['encrypt', file('plain.json'), file('new-backup.json')], {
        password: PASSWORD,
        viaNpm: true,
      });
      expect(written).toEqual({ code: 0, stdout: '', stderr: '' });
      expect((await stat(file('new-backup.json'))).mode & 0o777).toBe(0o600);
      const info = await cli(['inspect', file('new-backup.json')]);
      expect(JSON.parse(info.stdout).kdf).toEqual({
        name: 'argon2id',
        memoryKiB: 65536,
        iterations: 3,
        parallelism: 4,
      });
      const read = await cli(['decrypt', file('new-backup.json')], { password: PASSWORD });
      expect(JSON.parse(read.stdout)).toEqual(PLAIN);
    },
  );

  test('parse finds the site from the file name and prints each code with its used flag', async () => {
    const outcome = await cli(['parse', file('github-recovery-codes.txt')]);
    expect(outcome).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(outcome.stdout)).toEqual({
      site: 'github.com',
      codes: [
        { code: 'a1b2c-3d4e5', used: false },
        { code: 'f6a7b-8c9d0', used: false },
      ],
    });
  });

  test('parse takes --site before or after the file', async () => {
    for (const args of [
      ['parse', '--site', 'github.com', file('notes.txt')],
      ['parse', file('github-recovery-codes.txt'), '--site=gitlab.com'],
    ]) {
      const outcome = await cli(args);
      expect(outcome.code).toBe(0);
      expect(JSON.parse(outcome.stdout).site).toBe(args.includes('--site') ? 'github.com' : 'gitlab.com');
    }
  });

  test('parse of a text without codes succeeds with an empty list', async () => {
    const outcome = await cli(['parse', file('notes.txt')]);
    expect(outcome).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(outcome.stdout)).toEqual({ site: null, codes: [] });
  });

  test('--help prints the usage on stdout', async () => {
    const outcome = await cli(['--help']);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('decrypt <backup-file>');
  });
});

describe('refusals (exit 1, one line on stderr, nothing on stdout)', { timeout: 20_000 }, () => {
  test('wrong password', async () => {
    expectRefusal(await cli(['decrypt', file('backup.json')], { password: 'not it' }), /wrong password/i);
  });

  test('tampered file', async () => {
    expectRefusal(
      await cli(['decrypt', file('tampered.json')], { password: PASSWORD }),
      /altered or damaged/,
    );
  });

  test('truncated file, for decrypt and for inspect', async () => {
    expectRefusal(await cli(['decrypt', file('truncated.json')], { password: PASSWORD }), /incomplete/);
    expectRefusal(await cli(['inspect', file('truncated.json')]), /incomplete/);
  });

  test('a file that is not a Spare backup', async () => {
    expectRefusal(await cli(['decrypt', file('plain.json')], { password: PASSWORD }), /not a Spare backup/);
  });

  test('KDF parameters below the floor', async () => {
    expectRefusal(await cli(['decrypt', file('weak-kdf.json')], { password: PASSWORD }), /memoryKiB = 1024/);
    expectRefusal(await cli(['inspect', file('weak-kdf.json')]), /below the minimum/);
  });

  test('a damaged file is refused before any password is needed', async () => {
    expectRefusal(await cli(['decrypt', file('truncated.json')]), /incomplete/);
  });

  test('encrypt refuses invalid plain JSON, naming the field, and writes nothing', async () => {
    const outcome = await cli(['encrypt', file('bad-plain.json'), file('never.json')], {
      password: PASSWORD,
    });
    expectRefusal(outcome, /accounts\[0\]\.site is missing/);
    await expect(stat(file('never.json'))).rejects.toThrow();
  });

  test('encrypt refuses an empty password', async () => {
    expectRefusal(await cli(['encrypt', file('plain.json'), file('never2.json')], { password: '' }), /empty/);
  });
});

describe('cannot run as asked (exit 2, nothing on stdout)', { timeout: 20_000 }, () => {
  test.each([
    [[], /no command given/],
    [['frobnicate'], /unknown command frobnicate/],
    [['decrypt'], /missing <backup-file>/],
    [['encrypt', 'plain.json'], /missing <backup-file>/],
    [['inspect', 'a', 'b'], /unexpected argument "b"/],
    [['inspect', '--verbose', 'a'], /unknown option --verbose/],
    [['parse'], /missing <text-file>/],
    [['parse', 'x.txt', '--site'], /--site needs a domain/],
  ])('usage error for %j, with the usage on stderr', async (args, pattern) => {
    const outcome = await cli(args);
    expectUsageError(outcome, pattern);
    expect(outcome.stderr).toContain('Usage:');
  });

  test('an input file that does not exist (one line)', async () => {
    const outcome = await cli(['inspect', file('missing.json')]);
    expectUsageError(outcome, /cannot read .*missing\.json: no such file/);
    expect(outcome.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('an output folder that does not exist', async () => {
    const outcome = await cli(['encrypt', file('plain.json'), file('no-such-dir/out.json')], {
      password: PASSWORD,
    });
    expectUsageError(outcome, /cannot write/);
  });

  test('no SPARE_PASSWORD and no terminal to ask on', async () => {
    expectUsageError(await cli(['decrypt', file('backup.json')]), /set SPARE_PASSWORD/);
  });
});

// util-linux `script` gives the CLI a real pseudo-terminal, the only way to see whether typing is echoed.
const hasScript = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!hasScript)('password prompt on a terminal', () => {
  test('reads the password without echoing it', { timeout: 30_000 }, async () => {
    const command = `${tsx} src/cli/main.ts decrypt ${file('backup.json')}`;
    const env = { ...process.env };
    delete env['SPARE_PASSWORD'];
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: repoRoot, env });
    let seen = '';
    const finished = new Promise<number | null>((done) => child.on('close', done));
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      // Type only once the prompt is up, i.e. after the terminal was switched to no-echo mode.
      if (seen.includes('Password: ') && !child.stdin.writableEnded) child.stdin.end(`${PASSWORD}\r`);
    });
    expect(await finished).toBe(0);
    expect(seen).not.toContain(PASSWORD);
    expect(seen).toContain('"site": "instagram.com"');
  });
});

test('the plain JSON fixture written for these tests is what serializePlain gives', async () => {
  expect(JSON.parse(await readFile(file('plain.json'), 'utf8'))).toEqual(PLAIN);
});
