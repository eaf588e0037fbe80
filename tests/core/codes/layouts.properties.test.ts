/**
 * Property tests of issue 10 §1: for every known shape, a generated list in every layout parses back exactly
 * (same codes, same order, same used marks), and an example code in an instruction sentence is never returned.
 *
 * Shapes: each site adapter's formats (parsed with that site), and the shapes the parser knows without a site
 * (src/core/codes/shapes.ts and src/sites/generic.ts), each with where it comes from. Generated codes are ones a
 * generator could hand out: no placeholder-like repeats, a hex code has a letter, a letters-only code changes
 * case the way random draws do.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseBackupCodes, type ParseOptions } from '../../../src/core/codes';
import { ALL_SITES } from '../../../src/sites/registry';

const RUNS = 10_000;
const TIMEOUT_MS = 60_000;

interface Shape {
  name: string;
  /** A code as the site or app shows it. */
  code: fc.Arbitrary<string>;
  options: ParseOptions;
  /** Codes compared with case. */
  caseSensitive: boolean;
  /** Short codes: codes only as items of a list or cells of a table. */
  listOnly?: boolean;
}

const chars = (alphabet: string, length: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: length, maxLength: length });
const DIGITS = '0123456789';
const HEX = '0123456789abcdef';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const MIXED_ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * Mixed as a random draw is: four different characters at least, none of them half the code or more. A
 * placeholder ('0000 0000', 'XXXX-XXXX') or a run of one letter with a word in it ('AAAA USED AAAA') is not.
 */
const varied = (code: string) => {
  const compact = code.replace(/[\s-]/g, '');
  const counts = new Map<string, number>();
  for (const c of compact) counts.set(c, (counts.get(c) ?? 0) + 1);
  return counts.size >= 4 && Math.max(...counts.values()) <= Math.ceil(compact.length / 2);
};
const grouped = (compact: string, size: number, separator: string) =>
  compact.match(new RegExp(`.{1,${size}}`, 'g'))!.join(separator);
/** A random draw in both cases: a digit, or case changes a camel-case word does not have. */
const drawnMixedCase = (code: string) =>
  /\d/.test(code) ||
  ((code.match(/[a-z][A-Z]|[A-Z][a-z]/g) ?? []).length >= 4 && !/^[a-z]*(?:[A-Z][a-z]{2,})+$/.test(code));

const GENERIC_SHAPES: Shape[] = [
  // Google, Facebook, Instagram: 8 digits shown '1234 5678' (without the site: the generic reading).
  { name: '8 digits, 4+4', code: chars(DIGITS, 8).map((c) => grouped(c, 4, ' ')) },
  // Four groups of four hex characters (the example).
  {
    name: '4×4 hex',
    code: chars(HEX, 16)
      .filter((c) => /[a-f]/.test(c))
      .map((c) => grouped(c, 4, ' ')),
  },
  // Bitwarden's recovery code: 32 characters, upper case, eight groups of four.
  { name: '8×4 Bitwarden', code: chars(UPPER_ALNUM, 32).map((c) => grouped(c, 4, ' ')) },
  // Tuta's recovery code: 64 hex characters, sixteen groups of four.
  {
    name: '16×4 Tuta hex',
    code: chars(HEX, 64)
      .filter((c) => /[a-f]/.test(c))
      .map((c) => grouped(c, 4, ' ')),
  },
  // GitHub / BookStack xxxxx-xxxxx.
  { name: 'xxxxx-xxxxx', code: chars(LOWER_ALNUM, 10).map((c) => grouped(c, 5, '-')) },
  // Discord / Sentry xxxx-xxxx.
  { name: 'xxxx-xxxx', code: chars(LOWER_ALNUM, 8).map((c) => grouped(c, 4, '-')) },
  // Keycloak XXXX-XXXX-XXXX.
  {
    name: 'Keycloak 4-4-4',
    code: chars('ABCDEFGHIJKLMNPQRSTUVWXYZ123456789', 12).map((c) => grouped(c, 4, '-')),
  },
  // Friendica xxxxxx-xxxxxx.
  { name: 'xxxxxx-xxxxxx', code: chars(LOWER_ALNUM, 12).map((c) => grouped(c, 6, '-')) },
  // Microsoft's recovery code: 25 characters in five groups of five.
  { name: '5×5 Microsoft', code: chars(UPPER_ALNUM, 25).map((c) => grouped(c, 5, '-')) },
  // Laravel Fortify: 10-10 mixed case.
  {
    name: 'Fortify 10-10',
    code: chars(MIXED_ALNUM, 20)
      .filter((c) => drawnMixedCase(c.slice(0, 10)) && drawnMixedCase(c.slice(10)))
      .map((c) => grouped(c, 10, '-')),
  },
  // Nextcloud: 16 mixed-case characters, no separators.
  { name: 'Nextcloud 16 mixed case', code: chars(MIXED_ALNUM, 16).filter(drawnMixedCase) },
  // GitLab, PyPI, devise-two-factor: 16 hex characters.
  { name: '16 hex', code: chars(HEX, 16).filter((c) => /[a-f]/.test(c)) },
  // Short numeric codes, in lists only (the issue's `1. 123456<TAB> 2. 654321`).
  { name: '6 digits', code: chars(DIGITS, 6), listOnly: true },
].map((shape) => ({
  ...shape,
  code: shape.code.filter(varied),
  options: {},
  caseSensitive: true,
}));

/** Each site adapter's formats, shown the way the site shows them. */
const SITE_SHAPES: Shape[] = ALL_SITES.flatMap((site) =>
  site.formats.map((format, index) => {
    const source = format.normalisedPattern.source;
    const simple = /^\^(\\d|\[[^\]]+\])\{(\d+)(?:,(\d+))?\}\$$/.exec(source);
    if (!simple) throw new Error(`teach this test the shape ${source}`);
    const alphabet = simple[1] === '\\d' ? DIGITS : simple[1] === '[0-9a-f]' ? HEX : LOWER_ALNUM;
    const [min, max] = [Number(simple[2]), Number(simple[3] ?? simple[2])];
    return {
      name: `${site.id} format ${index + 1}`,
      code: fc
        .integer({ min, max })
        .chain((length) => chars(alphabet, length))
        .filter((code) => varied(code) && format.normalisedPattern.test(code))
        .map((code) => format.display(code)),
      options: { site: site.id },
      caseSensitive: format.caseSensitive,
    };
  }),
);

const SHAPES = [...GENERIC_SHAPES, ...SITE_SHAPES];

type Layout =
  | 'numbered rows'
  | 'numbered two per line'
  | 'numbered columns'
  | 'bullets'
  | 'table (TAB)'
  | 'table (CSV)'
  | 'one line';
const LAYOUTS: Layout[] = [
  'numbered rows',
  'numbered two per line',
  'numbered columns',
  'bullets',
  'table (TAB)',
  'table (CSV)',
  'one line',
];
const LIST_LAYOUTS = LAYOUTS.filter((layout) => layout !== 'one line');

const USED_STATUS = ['yes', 'used', '✓', 'x', 'TRUE', '2026-03-04', 'March 4, 2026'];
const UNUSED_STATUS = ['', 'no', 'false', '-'];

/** The text of `codes` in `layout`; `used` (tables only) picks each row's status. */
function layOut(layout: Layout, codes: string[], used: boolean[], pick: number): string {
  const n = codes.length;
  switch (layout) {
    case 'numbered rows':
      return codes.map((code, i) => `${i + 1}. ${code}`).join('\n');
    case 'numbered two per line': {
      const lines: string[] = [];
      for (let i = 0; i < n; i += 2)
        lines.push(
          codes[i + 1] ? `${i + 1}. ${codes[i]}\t ${i + 2}. ${codes[i + 1]}` : `${i + 1}. ${codes[i]}`,
        );
      return lines.join('\n');
    }
    case 'numbered columns': {
      // Google's sheet: 1..h down the left column, the rest down the right.
      const rows = Math.ceil(n / 2);
      const lines: string[] = [];
      for (let r = 0; r < rows; r++)
        lines.push(
          codes[r + rows]
            ? `${r + 1}. ${codes[r]}    ${r + rows + 1}. ${codes[r + rows]}`
            : `${r + 1}. ${codes[r]}`,
        );
      return lines.join('\n');
    }
    case 'bullets':
      return codes.map((code, i) => `${['-', '*', '•'][(i + pick) % 3]} ${code}`).join('\n');
    case 'table (TAB)':
      return ['Code\tUsed', ...codes.map((code, i) => `${code}\t${status(used[i]!, i + pick)}`)].join('\n');
    case 'table (CSV)':
      return [
        '#,Backup code,Used on',
        ...codes.map((code, i) => `${i + 1},"${code}",${csvCell(status(used[i]!, i + pick))}`),
      ].join('\r\n');
    case 'one line':
      return `Codes: ${codes.join(', ')}`;
  }
}

const status = (used: boolean, pick: number) =>
  used ? USED_STATUS[pick % USED_STATUS.length]! : UNUSED_STATUS[pick % UNUSED_STATUS.length]!;
const csvCell = (text: string) => (text.includes(',') ? `"${text}"` : text);

/** Characters a web page leaves in copied text: zero-width, joiners, soft hyphen, BOM, bidi marks. */
const INVISIBLE = [
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\u00ad',
  '\ufeff',
  '\u200e',
  '\u200f',
  '\u2066',
  '\u2069',
];
const ODD_SPACES = ['\u00a0', '\u202f', '\u2007'];

/** `text` with invisible characters put in at the given places and some spaces made no-break spaces. */
function withInvisibles(text: string, places: number[], picks: number[]): string {
  let out = text;
  [...places]
    .map((place) => place % (text.length + 1))
    .sort((a, b) => b - a)
    .forEach((at, i) => {
      out = out.slice(0, at) + INVISIBLE[picks[i % picks.length]! % INVISIBLE.length]! + out.slice(at);
    });
  let spaces = 0;
  return out.replace(/ /g, (space) => (spaces++ % 3 === 0 ? ODD_SPACES[spaces % ODD_SPACES.length]! : space));
}

const comparable = (code: string, caseSensitive: boolean) => {
  const compact = code.replace(/[\s-]/g, '');
  return caseSensitive ? compact : compact.toLowerCase();
};

const listOf = (shape: Shape) =>
  fc.uniqueArray(shape.code, {
    minLength: 2,
    maxLength: 8,
    selector: (code) => comparable(code, shape.caseSensitive),
  });

describe('every known shape, every layout, parses back exactly', { timeout: TIMEOUT_MS }, () => {
  test('numbered rows and columns, bullets, tables, one line; with invisible characters or without', () => {
    // Shapes by index, so a counterexample prints short.
    const input = fc.nat(SHAPES.length - 1).chain((index) =>
      fc.record({
        index: fc.constant(index),
        codes: listOf(SHAPES[index]!),
        layout: fc.constantFrom(...(SHAPES[index]!.listOnly ? LIST_LAYOUTS : LAYOUTS)),
        used: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        pick: fc.nat(100),
        invisible: fc.option(
          fc.record({
            places: fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
            picks: fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
          }),
          { nil: undefined },
        ),
      }),
    );
    fc.assert(
      fc.property(input, ({ index, codes, layout, used, pick, invisible }) => {
        const shape = SHAPES[index]!;
        const isTable = layout.startsWith('table');
        const plain = layOut(layout, codes, used, pick);
        const text = invisible ? withInvisibles(plain, invisible.places, invisible.picks) : plain;
        const parsed = parseBackupCodes(text, shape.options).codes;
        const expected = codes.map((code, i) => ({ code, used: isTable && used[i]! }));
        expect(
          parsed.map((code) => ({ code: comparable(code.code, shape.caseSensitive), used: code.used })),
          `${shape.name} / ${layout}:\n${JSON.stringify(text)}`,
        ).toEqual(expected.map((code) => ({ ...code, code: comparable(code.code, shape.caseSensitive) })));
        // As the site shows them, not merely the same characters.
        if (!invisible) expect(parsed.map((code) => code.code)).toEqual(codes);
      }),
      { numRuns: RUNS },
    );
  });
});

/** Instruction sentences, in the detector's languages, with `%` where the example goes. */
const INSTRUCTIONS = [
  'Enter a code like % when you sign in.',
  'Enter one code (e.g. %) when asked.',
  'Enter one code, for example %, when asked.',
  'For example: %',
  'It looks like this: %',
  'Codes such as % work once.',
  'Gib einen Code ein, z. B. %, wenn du gefragt wirst.',
  'Gib zum Beispiel % ein.',
  'Saisissez un code, par exemple %, à la connexion.',
  'Introduce un código, por ejemplo %, al iniciar sesión.',
  'Digite um código, por exemplo %, ao entrar.',
  'Inserisci un codice, ad esempio %, quando richiesto.',
  'Voer een code in, bijvoorbeeld %, bij het inloggen.',
  'Wpisz kod, np. %, przy logowaniu.',
  'Bir kod girin, örneğin %, giriş yaparken.',
  '% gibi bir kod girin.',
  'Введите код, например %, при входе.',
  'コードを入力してください。例えば % です。',
  '% のようなコードを入力してください。',
  '请输入代码，例如 %。',
  '코드를 입력하세요. 예를 들어 % 입니다.',
];

describe('an example code in an instruction sentence is never returned', { timeout: TIMEOUT_MS }, () => {
  test('beside a list of real codes of its shape, or alone', () => {
    const input = fc.nat(SHAPES.length - 1).chain((index) =>
      fc.record({
        index: fc.constant(index),
        codes: listOf(SHAPES[index]!),
        example: SHAPES[index]!.code,
        instruction: fc.constantFrom(...INSTRUCTIONS),
        withList: fc.boolean(),
        before: fc.boolean(),
        layout: fc.constantFrom<Layout>('numbered rows', 'bullets'),
      }),
    );
    fc.assert(
      fc.property(input, ({ index, codes, example, instruction, withList, before, layout }) => {
        const shape = SHAPES[index]!;
        const real = codes.filter(
          (code) => comparable(code, shape.caseSensitive) !== comparable(example, shape.caseSensitive),
        );
        const sentence = instruction.replace('%', example);
        const list = layOut(layout, real, [], 0);
        const text = !withList ? sentence : before ? `${sentence}\n${list}` : `${list}\n${sentence}`;
        const parsed = parseBackupCodes(text, shape.options).codes.map((code) =>
          comparable(code.code, shape.caseSensitive),
        );
        expect(parsed, JSON.stringify(text)).not.toContain(comparable(example, shape.caseSensitive));
        if (withList) expect(parsed).toEqual(real.map((code) => comparable(code, shape.caseSensitive)));
      }),
      { numRuns: RUNS },
    );
  });
});
