/**
 * The parser under hostile input (issue 8): a 1 MiB paste of adversarial text parses in bounded time, and what
 * it returns still came from the input. Each paste is one line or many, built to hit one of the parser's
 * costs: a long run (digits, letters), a line of many codes (every code's checks), markers and list numbers
 * next to every code, unclosed strikethrough tags, nested brackets, mixed scripts.
 *
 * Before issue 8 several of these never finished (a run of letters: the e-mail regex rescanned the run from
 * every position; unclosed tags: the strikethrough regex did the same) and a line of codes took 50 s (a regex
 * on the text before each code). The work is linear now, but code-dense pastes still cost 1–4 s per MiB on
 * this machine (every code's candidate object, the line's character array): the design's 1 s is not met
 * for them, and the budget here is the hang guard, set for a loaded CI machine. See the parser rework (#10).
 */
import { describe, expect, test } from 'vitest';
import { normaliseCode, parseBackupCodes } from '../../../src/core/codes';

const MiB = 1 << 20;
const BUDGET_MS = 10_000;

const fill = (unit: string) => unit.repeat(Math.ceil(MiB / unit.length)).slice(0, MiB);

const PASTES: [string, string][] = [
  ['one line of codes', fill('1234 5678 ')],
  ['a run of digits', fill('1')],
  ['a run of letters (no @ anywhere)', fill('a')],
  ['a numbered list with a used marker by every code, on one line', fill('1. 12345678 used ')],
  ['unclosed strikethrough tags', fill('<s>')],
  ['struck codes', fill('~~1234 5678~~ <del>abcd-efgh</del> ')],
  ['nested brackets', fill('(((([[[[{{{{<<<<1234 5678')],
  ['mixed scripts and dashes', fill('аб 中文 ١٢٣ 1234-5678 ß ǅ İ --- ')],
  ['many lines of codes', fill('1234 5678\n')],
];

describe('a 1 MiB adversarial paste parses without a hang', { timeout: 60_000 }, () => {
  test.each(PASTES)('%s', (_, text) => {
    const started = performance.now();
    const { codes } = parseBackupCodes(text);
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(BUDGET_MS);
    const source = normaliseCode(text);
    for (const { code } of codes.slice(0, 50)) expect(source).toContain(normaliseCode(code));
  });

  test('with a known site too', () => {
    for (const [name, text] of PASTES.slice(0, 2)) {
      const started = performance.now();
      parseBackupCodes(text, { site: 'github.com' });
      expect(performance.now() - started, name).toBeLessThan(BUDGET_MS);
    }
  });
});
