/**
 * From tesseract's words to the preview (issue 12): the confusions resolved by the site's format, the text
 * laid out as the screenshot shows it, the same parser as a paste, and every code with a character tesseract
 * was unsure of flagged so the user checks it against the picture. Pure: no tesseract, no browser.
 */
import { normaliseCode, parseBackupCodes, type ParsedCode } from '../codes';
import { registrableDomain } from '../domain';
import { siteById, siteForDomain } from '../../sites/registry';
import type { SiteAdapter } from '../../sites/types';
import { codeAlphabet, isAmbiguous, resolveWord } from './confusions';

/** The part of tesseract's result this reads (its `blocks → paragraphs → lines → words → symbols`). */
export interface OcrSymbol {
  text: string;
  confidence: number;
  /** Where tesseract saw it; absent for a character taken from a second reading. */
  bbox?: { x0: number; x1: number; y0: number; y1: number };
}
export interface OcrWord {
  text: string;
  confidence: number;
  bbox: { x0: number; x1: number; y0: number; y1: number };
  symbols: OcrSymbol[];
}
export interface OcrLine {
  words: OcrWord[];
}

/**
 * Below these (tesseract's 0–100), a character is worth a look. A character's own confidence stays high when
 * tesseract confuses l and 1 in a monospace font; the word's drops. Tuned on tests/fixtures/screenshots.
 */
export const LOW_SYMBOL_CONFIDENCE = 90;
export const LOW_WORD_CONFIDENCE = 85;
/** A character the format changed (O to 0) is sure only when tesseract was all but sure of its shape. */
const SURE_CHANGE = 97;
/** A character the site's alphabet holds with its lookalike (l and 1 for Discord) is sure only in a sure word. */
const SURE_AMBIGUOUS = 95;

export interface ScreenshotReading {
  site: string | null;
  codes: ParsedCode[];
  /** The codes (as in `codes`) with a character tesseract was unsure of: the preview marks them. */
  flagged: string[];
  /** The text handed to the parser, after the confusions were resolved. */
  text: string;
}

interface LineText {
  text: string;
  /** Per character of `text`: unsure (low confidence, or changed by the format with less than full confidence). */
  unsure: boolean[];
}

/** The site whose format reads the codes: the one the user gave, else the one the text as read names. */
export function siteForReading(lines: OcrLine[], options: { site?: string } = {}): SiteAdapter | undefined {
  if (options.site?.trim()) return adapterFor(options.site);
  const raw = lines.map((line) => layLine(line, null).text).join('\n');
  return adapterFor(parseBackupCodes(raw).site ?? '');
}

/** Whether the parser, reading this line alone, finds a code of the site in it. */
export function holdsCode(line: OcrLine, site: SiteAdapter): boolean {
  const laid = layLine(line, { alphabet: codeAlphabet(site), site });
  return parseBackupCodes(laid.text, { site: site.id }).codes.length > 0;
}

/**
 * The words worth a second, restricted reading: those that hold a code of the site as the parser reads the
 * line alone, and those that nearly do (a digit, and most characters in the site's alphabet once resolved).
 */
export function codeWords(line: OcrLine, site: SiteAdapter): OcrWord[] {
  const alphabet = codeAlphabet(site);
  const laid = layLine(line, { alphabet, site });
  const codes = parseBackupCodes(laid.text, { site: site.id }).codes.map((code) =>
    normaliseCode(code.code, site),
  );
  return line.words.filter((word) => {
    const resolved = layLine({ words: [word] }, { alphabet, site }).text;
    const compact = normaliseCode(resolved, site);
    if (compact.length < 3) return false;
    if (codes.some((code) => code.includes(compact))) return true;
    const inAlphabet = [...resolved].filter((char) => alphabet.has(char)).length;
    return /\d/.test(resolved) && inAlphabet >= 0.7 * compact.length;
  });
}

export function readOcrLines(lines: OcrLine[], options: { site?: string } = {}): ScreenshotReading {
  const adapter = siteForReading(lines, options);
  const alphabet = adapter ? codeAlphabet(adapter) : new Set<string>();
  const digits = digitSize(lines.flatMap((line) => line.words));
  const laid = lines.map((line) => layLine(line, adapter ? { alphabet, site: adapter, digits } : null));
  const text = laid.map((line) => line.text).join('\n');
  const result = parseBackupCodes(text, options.site?.trim() ? { site: options.site } : {});
  const resultAdapter = result.site ? siteForDomain(result.site) : undefined;
  const flagged = result.codes
    .filter((code) => isUnsure(code.code, laid, resultAdapter))
    .map((code) => code.code);
  return { site: result.site, codes: result.codes, flagged, text };
}

export function adapterFor(site: string): SiteAdapter | undefined {
  if (!site) return undefined;
  const byId = siteById(site);
  if (byId) return byId.domains.length > 0 ? byId : undefined;
  const domain = registrableDomain(site);
  return domain ? siteForDomain(domain) : undefined;
}

/**
 * One line of text, its words resolved. Words far apart (a second column) get a wide gap, which the parser
 * reads as two columns, like Google's.
 */
function layLine(
  line: OcrLine,
  format: {
    alphabet: Set<string>;
    site: SiteAdapter;
    digits?: { height: number; width: number } | null;
  } | null,
): LineText {
  let text = '';
  const unsure: boolean[] = [];
  const words = line.words.filter((word) => word.text.trim() !== '');
  const charWidth = median(
    words.map((word) => (word.bbox.x1 - word.bbox.x0) / Math.max(1, word.text.length)),
  );
  const digits = format?.digits ?? null;
  words.forEach((word, index) => {
    if (index > 0) {
      const gap = word.bbox.x0 - words[index - 1]!.bbox.x1;
      const separator = gap > charWidth * 3 ? '    ' : ' ';
      text += separator;
      for (let i = 0; i < separator.length; i++) unsure.push(false);
    }
    const confidences = symbolConfidences(word);
    const resolved = format ? resolveWord(word.text, format.alphabet, format.site) : null;
    const chars = (resolved ?? [...word.text].map((char) => ({ char, changed: false }))).map((c, i) =>
      format ? byShape(c, word.symbols[i], format.alphabet, digits) : c,
    );
    chars.forEach((c, i) => {
      text += c.char;
      const confidence = confidences[i] ?? word.confidence;
      unsure.push(
        confidence < LOW_SYMBOL_CONFIDENCE ||
          word.confidence < LOW_WORD_CONFIDENCE ||
          (c.changed && confidence < SURE_CHANGE) ||
          (format !== null && isAmbiguous(c.char, format.alphabet) && word.confidence < SURE_AMBIGUOUS),
      );
    });
  });
  return { text, unsure };
}

/**
 * The size of the page's digits that look like no letter (3, 4, 6, 7, 8, 9) and of its tall letters (b, d, h,
 * k), which are as tall and about as wide in a UI font: the yardstick for telling a small o
 * from a 0 (an o is only as tall as a lower-case letter) and a narrow l from a 1 (a bar without flag or foot).
 */
export function digitSize(words: OcrWord[]): { height: number; width: number } | null {
  const boxes = words
    .flatMap((word) => (word.symbols.length === [...word.text].length ? word.symbols : []))
    .filter((symbol) => /^[346789bdhk]$/.test(symbol.text) && symbol.bbox)
    .map((symbol) => symbol.bbox!);
  if (boxes.length < 4) return null;
  return {
    height: median(boxes.map((box) => box.y1 - box.y0)),
    width: median(boxes.map((box) => box.x1 - box.x0)),
  };
}

/**
 * Whether the glyph's box on the page, not a reading, tells these two apart where the site's codes hold both
 * (Discord's o and 0, l and 1): they are the two members of one lookalike group that `byShape` decides.
 */
export function shapeDecides(read: string, other: string, alphabet: Set<string>): boolean {
  if (read === other) return false;
  if (BARS.has(read) && BARS.has(other)) return alphabet.has('l') && alphabet.has('1');
  const a = BY_HEIGHT[read];
  const b = BY_HEIGHT[other];
  return (
    a !== undefined &&
    b !== undefined &&
    a[0] === b[0] &&
    a[1] === b[1] &&
    alphabet.has(a[0]) &&
    alphabet.has(a[1])
  );
}

/** Lookalike groups whose members differ in height (a lower-case letter) or in width (l, a bare bar). */
const BY_HEIGHT: Record<string, [letter: string, digit: string]> = {
  o: ['o', '0'],
  O: ['o', '0'],
  '0': ['o', '0'],
  s: ['s', '5'],
  S: ['s', '5'],
  '5': ['s', '5'],
  z: ['z', '2'],
  Z: ['z', '2'],
  '2': ['z', '2'],
  // Hex: a small 0 read as e.
  e: ['e', '0'],
};
// Not i: its dot sets it apart, and it is as narrow as an l.
const BARS = new Set(['l', 'I', '1', '|']);

/**
 * Where the site's codes hold both a letter and the digit it looks like (Discord: o and 0, s and 5, z and 2,
 * l and 1), the glyph's box can tell them apart when the format cannot: shorter than 85% of the page's
 * digits is the lower-case letter, as tall is the digit; a bar narrower than half a digit is an l, one
 * with a flag and foot as wide as most of a digit is a 1.
 */
function byShape(
  c: { char: string; changed: boolean },
  symbol: OcrSymbol | undefined,
  alphabet: Set<string>,
  digits: { height: number; width: number } | null,
): { char: string; changed: boolean } {
  if (!digits || !symbol?.bbox || [...symbol.text].length !== 1) return c;
  const read = symbol.text;
  const height = symbol.bbox.y1 - symbol.bbox.y0;
  const width = symbol.bbox.x1 - symbol.bbox.x0;
  const pick = (char: string) => (char === c.char ? c : { char, changed: true });
  const pair = BY_HEIGHT[read];
  // None of these glyphs is taller than a digit: a box a fifth taller is misplaced (a tilted photo's o came
  // out 48 px tall beside 33 px digits), and says nothing of the glyph.
  if (pair && alphabet.has(pair[0]) && alphabet.has(pair[1]) && height <= 1.2 * digits.height) {
    if (height < 0.85 * digits.height) return pick(pair[0]);
    if (height > 0.95 * digits.height) return pick(pair[1]);
  }
  // Hex: an f read as 1 rises above the digits.
  if (read === '1' && alphabet.has('f') && !alphabet.has('l') && height > 1.06 * digits.height)
    return pick('f');
  if (BARS.has(read) && alphabet.has('l') && alphabet.has('1')) {
    if (width < 0.5 * digits.width) return pick('l');
    if (width > 0.7 * digits.width) return pick('1');
  }
  return c;
}

/** One confidence per character of the word's text (tesseract's symbols; the word's own when they disagree). */
function symbolConfidences(word: OcrWord): number[] {
  const perChar: number[] = [];
  for (const symbol of word.symbols)
    for (let i = 0; i < [...symbol.text].length; i++) perChar.push(symbol.confidence);
  return perChar.length === [...word.text].length ? perChar : [...word.text].map(() => word.confidence);
}

function median(values: number[]): number {
  if (values.length === 0) return 1;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Whether a parsed code holds an unsure character: found in the text by its comparison form (separators
 * dropped), unsure when any of its characters is; a code not found there as such is unsure too.
 */
function isUnsure(code: string, lines: LineText[], adapter: SiteAdapter | undefined): boolean {
  const wanted = normaliseCode(code, adapter);
  for (const line of lines) {
    const compact: string[] = [];
    const unsure: boolean[] = [];
    [...line.text].forEach((char, i) => {
      if (/[A-Za-z0-9]/.test(char)) {
        compact.push(char);
        unsure.push(line.unsure[i] ?? true);
      }
    });
    const joined = normaliseCode(compact.join(''), adapter);
    let from = joined.indexOf(wanted);
    let found = false;
    while (from >= 0) {
      found = true;
      if (unsure.slice(from, from + wanted.length).some(Boolean)) return true;
      from = joined.indexOf(wanted, from + 1);
    }
    if (found) return false;
  }
  return true;
}
