/**
 * `npm run fuzz`: the backup-code parser on 1,000,000 generated inputs, offline (not part of `npm test`).
 *
 * Inputs are pastes and files as people and hostile pages make them: code-like pieces, list numbers, used
 * markers, strikethrough, tables, URLs, dates, secrets, site names, mixed scripts, brackets, long runs of one
 * piece, random Unicode and random bytes; with and without a site or a file name. For each it checks what the
 * parser promises (src/core/codes/parse.ts, tests/core/codes/properties.test.ts):
 * - it never throws, and answers `{ site: string | null, codes: { code: string, used: boolean }[] }`;
 * - every code came from the input: its comparison form is part of the input's comparison form;
 * - no code twice;
 * - the same input gives the same answer (checked on one input in a hundred).
 * Then it prints the slowest inputs (time, length, a preview).
 *
 * Options: --runs N (default 1,000,000), --seed S (default: random; printed, so a failure can be replayed).
 */
import fc from 'fast-check';
import { normaliseCode, parseBackupCodes, type ParseResult } from '../src/core/codes';
import { ALL_SITES } from '../src/sites/registry';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const RUNS = Number(option('runs') ?? 1_000_000);
const SEED = Number(option('seed') ?? Math.floor(Math.random() * 2 ** 31));
const TOP = 10;

const PIECES = [
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\u2028',
  '-',
  '–',
  '\u00a0',
  '\u200b',
  '\ufeff',
  ',',
  '.',
  ') ',
  '1. ',
  '12) ',
  '#',
  '# ',
  '|',
  '| used |',
  '|---|---|',
  '~~',
  '<s>',
  '</s>',
  '<del>',
  '</del>',
  '`',
  '(used)',
  ' used',
  'not used',
  '✓',
  '[x]',
  'Password: ',
  'secret ',
  'app key ',
  'key: ',
  'user name = ',
  'a@b.c',
  '@',
  'https://',
  'www.',
  '2026-03-04',
  '2026-03-04T10:15:00.123Z',
  '04/03/2026',
  '10:15 pm',
  '+1 (800) 555-0199',
  'GitHub',
  'github.com',
  'Discord',
  'Google',
  'Google Authenticator',
  'instagram.com',
  'e.g. ',
  'for example',
  'Backup codes',
  'Recovery code:',
  '((',
  '))',
  '[[',
  ']]',
  '{',
  '}',
  '<',
  '>',
  'аб',
  '中文',
  '١٢٣',
  'ß',
  'İ',
  'ǅ',
  '👍🏽',
];

const codeLike = fc.oneof(
  fc.stringMatching(/^\d{4} \d{4}$/),
  fc.stringMatching(/^\d{8}$/),
  fc.stringMatching(/^[0-9a-f]{5}-[0-9a-f]{5}$/),
  fc.stringMatching(/^[0-9a-z]{4}-[0-9a-z]{4}$/),
  fc.stringMatching(/^[0-9A-Za-z]{1,12}$/),
);
const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...PIECES) },
  { weight: 6, arbitrary: codeLike },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);
/** Now and then one piece many times over: the shape that makes a slow step show. */
const run = fc
  .tuple(
    fc.oneof(fc.constantFrom(...PIECES), codeLike, fc.constantFrom('1', 'a', ' ', '-', 'a ', '1 ')),
    fc.integer({ min: 2, max: 1000 }),
  )
  .map(([unit, times]) => unit.repeat(times));
const text = fc
  .array(fc.oneof({ weight: 60, arbitrary: piece }, { weight: 1, arbitrary: run }), { maxLength: 60 })
  .map((parts) => parts.join(''));

const input = fc.oneof(
  { weight: 8, arbitrary: text },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
);
const site = fc.option(
  fc.oneof(
    fc.constantFrom(...ALL_SITES.map((s) => s.id), 'github.com', 'https://x.com/', 'generic'),
    fc.string({ maxLength: 12 }),
  ),
  { nil: undefined, freq: 3 },
);
const fileName = fc.option(
  fc.oneof(
    fc.constantFrom(
      'github-recovery-codes.txt',
      'Backup-codes-alice.txt',
      'discord_backup_codes.txt',
      'codes.txt',
    ),
    fc.string({ maxLength: 20 }),
  ),
  { nil: undefined, freq: 5 },
);

const sameAnswer = (a: ParseResult, b: ParseResult) => JSON.stringify(a) === JSON.stringify(b);

/** A short, readable preview: long runs of one character folded, the rest cut at 100 characters. */
function preview(value: string | Uint8Array): string {
  const shown = typeof value === 'string' ? value : `bytes ${Array.from(value.slice(0, 40)).join(',')}`;
  const folded = shown.replace(
    /(.{1,12}?)\1{9,}/gsu,
    (all, unit: string) => `${unit}…(×${all.length / unit.length})`,
  );
  const json = JSON.stringify(folded);
  return json.length > 100 ? `${json.slice(0, 100)}…` : json;
}

const slowest: { ms: number; length: number; preview: string; options: string }[] = [];
let done = 0;
const started = performance.now();

console.log(`Parser fuzz: ${RUNS.toLocaleString('en')} inputs, seed ${SEED}`);
try {
  fc.assert(
    fc.property(input, site, fileName, (value, siteOption, file) => {
      const options = { site: siteOption, fileName: file };
      const t = performance.now();
      const result = parseBackupCodes(value, options);
      const ms = performance.now() - t;

      if (typeof result.site !== 'string' && result.site !== null)
        throw new Error('site is neither text nor null');
      if (!Array.isArray(result.codes)) throw new Error('codes is not a list');
      const source = normaliseCode(typeof value === 'string' ? value : new TextDecoder().decode(value));
      const seen = new Set<string>();
      for (const { code, used } of result.codes) {
        if (typeof code !== 'string' || code === '' || typeof used !== 'boolean')
          throw new Error(`malformed code ${JSON.stringify({ code, used })}`);
        // Bytes are decoded by the parser's own rules (UTF-16, Latin-1…): only UTF-8 text is compared.
        if (typeof value === 'string' && !source.includes(normaliseCode(code)))
          throw new Error(`"${code}" is not in the input`);
        if (seen.has(code)) throw new Error(`"${code}" twice`);
        seen.add(code);
      }
      if (done % 100 === 0 && !sameAnswer(result, parseBackupCodes(value, options)))
        throw new Error('a second parse gave another answer');

      if (slowest.length < TOP || ms > slowest[slowest.length - 1]!.ms) {
        const length = typeof value === 'string' ? value.length : value.byteLength;
        slowest.push({ ms, length, preview: preview(value), options: JSON.stringify(options) });
        slowest.sort((a, b) => b.ms - a.ms).splice(TOP);
      }
      done++;
      if (done % 100_000 === 0)
        console.log(
          `  ${done.toLocaleString('en')} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
    }),
    { numRuns: RUNS, seed: SEED },
  );
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(message.replace(/(.)\1{100,}/gs, (all, c: string) => `${c.repeat(8)}…(×${all.length})`));
  process.exitCode = 1;
}

const seconds = (performance.now() - started) / 1000;
console.log(
  `\n${done.toLocaleString('en')} inputs in ${seconds.toFixed(1)} s (${((seconds * 1e6) / Math.max(done, 1)).toFixed(0)} µs each)`,
);
console.log(`Slowest ${slowest.length} inputs:`);
for (const { ms, length, preview: shown, options } of slowest)
  console.log(`  ${ms.toFixed(2).padStart(8)} ms  ${String(length).padStart(6)} chars  ${options}  ${shown}`);
