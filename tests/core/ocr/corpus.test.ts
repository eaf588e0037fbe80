/**
 * Issue 12's target on part of the generated corpus (tests/fixtures/screenshots), through the CLI's pipeline
 * with the real tesseract: one screenshot per style, among them a phone photo of a screen and a JPEG at
 * quality 70. Every code exactly right, none invented, every wrong character in a flagged code. The whole
 * corpus, with figures per style, is `npx tsx scripts/ocr-accuracy.ts` (about 30 s).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openScreenshotReader, type ScreenshotReader } from '../../../src/cli/screenshot';
import type { ShotTruth } from '../../fixtures/screenshots/generate';
import { scoreReading } from '../../fixtures/screenshots/score';

const DIR = resolve(import.meta.dirname, '../../fixtures/screenshots');
const truth = JSON.parse(readFileSync(join(DIR, 'truth.json'), 'utf8')) as ShotTruth[];
const SAMPLE = [
  'instagram-dark-phone-photo.jpg',
  'google-light-phone.png',
  'github-dark-phone.png',
  'discord-dark-phone.png',
  'editor-light-phone-jpeg70.jpg',
];

let reader: ScreenshotReader;
beforeAll(async () => {
  reader = await openScreenshotReader();
}, 60_000);
afterAll(async () => {
  await reader?.close();
});

describe('screenshots of backup codes, read offline', { timeout: 60_000 }, () => {
  test.each(SAMPLE)('%s: every code right, none invented or wrong and unflagged', async (file) => {
    const shot = truth.find((entry) => entry.file === file)!;
    const reading = await reader.read(readFileSync(join(DIR, file)), { site: shot.site });
    const score = scoreReading(shot.codes, reading);
    expect({ invented: score.invented, unflagged: score.unflagged }).toEqual({ invented: [], unflagged: [] });
    // As a set: a grid laid out row by row is read column by column, as the parser reads Google's sheet.
    expect(reading.codes.map((code) => code.code).sort()).toEqual([...shot.codes].sort());
  });

  test('a wrong reading counts as invented unless flagged (the scorer itself)', () => {
    const score = scoreReading(['1234 5678', '2345 6789'], {
      codes: [{ code: '1234 5678' }, { code: '2345 6780' }, { code: '9999 0000' }],
      flagged: ['2345 6780'],
    });
    expect(score).toEqual({ total: 2, right: 1, invented: ['99990000'], unflagged: ['99990000'] });
  });
});
