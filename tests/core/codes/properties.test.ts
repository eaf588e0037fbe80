import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  formatCodeList,
  normaliseCode,
  parseBackupCodes,
  type CodeListLayout,
} from '../../../src/core/codes';
import { ALL_SITES, GENERIC_SITE } from '../../../src/sites/registry';
import type { CodeFormat, SiteAdapter } from '../../../src/sites/types';

const RUNS = 10_000;
// 10,000 runs take seconds, not milliseconds; the whole file stays within ~20 s.
const TIMEOUT_MS = 60_000;
const LAYOUTS: CodeListLayout[] = ['lines', 'numbered', 'two-columns', 'comma', 'spaces'];

/** Pieces that make inputs look like code lists, so random strings reach the parser's interesting paths. */
const TEXTISH = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        ' ',
        '  ',
        '-',
        '\n',
        '\r\n',
        '\r',
        '\t',
        ',',
        '.',
        ') ',
        '1. ',
        '#',
        '|',
        '~~',
        '`',
        '(used)',
        ' used',
        '✓',
        '✔',
        '[x]',
        'Password: ',
        'secret ',
        'key: ',
        '@',
        'https://',
        '2026-03-04',
        '10:15',
        '+1 800 ',
        'GitHub',
        'Discord',
        'google',
        'e.g. ',
        'Backup codes',
        '\ufeff',
        '\u00a0',
        '–',
      ),
      fc.stringMatching(/^[0-9a-fA-F]{1,12}$/),
      fc.stringMatching(/^[0-9a-z]{1,10}$/),
      fc.string({ unit: 'grapheme', maxLength: 4 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

const ANY_TEXT = fc.oneof(
  TEXTISH,
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ maxLength: 200 }),
);
const SITE_OPTION = fc.option(
  fc.oneof(
    fc.constantFrom(...ALL_SITES.map((site) => site.id), 'github.com', 'https://x.com/', 'generic'),
    fc.string(),
  ),
  { nil: undefined },
);

describe('parseBackupCodes never throws', { timeout: TIMEOUT_MS }, () => {
  test('on any string, with or without a site or file name', () => {
    fc.assert(
      fc.property(
        ANY_TEXT,
        SITE_OPTION,
        fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
        (text, site, fileName) => {
          const result = parseBackupCodes(text, { site, fileName });
          expect(Array.isArray(result.codes)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(Array.isArray(parseBackupCodes(bytes).codes)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('every code comes from the input', { timeout: TIMEOUT_MS }, () => {
  test('its normalised form is a substring of the normalised input', () => {
    fc.assert(
      fc.property(TEXTISH, SITE_OPTION, (text, site) => {
        const source = normaliseCode(text);
        for (const { code } of parseBackupCodes(text, { site }).codes) {
          expect(source).toContain(normaliseCode(code));
        }
      }),
      { numRuns: RUNS },
    );
  });
});

interface CodeShape {
  alphabet: string[];
  min: number;
  max: number;
}

/** Reads a format's pattern (`^\\d{8}$`, `^[0-9a-f]{10,16}$`, the generic letters-and-digits one) as a shape. */
function shapeOf(format: CodeFormat): CodeShape {
  const source = format.normalisedPattern.source;
  const simple = /^\^(\\d|\[[^\]]+\])\{(\d+)(?:,(\d+))?\}\$$/.exec(source);
  if (simple)
    return { alphabet: expandClass(simple[1]!), min: Number(simple[2]), max: Number(simple[3] ?? simple[2]) };
  if (source.includes('(?=')) return { alphabet: expandClass('[0-9a-zA-Z]'), min: 8, max: 40 };
  throw new Error(`No arbitrary for pattern ${source}: teach the property test this shape`);
}

function expandClass(cls: string): string[] {
  if (cls === '\\d') return [...'0123456789'];
  const body = cls.slice(1, -1);
  const chars: string[] = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i + 1] === '-' && body[i + 2]) {
      for (let c = body.charCodeAt(i); c <= body.charCodeAt(i + 2); c++) chars.push(String.fromCharCode(c));
      i += 2;
    } else chars.push(body[i]!);
  }
  return chars;
}

const codeOfLength = (format: CodeFormat, shape: CodeShape, length: number) =>
  fc
    .string({ unit: fc.constantFrom(...shape.alphabet), minLength: length, maxLength: length })
    .filter((code) => format.normalisedPattern.test(code));

/**
 * A set of distinct valid codes for one format. Generic sets share one length, as real sets do (the parser
 * drops a lone code of another shape); site sets may mix lengths where the format allows.
 */
function codeSet(site: SiteAdapter, format: CodeFormat): fc.Arbitrary<string[]> {
  const shape = shapeOf(format);
  const unique = { minLength: 1, maxLength: 16, selector: (code: string) => code.toLowerCase() };
  if (site === GENERIC_SITE) {
    return fc
      .integer({ min: shape.min, max: shape.max })
      .chain((length) => fc.uniqueArray(codeOfLength(format, shape, length), unique));
  }
  return fc.uniqueArray(
    fc.integer({ min: shape.min, max: shape.max }).chain((length) => codeOfLength(format, shape, length)),
    unique,
  );
}

const adapterFormats = [...ALL_SITES, GENERIC_SITE].flatMap((site) =>
  site.formats.map((format) => ({ site, format })),
);

describe('formatCodeList output parses back exactly', { timeout: TIMEOUT_MS }, () => {
  test('every adapter format, every layout: same codes, same order', () => {
    const listing = fc.constantFrom(...adapterFormats).chain(({ site, format }) =>
      fc.record({
        site: fc.constant(site),
        format: fc.constant(format),
        normalised: codeSet(site, format),
        layout: fc.constantFrom(...LAYOUTS),
      }),
    );
    fc.assert(
      fc.property(listing, ({ site, format, normalised, layout }) => {
        const shown = normalised.map((code) => format.display(code));
        const text = formatCodeList(shown, layout, site);
        const parsed = parseBackupCodes(text, site === GENERIC_SITE ? {} : { site: site.id });
        expect(parsed.codes, `${site.id} / ${layout}:\n${text}`).toEqual(
          shown.map((code) => ({ code, used: false })),
        );
      }),
      { numRuns: RUNS },
    );
  });

  test('the generator covers every adapter format', () => {
    expect(adapterFormats.length).toBe(
      [...ALL_SITES, GENERIC_SITE].reduce((n, site) => n + site.formats.length, 0),
    );
    for (const { format } of adapterFormats) expect(() => shapeOf(format)).not.toThrow();
  });
});
