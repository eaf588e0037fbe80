/**
 * Issue 12: the CLI's `parse` takes a screenshot too and runs the popup's pipeline in Node (OCR with the
 * packaged English data, the format's confusions resolved, the same parser), printing the usual object with
 * the codes to check under `flagged`. Refusals keep the CLI's contract: exit 1, one line, nothing on stdout.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ShotTruth } from '../../fixtures/screenshots/generate';

const repoRoot = resolve(import.meta.dirname, '../../..');
const tsx = join(repoRoot, 'node_modules/.bin/tsx');
const SHOTS = join(repoRoot, 'tests/fixtures/screenshots');

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
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

let dir: string;
let truth: ShotTruth[];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spare-cli-shot-'));
  truth = JSON.parse(await readFile(join(SHOTS, 'truth.json'), 'utf8')) as ShotTruth[];
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const codesOf = (file: string) => truth.find((shot) => shot.file === file)!.codes;

describe('parse <image>', { timeout: 60_000 }, () => {
  test('reads an Instagram screenshot with --site into the same object as a text file', async () => {
    const outcome = await cli(['parse', join(SHOTS, 'instagram-dark-phone.png'), '--site', 'instagram.com']);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const printed = JSON.parse(outcome.stdout) as { site: string; codes: { code: string; used: boolean }[] };
    expect(printed.site).toBe('instagram.com');
    expect(printed.codes).toEqual(codesOf('instagram-dark-phone.png').map((code) => ({ code, used: false })));
  });

  test('without --site, the site the screenshot names is found (a note titled "Instagram backup codes")', async () => {
    const outcome = await cli(['parse', join(SHOTS, 'editor-light-desktop.png')]);
    expect(outcome.code).toBe(0);
    const printed = JSON.parse(outcome.stdout) as { site: string; codes: { code: string }[] };
    expect(printed.site).toBe('instagram.com');
    expect(printed.codes.map((code) => code.code)).toEqual(codesOf('editor-light-desktop.png'));
  });

  test('an image over 40 megapixels is refused from its header, with one line and nothing on stdout', async () => {
    const header = Buffer.from(await readFile(join(SHOTS, 'instagram-light-desktop.png')));
    header.writeUInt32BE(10_000, 16);
    header.writeUInt32BE(5_000, 20);
    await writeFile(join(dir, 'huge.png'), header);
    const outcome = await cli(['parse', join(dir, 'huge.png')]);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(/^spare: This image is too large \(over 20 MB or 40 megapixels\)\.\n$/);
    expect(outcome.code).toBe(1);
  });

  test('a damaged PNG is refused with one line', async () => {
    const whole = await readFile(join(SHOTS, 'instagram-light-desktop.png'));
    await writeFile(join(dir, 'cut.png'), whole.subarray(0, 200));
    const outcome = await cli(['parse', join(dir, 'cut.png')]);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(/^spare: This PNG image is damaged and cannot be read\.\n$/);
    expect(outcome.code).toBe(1);
  });
});
