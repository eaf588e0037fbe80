/**
 * Shapes: which runs of letters and digits are codes, and where one code ends and the next begins.
 *
 * A run is pieces of [A-Za-z0-9] joined by single spaces or dashes ('1234 5678 2345 6789', '4283f-efc63').
 * With a known site, its formats cut the run (siteSplitter). Otherwise (genericSplitter): pieces joined by
 * dashes are one code; pieces joined by spaces are one code when their count and length make a shape sites show
 * (GROUP_SHAPES) or the shape the list repeats line after line (groupPreferences), else each piece alone.
 */
import { GENERIC_SITE } from '../../sites/registry';
import type { SiteAdapter } from '../../sites/types';
import { formatOf } from './normalise';

export interface Match {
  code: string;
  /** Codes in one set share a shape; used to spot strays when the site is unknown. */
  shape: string;
  /** Letters only, some outside a-f: could be an ordinary word. */
  wordLike: boolean;
  dashed: boolean;
  /** Written in pieces joined by spaces. */
  spaced: boolean;
  /**
   * A shape that is a code only where a list repeats it: short codes (6–7 characters) in list items or table
   * rows, and mixed-case letters without a digit. Kept only when another code of its shape is in the text.
   */
  weak: 'repeated' | 'listed' | undefined;
}

export interface Chunked {
  chunks: string[];
  /** seps[i] sits between chunks[i] and chunks[i + 1]. */
  seps: string[];
  /** Start offset of each chunk within the line. */
  offsets: number[];
}

export type Splitter = (run: Chunked) => { match: Match; from: number; to: number }[];

export const RUN = /[A-Za-z0-9]+(?:[ \-\u2010-\u2015][A-Za-z0-9]+)*/g;
const DASHES = /[-\u2010-\u2015]/;

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function chunkRun(run: string, runStart: number): Chunked {
  const chunks: string[] = [];
  const seps: string[] = [];
  const offsets: number[] = [];
  // A run is pieces of [A-Za-z0-9] joined by one separator each (RUN): read by character codes, since a
  // regex match object per piece made a long run's garbage the larger part of its cost.
  let from = 0;
  for (let i = 0; i <= run.length; i++) {
    if (i < run.length && isAsciiAlnum(run.charCodeAt(i))) continue;
    if (i > from) {
      if (chunks.length > 0) seps.push(run[from - 1]!);
      chunks.push(run.slice(from, i));
      offsets.push(runStart + from);
    }
    from = i + 1;
  }
  return { chunks, seps, offsets };
}

const sepKind = (sep: string) => (DASHES.test(sep) ? '-' : ' ');
const isWordLike = (compact: string) => !/\d/.test(compact) && /[g-z]/i.test(compact);
/**
 * 'XXXX-XXXX', 'xxxxx-xxxxx': one letter over and over is a placeholder for a code, never one. ('••••' is no run
 * at all; one digit over and over, '8888 8888', can be a real code and is kept.)
 */
function isPlaceholder(compact: string): boolean {
  for (let i = 1; i < compact.length; i++) if (compact[i] !== compact[0]) return false;
  return compact.length > 1 && !/\d/.test(compact[0]!);
}

// ---------------------------------------------------------------------------------------------------------
// Known site

function siteMatcher(adapter: SiteAdapter) {
  return (chunks: string[], seps: string[]): Match | null => {
    const kinds = seps.map(sepKind);
    if (kinds.some((kind) => kind !== kinds[0])) return null;
    const compact = chunks.join('');
    if (isPlaceholder(compact)) return null;
    for (const format of adapter.formats) {
      const normalised = format.caseSensitive ? compact : compact.toLowerCase();
      if (!format.normalisedPattern.test(normalised)) continue;
      const shown = format.display(normalised);
      if (chunks.length > 1 && !fitsDisplay(chunks, kinds, shown, format.ignoresSeparators)) continue;
      return {
        code: shown,
        shape: adapter.id,
        wordLike: isWordLike(compact),
        dashed: kinds[0] === '-',
        spaced: kinds[0] === ' ',
        weak: undefined,
      };
    }
    return null;
  };
}

/**
 * A code written in pieces must be cut where the site cuts it ('1234 5678'); a dash the site shows must be
 * a dash (so "keep them" is never a Discord code), a space may also be written as a dash. Sites that ignore
 * separators accept any even grouping.
 */
function fitsDisplay(chunks: string[], kinds: string[], shown: string, ignoresSeparators: boolean): boolean {
  const shownChunks = shown.split(/[ -]/);
  const shownKinds = shown.match(/[ -]/g) ?? [];
  const sameCuts =
    shownChunks.length === chunks.length &&
    shownChunks.every((piece, i) => piece.length === chunks[i]!.length);
  if (sameCuts && shownKinds.every((kind, i) => kind === ' ' || kinds[i] === '-')) return true;
  return ignoresSeparators && chunks.every((chunk) => chunk.length >= 3);
}

/** Known site: at each piece, the shortest group of pieces that forms one of its codes. */
export function siteSplitter(adapter: SiteAdapter): Splitter {
  const match = siteMatcher(adapter);
  const formats = adapter.formats;
  const mayBeCode = (compact: string) => {
    const lower = compact.toLowerCase();
    for (const format of formats) {
      if (format.normalisedPattern.test(format.caseSensitive ? compact : lower)) return true;
    }
    return false;
  };
  return ({ chunks, seps }) => {
    const found: { match: Match; from: number; to: number }[] = [];
    let i = 0;
    while (i < chunks.length) {
      let taken = 0;
      // The group grows one piece at a time; copies of it are made only once its text fits a format, because
      // at every piece of a 1 MiB paste the copies cost more than the checks.
      let compact = '';
      for (let k = 1; k <= Math.min(8, chunks.length - i); k++) {
        compact += chunks[i + k - 1]!;
        // Mixed separators ('1234-5678 90') stay mixed in every longer group: no code among them.
        if (k > 2 && sepKind(seps[i + k - 2]!) !== sepKind(seps[i]!)) break;
        if (!mayBeCode(compact)) continue;
        const hit = match(chunks.slice(i, i + k), seps.slice(i, i + k - 1));
        if (hit) {
          found.push({ match: hit, from: i, to: i + k });
          taken = k;
          break;
        }
      }
      i += taken || 1;
    }
    return found;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Unknown site

/**
 * How sites show a long code in groups joined by spaces, most specific alphabet first. Read from each app's
 * source or help page (cases in tests/fixtures/parse cite them):
 * - Google, Facebook, Instagram: 8 digits as '1234 5678';
 * - four groups of four hex characters ('a1b2 c3d4 e5f6 0718'), and Tuta's recovery code, 64 hex characters
 *   in groups of four (tutao/tutanota RecoverCodeField: `match(/.{4}/g)`);
 * - Bitwarden's recovery code, 32 letters and digits in eight groups of four, upper case
 *   (bitwarden/clients two-factor-recovery.component.ts `formatString`);
 * - Microsoft's recovery code, 25 letters and digits in five groups of five.
 * Codes shown with dashes need no table: pieces joined by dashes are always one code.
 */
interface GroupShape {
  size: number;
  groups: number;
  /** The whole code, separators removed. */
  alphabet: RegExp;
}

const GROUP_SHAPES: GroupShape[] = [
  { size: 4, groups: 2, alphabet: /^\d+$/ },
  { size: 4, groups: 4, alphabet: /^(?=\d*[a-f])[0-9a-f]+$|^(?=\d*[A-F])[0-9A-F]+$/ },
  { size: 4, groups: 16, alphabet: /^[0-9a-f]+$|^[0-9A-F]+$/ },
  { size: 4, groups: 8, alphabet: /^[0-9A-Z]+$|^[0-9a-z]+$/ },
  { size: 5, groups: 5, alphabet: /^[0-9A-Z]+$|^[0-9a-z]+$/ },
];

/** A code, its pieces joined by spaces, that is one of GROUP_SHAPES (letters alone are a code only then). */
function isGroupShape(size: number, groups: number, compact: string): boolean {
  return GROUP_SHAPES.some(
    (shape) => shape.size === size && shape.groups === groups && shape.alphabet.test(compact),
  );
}

/**
 * Letters without a digit, in both cases and changing case often ('kQwZrTbnYpLmAeVd'): a case-sensitive
 * generator's code (Nextcloud's 16 characters from ISecureRandom::CHAR_HUMAN_READABLE) that drew no digit.
 */
function isMixedCaseLetters(compact: string): boolean {
  if (compact.length < 16 || compact.length > 40 || !/^[A-Za-z]+$/.test(compact)) return false;
  let changes = 0;
  for (let i = 1; i < compact.length; i++) {
    if (compact[i]! < 'a' !== compact[i - 1]! < 'a') changes++;
  }
  // Words in camel case ("JavaScriptEnabled") are capitalised words run together; a random draw never is.
  return changes >= 4 && !/^[a-z]*(?:[A-Z][a-z]{2,})+$/.test(compact);
}

/** One code made of `chunks`, by the generic shapes (src/sites/generic.ts) and the group shapes above. */
function genericMatch(chunks: string[], seps: string[]): Match | null {
  const kinds = seps.map(sepKind);
  const size = chunks[0]!.length;
  if (chunks.length > 1) {
    if (kinds.some((kind) => kind !== kinds[0])) return null;
    if (size < 3 || chunks.some((chunk) => chunk.length !== size)) return null;
  }
  const compact = chunks.join('');
  if (isPlaceholder(compact)) return null;
  const dashed = kinds[0] === '-';
  const spaced = kinds[0] === ' ';
  let weak: Match['weak'];
  // Letters only: a word, unless dashed or in a known group shape of four groups or more.
  const groupShaped = chunks.length >= 4 && isGroupShape(size, chunks.length, compact);
  const shaped =
    formatOf(compact, GENERIC_SITE) !== undefined ||
    (dashed && /^[a-z]{8,40}$/i.test(compact)) ||
    groupShaped;
  if (!shaped) {
    if (chunks.length === 1 && isMixedCaseLetters(compact)) weak = 'repeated';
    else if (/^[0-9A-Za-z]{6,7}$/.test(compact) && /\d/.test(compact)) weak = 'listed';
    else return null;
  }
  let code = chunks[0]!;
  for (let i = 1; i < chunks.length; i++) code += seps[i - 1]! + chunks[i]!;
  return {
    code,
    shape: `${compact.length}:${chunks.map((chunk) => chunk.length).join('.')}`,
    wordLike: isWordLike(compact) && !groupShaped && !isMixedCaseLetters(compact),
    dashed,
    spaced,
    weak,
  };
}

/** A group that reads as a word next to a code ("Code", "like"): all letters, some outside a-f, not all caps. */
const isWordGroup = (chunk: string) => isWordLike(chunk) && /[a-z]/.test(chunk);

/**
 * Per group size, the number of groups per code that the list repeats: lines that each hold one run of
 * same-size groups joined by spaces, the same count on at least two of them ('a1b2 c3d4 e5f6 0718' line after
 * line). "Inside one file the shape that the list repeats decides."
 */
export function groupPreferences(cleanLines: string[]): Map<number, number> {
  // Per shape, how many lines hold it and one of them: whether the shape makes a code is asked once per shape,
  // not once per line (a long paste has 100,000 such lines).
  const counts = new Map<string, { lines: number; sample: string }>();
  for (const clean of cleanLines) {
    // Lines that are one such run and nothing else; the test is cheap, so only those lines are cut.
    const whole = GROUPS_LINE.exec(clean);
    if (!whole) continue;
    const chunks = whole[1]!.split(' ');
    const size = chunks[0]!.length;
    if (chunks.some((chunk) => chunk.length !== size || isWordGroup(chunk))) continue;
    const key = `${size}:${chunks.length}`;
    const seen = counts.get(key);
    if (seen) seen.lines++;
    else counts.set(key, { lines: 1, sample: chunks.join('') });
  }
  const preferred = new Map<number, { groups: number; lines: number }>();
  for (const [key, { lines, sample }] of counts) {
    if (lines < 2) continue;
    const [size, groups] = key.split(':').map(Number) as [number, number];
    if (formatOf(sample, GENERIC_SITE) === undefined && !isGroupShape(size, groups, sample)) continue;
    const best = preferred.get(size);
    if (!best || lines > best.lines) preferred.set(size, { groups, lines });
  }
  return new Map([...preferred].map(([size, { groups }]) => [size, groups]));
}

/** A line that is 2–16 groups of up to 7 letters or digits joined by single spaces (blanked parts aside). */
const GROUPS_LINE = /^[\t ]*([A-Za-z0-9]{3,7}(?: [A-Za-z0-9]{3,7}){1,15})[\t ]*$/;

/**
 * Unknown site. Pieces joined by dashes form one code ('4283f-efc63', 'ABCDE-…-VWXYZ'). A sequence of pieces
 * of one size joined by spaces is cut into codes of k pieces, k chosen in this order:
 * 1. each piece alone, when each is a code by itself ('12345678 23456789');
 * 2. all of them, when they make a group shape ('a1b2 c3d4 e5f6 0718', Bitwarden's eight groups);
 * 3. the count the list repeats (groupPreferences);
 * 4. a group shape's count ('1234 5678 2345 6789' on one line: Google's codes, two groups each);
 * 5. all of them, when together they make a code;
 * 6. pairs.
 * Words at either end of a sequence ("Code 1234 5678") are not part of it.
 */
export function genericSplitter(preferences: Map<number, number>): Splitter {
  return ({ chunks, seps }) => {
    // No closures per run: a 1 MiB paste has hundreds of thousands of runs, and their allocation was most of
    // its cost.
    const found: Found[] = [];
    let i = 0;
    while (i < chunks.length) {
      // A dashed unit: pieces joined by dashes.
      if (i < seps.length && sepKind(seps[i]!) === '-') {
        let end = i + 1;
        while (end < chunks.length && sepKind(seps[end - 1]!) === '-') end++;
        take(chunks, seps, i, end, found);
        i = end;
        continue;
      }
      // A spaced sequence: pieces of one size joined by spaces, none of them a word, none starting a dashed unit.
      const size = chunks[i]!.length;
      let end = i + 1;
      if (!isWordGroup(chunks[i]!)) {
        while (
          end < chunks.length &&
          chunks[end]!.length === size &&
          !(end < seps.length && sepKind(seps[end]!) === '-') &&
          !isWordGroup(chunks[end]!)
        )
          end++;
      }
      splitSequence(chunks, seps, i, end, preferences, found);
      i = end;
    }
    return found;
  };
}

type Found = { match: Match; from: number; to: number };

function take(chunks: string[], seps: string[], from: number, to: number, found: Found[]): boolean {
  const match = genericMatch(chunks.slice(from, to), seps.slice(from, to - 1));
  if (match) found.push({ match, from, to });
  return match !== null;
}

function cutInto(
  chunks: string[],
  seps: string[],
  from: number,
  to: number,
  k: number,
  found: Found[],
): void {
  for (let at = from; at + k <= to; at += k) take(chunks, seps, at, at + k, found);
}

function splitSequence(
  chunks: string[],
  seps: string[],
  from: number,
  to: number,
  preferences: Map<number, number>,
  found: Found[],
): void {
  const n = to - from;
  const size = chunks[from]!.length;
  if (n === 1) {
    take(chunks, seps, from, to, found);
    return;
  }
  // 1. Each piece a code by itself.
  if (formatOf(chunks[from]!, GENERIC_SITE) !== undefined) {
    cutInto(chunks, seps, from, to, 1, found);
    return;
  }
  // 2. A group shape, whole.
  if (n <= 16 && isGroupShape(size, n, chunks.slice(from, to).join(''))) {
    take(chunks, seps, from, to, found);
    return;
  }
  // 3. The shape the list repeats.
  const repeated = preferences.get(size);
  if (repeated !== undefined && n % repeated === 0) {
    cutInto(chunks, seps, from, to, repeated, found);
    return;
  }
  // 4. A group shape's count, most specific first. Only the first code's text is tested: a long line of codes
  // must not be joined for every shape.
  for (const shape of GROUP_SHAPES) {
    if (shape.size !== size || n % shape.groups !== 0) continue;
    if (!shape.alphabet.test(chunks.slice(from, from + shape.groups).join(''))) continue;
    cutInto(chunks, seps, from, to, shape.groups, found);
    return;
  }
  // 5. All of them.
  if (n <= 16 && take(chunks, seps, from, to, found)) return;
  // 6. Pairs.
  let at = from;
  while (at < to) at += at + 2 <= to && take(chunks, seps, at, at + 2, found) ? 2 : 1;
}
