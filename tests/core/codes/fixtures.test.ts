import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { normaliseCode, parseBackupCodes, type ParseOptions } from '../../../src/core/codes';

// Both corpora share one format and one pass rule (shared/fixtures/parse/README.md); new cases in either
// truth.json are picked up without touching this file.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const corpora = [
  path.resolve(repoRoot, '../shared/fixtures/parse'),
  path.resolve(repoRoot, 'tests/fixtures/parse'),
];

interface TruthCase {
  file: string;
  codes: string[];
  normalised: string[];
  excluded?: string[];
  decoys?: string[];
  flags?: { order_matters?: boolean; case_sensitive?: boolean };
  options?: ParseOptions;
  parsed_site?: string | null;
  notes?: string;
}

const comparable = (code: string, caseSensitive: boolean) =>
  caseSensitive ? code.replace(/[\s-]/g, '') : normaliseCode(code);

for (const corpus of corpora) {
  describe(`parse corpus ${path.relative(path.resolve(repoRoot, '..'), corpus)}`, () => {
    test('exists and has cases', () => {
      expect(existsSync(path.join(corpus, 'truth.json'))).toBe(true);
    });
    if (!existsSync(path.join(corpus, 'truth.json'))) return;
    const cases = JSON.parse(readFileSync(path.join(corpus, 'truth.json'), 'utf8')) as TruthCase[];

    test.each(cases.map((c) => [c.file, c] as const))('%s', (_file, truth) => {
      const bytes = new Uint8Array(readFileSync(path.join(corpus, 'cases', truth.file)));
      const result = parseBackupCodes(bytes, truth.options);
      const caseSensitive = truth.flags?.case_sensitive === true;
      const unused = result.codes
        .filter((code) => !code.used)
        .map((code) => comparable(code.code, caseSensitive));
      const expected = truth.codes.map((code) => comparable(code, caseSensitive));

      if (truth.flags?.order_matters) expect(unused).toEqual(expected);
      else expect([...unused].sort()).toEqual([...expected].sort());

      const forbidden = [...(truth.excluded ?? []), ...(truth.decoys ?? [])].map((text) =>
        normaliseCode(text),
      );
      for (const code of unused.map((c) => c.toLowerCase())) {
        expect(
          forbidden.some((text) => text === code || text.includes(code)),
          `${code} must not be imported`,
        ).toBe(false);
      }
      if (truth.parsed_site !== undefined) expect(result.site).toBe(truth.parsed_site);
    });
  });
}
