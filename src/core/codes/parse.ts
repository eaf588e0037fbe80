/**
 * Backup-code parser (issue #3): turns a paste or a downloaded file into the codes a site accepts, in the
 * site's order, with `used: true` for codes the text marks as used. Shared by the popup's import and the CLI
 * (`spare parse`, design §4.4). Pure and total: it never throws, whatever the input.
 *
 * How it reads text, in short:
 * 1. Per line, blank out what must never become a code (URLs, e-mail addresses, dates, times, phone numbers,
 *    list numbers, anything after a password/secret/key label) and note used-markers and strikethrough.
 * 2. Find runs of letters/digits joined by single spaces or dashes and cut them into codes: with a known site,
 *    by its formats (and the way it displays them); otherwise by the generic shapes (src/sites/generic.ts).
 * 3. Keep codes on lines that are mostly codes; on prose lines keep only inline lists (two or more codes of
 *    one shape), so a lone case number or an example code in instructions stays out.
 * 4. Order as the site does (list numbers; Google's two columns top to bottom), drop duplicates.
 */
import { SpareError } from '../errors';
import { registrableDomain } from '../domain';
import { ALL_SITES, GENERIC_SITE, siteById, siteForDomain, siteForFileName } from '../../sites/registry';
import type { SiteAdapter } from '../../sites/types';
import { decodeText } from './decode';
import { formatOf, normaliseCode } from './normalise';

export interface ParsedCode {
  /** The code as the site accepts/displays it. */
  code: string;
  used: boolean;
}

export interface ParseResult {
  /** Registrable domain of the site, when given or revealed by the file name or text. */
  site: string | null;
  codes: ParsedCode[];
}

export interface ParseOptions {
  /** Domain, URL or adapter id ('github'); wins over anything the text says. */
  site?: string;
  /** Name of the imported file, e.g. 'github-recovery-codes.txt'. */
  fileName?: string;
}

export function parseBackupCodes(input: string | Uint8Array, opts: ParseOptions = {}): ParseResult {
  const text = prepareText(typeof input === 'string' ? input : decodeText(input));
  const lines = text.split('\n').map(analyseLine);
  markTableColumns(lines);

  if (opts.site !== undefined && opts.site.trim() !== '') {
    const { site, adapter } = resolveSiteOption(opts.site);
    return { site, codes: extractWithFallback(lines, adapter) };
  }
  const fromFileName = opts.fileName ? siteForFileName(opts.fileName) : undefined;
  if (fromFileName) {
    return { site: fromFileName.domains[0] ?? null, codes: extractWithFallback(lines, fromFileName) };
  }
  // A site named in the text only counts when codes in its format are there: "Google Authenticator" or
  // "Sign in with GitHub" in instructions must not claim a list of other codes.
  for (const adapter of sitesMentioned(text)) {
    const codes = extractCodes(lines, adapter);
    if (codes.length > 0) return { site: adapter.domains[0] ?? null, codes };
  }
  return { site: null, codes: extractCodes(lines, null) };
}

/** The import's guard: a paste with no codes is an error the user must see, not an empty account. */
export function requireCodes(result: ParseResult): ParseResult {
  if (result.codes.length === 0) {
    throw new SpareError(
      'no-codes-found',
      'No backup codes found in this text. Paste the codes exactly as the site shows them, or import the file it let you download.',
    );
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Text preparation and per-line analysis

function prepareText(text: string): string {
  return text.replace(/^\ufeff/, '').replace(/\r\n?|[\u0085\u2028\u2029]/g, '\n');
}

interface Span {
  start: number;
  end: number;
}

interface LineInfo {
  raw: string;
  /** `raw` with everything that must not be read as a code replaced by tabs (same length, same positions). */
  clean: string;
  struck: Span[];
  usedMarkers: number[];
  listNumbers: { at: number; value: number }[];
  mentionsExample: boolean;
  /** For markdown table rows: start/end of each cell, and whether the row's "used" cell says used. */
  cells?: Span[];
  usedByTable?: boolean;
  usedCell?: number;
}

/**
 * What must never be read as a code, each with a cheap test of whether the line can hold one at all: most lines
 * of a long paste hold none, and skipping their scans keeps a 1 MiB paste (100,000 lines) quick.
 */
const BLANKED: { mayMatch: (line: string) => boolean; pattern: RegExp }[] = [
  {
    mayMatch: (l) => l.includes('://') || /www\./i.test(l),
    pattern: /\b(?:https?|ftp):\/\/\S+|\bwww\.\S+/gi,
  },
  // Starts only where a run starts: from inside a run without '@' every start would rescan the rest of the
  // run, and a long word (a pasted base64 blob) took minutes.
  {
    mayMatch: (l) => l.includes('@'),
    pattern: /(?<![^\s@<>()[\]"'`|,;:])[^\s@<>()[\]"'`|,;:]+@[^\s@<>()[\]"'`|,;:]+/g,
  },
  // ISO dates with optional time, then day/month/year with any separator, then clock times.
  {
    mayMatch: (l) => l.includes('-'),
    pattern: /\b\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g,
  },
  { mayMatch: (l) => /[./-]/.test(l), pattern: /\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b/g },
  { mayMatch: (l) => l.includes(':'), pattern: /\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?\b/gi },
  // Phone numbers: international form, (800) 555-0199 and 800-555-0199.
  { mayMatch: (l) => l.includes('+'), pattern: /\+\d[\d\s().-]{6,}\d/g },
  { mayMatch: (l) => l.includes('('), pattern: /\(\d{2,4}\)\s?\d{3}[-.\s]\d{3,4}\b/g },
  { mayMatch: (l) => /[-.]/.test(l), pattern: /\b\d{3}[-.]\d{3}[-.]\d{4}\b/g },
];

/** After one of these labels the rest of the line is a secret or an identity, never a backup code. */
const SECRET_LABEL =
  /(?<![\w-])(?:password|passwort|passphrase|passcode|pwd|secret|seed|(?:setup|secret|totp|otp|2fa|mfa|manual|authenticator|app|private|api)\s+key|key\s*[:=]|user\s?name\s*[:=]|user\s*[:=]|login\s*[:=]|e-?mail\s*[:=]|account\s*[:=]|phone\s*[:=])(?![\w-])/i;

// Marker words count only as whole words: inside a dashed code ('used-4f2a') they are part of the code.
const USED_MARKER =
  /\((?:used|spent|redeemed)\)|(?<![\w-]|\bnot\s|\bnever\s)(?:used|spent|redeemed)(?![\w-])|[\u2713\u2714\u2611\u2705]|\[x\]/gi;

const STRIKE_TAG = /<(\/?)(s|del|strike)>/gi;

const LIST_NUMBER = /(^|\s)(?:\(?(\d{1,3})[.):]|#(\d{1,3}))(?=\s|$)/g;

const EXAMPLE_WORDS = /\b(?:e\.g|for example|for instance|example|such as|looks? like|format|placeholder)\b/i;

/**
 * `text` with the positions `masked` marks replaced by `fill` (same length, same positions). Built from slices:
 * an array of one-character strings per line made a 1 MiB paste spend most of its time collecting garbage.
 */
function withMasked(text: string, masked: Uint8Array, fill: string): string {
  if (!masked.includes(1)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const from = i;
    const blanked = masked[i] === 1;
    while (i < text.length && (masked[i] === 1) === blanked) i++;
    out += blanked ? fill.repeat(i - from) : text.slice(from, i);
  }
  return out;
}

function analyseLine(raw: string): LineInfo {
  // Positions are UTF-16 units, so positions in `clean` stay those of `raw`.
  const masked = new Uint8Array(raw.length);
  const blank = (start: number, end: number) => masked.fill(1, start, Math.min(end, raw.length));

  const struck: Span[] = [];
  if (raw.includes('~~')) {
    for (const match of raw.matchAll(/~~(.+?)~~/g))
      struck.push({ start: match.index, end: match.index + match[0].length });
  }
  if (raw.includes('<')) struck.push(...struckTags(raw));
  for (const { mayMatch, pattern } of BLANKED) {
    if (!mayMatch(raw)) continue;
    for (const match of raw.matchAll(pattern)) blank(match.index, match.index + match[0].length);
  }
  const secret = SECRET_LABEL.exec(raw);
  if (secret) blank(secret.index, raw.length);

  const usedMarkers: number[] = [];
  for (const match of raw.matchAll(USED_MARKER)) {
    usedMarkers.push(match.index);
    blank(match.index, match.index + match[0].length);
  }

  const listNumbers: { at: number; value: number }[] = [];
  for (const match of withMasked(raw, masked, '\t').matchAll(LIST_NUMBER)) {
    const at = match.index + match[1]!.length;
    listNumbers.push({ at, value: Number(match[2] ?? match[3]) });
    blank(at, match.index + match[0].length);
  }

  return {
    raw,
    clean: withMasked(raw, masked, '\t'),
    struck,
    usedMarkers,
    listNumbers,
    mentionsExample: EXAMPLE_WORDS.test(raw),
  };
}

/**
 * `<s>…</s>`, `<del>…</del>`, `<strike>…</strike>`: each opening tag with the first closing tag of the same name
 * after it, read left to right (what `/<(s|del|strike)>(.*?)<\/\1>/gi` matches). Paired from one list of the
 * tags: that regex rescans the rest of the line from every unclosed tag, and a line of them took minutes.
 */
function struckTags(raw: string): Span[] {
  const tags = [...raw.matchAll(STRIKE_TAG)].map((match) => ({
    closing: match[1] === '/',
    name: match[2]!.toLowerCase(),
    start: match.index,
    end: match.index + match[0].length,
  }));
  // For each tag, the index of the first closing tag of each name at or after it.
  const nextClosing: Map<string, number>[] = [];
  let ahead = new Map<string, number>();
  for (let i = tags.length - 1; i >= 0; i--) {
    if (tags[i]!.closing) ahead = new Map(ahead).set(tags[i]!.name, i);
    nextClosing[i] = ahead;
  }
  const spans: Span[] = [];
  let from = 0;
  for (let i = 0; i < tags.length; i++) {
    const open = tags[i]!;
    if (open.closing || open.start < from) continue;
    const close = nextClosing[i]!.get(open.name);
    if (close === undefined) continue;
    spans.push({ start: open.start, end: tags[close]!.end });
    from = tags[close]!.end;
  }
  return spans;
}

/** Markdown tables (Notion/Obsidian exports) with a "Used" column: a non-empty, non-"no" cell means used. */
function markTableColumns(lines: LineInfo[]): void {
  let usedColumn: number | null = null;
  for (const line of lines) {
    const trimmed = line.raw.trim();
    if (!trimmed.startsWith('|')) {
      usedColumn = null;
      continue;
    }
    const cells: Span[] = [];
    let start = line.raw.indexOf('|') + 1;
    for (let i = start; i <= line.raw.length; i++) {
      if (i === line.raw.length || line.raw[i] === '|') {
        cells.push({ start, end: i });
        start = i + 1;
      }
    }
    const texts = cells.map((cell) => line.raw.slice(cell.start, cell.end).trim());
    const header = texts.findIndex((text) => /^(?:used|status|spent|redeemed|done)\??$/i.test(text));
    if (header >= 0 && texts.some((text) => /code/i.test(text))) {
      usedColumn = header;
      continue;
    }
    line.cells = cells;
    if (usedColumn !== null && texts[usedColumn] !== undefined) {
      line.usedCell = usedColumn;
      line.usedByTable = !/^(?:|no|n|false|unused|-+|–|—|0|\u2717|\u2718|\u274c|\[ \])$/i.test(
        texts[usedColumn]!,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Finding codes

interface Match {
  code: string;
  /** Codes in one set share a shape; used to spot strays when the site is unknown. */
  shape: string;
  /** Letters only, some outside a-f: could be an ordinary word. */
  wordLike: boolean;
  dashed: boolean;
  /** Written in pieces joined by spaces. */
  spaced: boolean;
}

interface Candidate extends Match {
  line: number;
  start: number;
  end: number;
  used: boolean;
  listNumber?: number;
}

const RUN = /[A-Za-z0-9]+(?:[ \u00a0\-\u2010-\u2015][A-Za-z0-9]+)*/g;
const DASHES = /[-\u2010-\u2015]/;

interface Chunked {
  chunks: string[];
  /** seps[i] sits between chunks[i] and chunks[i + 1]. */
  seps: string[];
  /** Start offset of each chunk within the line. */
  offsets: number[];
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function chunkRun(run: string, runStart: number): Chunked {
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

function siteMatcher(adapter: SiteAdapter) {
  return (chunks: string[], seps: string[]): Match | null => {
    const kinds = seps.map(sepKind);
    if (kinds.some((kind) => kind !== kinds[0])) return null;
    const compact = chunks.join('');
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

function genericMatch(chunks: string[], seps: string[]): Match | null {
  const kinds = seps.map(sepKind);
  if (chunks.length > 1) {
    const size = chunks[0]!.length;
    if (kinds.some((kind) => kind !== kinds[0])) return null;
    if (size < 3 || chunks.some((chunk) => chunk.length !== size)) return null;
  }
  const compact = chunks.join('');
  const dashed = kinds[0] === '-';
  // The generic adapter's shapes, plus letters only when dashed (a lone word is too often just a word).
  const shaped = formatOf(compact, GENERIC_SITE) !== undefined || (dashed && /^[a-z]{8,40}$/i.test(compact));
  if (!shaped) return null;
  let code = chunks[0]!;
  for (let i = 1; i < chunks.length; i++) code += seps[i - 1]! + chunks[i]!;
  return {
    code,
    shape: `${compact.length}:${chunks.map((chunk) => chunk.length).join('.')}`,
    wordLike: isWordLike(compact),
    dashed,
    spaced: kinds[0] === ' ',
  };
}

type Splitter = (run: Chunked) => { match: Match; from: number; to: number }[];

/** Known site: at each piece, the shortest group of pieces that forms one of its codes. */
function siteSplitter(adapter: SiteAdapter): Splitter {
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

/**
 * Unknown site: pieces joined by dashes form one code ('4283f-efc63', 'ABCDE-…-VWXYZ'); pieces joined by
 * spaces are separate codes unless each is too short alone, then they pair up ('1234 5678 2345 6789').
 */
const genericSplitter: Splitter = ({ chunks, seps }) => {
  const units: { from: number; to: number }[] = [];
  let from = 0;
  for (let i = 0; i < chunks.length; i++) {
    if (i === chunks.length - 1 || sepKind(seps[i]!) !== '-') {
      units.push({ from, to: i + 1 });
      from = i + 1;
    }
  }
  const found: { match: Match; from: number; to: number }[] = [];
  for (let u = 0; u < units.length; u++) {
    const unit = units[u]!;
    const alone = genericMatch(chunks.slice(unit.from, unit.to), seps.slice(unit.from, unit.to - 1));
    if (alone) {
      found.push({ match: alone, from: unit.from, to: unit.to });
      continue;
    }
    const next = units[u + 1];
    if (next && unit.to - unit.from === 1 && next.to - next.from === 1) {
      const pair = genericMatch(chunks.slice(unit.from, next.to), seps.slice(unit.from, next.to - 1));
      if (pair) {
        found.push({ match: pair, from: unit.from, to: next.to });
        u++;
      }
    }
  }
  return found;
};

/** Words that may sit next to codes on a line without making it prose. */
const CODE_LINE_WORDS = new Set([
  'not',
  'never',
  'code',
  'codes',
  'backup',
  'recovery',
  'used',
  'unused',
  'spent',
  'done',
  'yes',
  'no',
]);

function extractWithFallback(lines: LineInfo[], adapter: SiteAdapter | null): ParsedCode[] {
  const codes = adapter ? extractCodes(lines, adapter) : [];
  return codes.length > 0 ? codes : extractCodes(lines, null);
}

function extractCodes(lines: LineInfo[], adapter: SiteAdapter | null): ParsedCode[] {
  const split = adapter ? siteSplitter(adapter) : genericSplitter;
  let accepted: Candidate[] = [];
  lines.forEach((line, lineIndex) => {
    accepted.push(...acceptOnLine(line, findOnLine(line, lineIndex, split), adapter !== null));
  });
  if (!adapter) accepted = dropStrayShapes(accepted);
  accepted = orderAsSite(accepted, lines);
  return dedupe(accepted, adapter ?? undefined);
}

function findOnLine(line: LineInfo, lineIndex: number, split: Splitter): Candidate[] {
  const candidates: Candidate[] = [];
  for (const run of line.clean.matchAll(RUN)) {
    const chunked = chunkRun(run[0], run.index);
    for (const { match, from, to } of split(chunked)) {
      const start = chunked.offsets[from]!;
      const end = chunked.offsets[to - 1]! + chunked.chunks[to - 1]!.length;
      // Fields named one by one: a spread of `match` took a slow generic copy, a third of a 1 MiB paste's time.
      const { code, shape, wordLike, dashed, spaced } = match;
      candidates.push({ code, shape, wordLike, dashed, spaced, line: lineIndex, start, end, used: false });
    }
  }
  return candidates;
}

function acceptOnLine(line: LineInfo, found: Candidate[], siteKnown: boolean): Candidate[] {
  if (found.length === 0) return [];
  const inCandidate = new Uint8Array(line.clean.length);
  for (const candidate of found) inCandidate.fill(1, candidate.start, candidate.end);
  const words = [...withMasked(line.clean, inCandidate, ' ').matchAll(/[A-Za-z]{2,}/g)].filter(
    (word) => !CODE_LINE_WORDS.has(word[0].toLowerCase()),
  );
  // A plain word ("generate", "somewhere") is only a code alone on a line of codes, or written with dashes;
  // words joined by spaces ("backup code") are just text.
  const plausible = found.filter(
    (candidate) => !candidate.wordLike || candidate.dashed || (!candidate.spaced && words.length === 0),
  );
  // A number right after '#' is a reference (order, ticket, case), never a code.
  const codes = plausible.filter((candidate) => !afterHash(line.raw, candidate.start));
  if (codes.length === 0) return [];
  // A loop, not Math.max(...codes): a line of 100,000 codes is more arguments than a call can take.
  let lastEnd = 0;
  for (const candidate of codes) lastEnd = Math.max(lastEnd, candidate.end);
  const annotated = line.usedMarkers.length > 0 || line.struck.length > 0;
  // "Backup code: 1234 5678" is a code line; "Order 48213377 shipped" is a sentence.
  const codeLine = words.length <= 2 && (annotated || words.every((word) => word.index < lastEnd));

  let kept: Candidate[];
  if (codeLine) {
    kept = codes;
  } else {
    const perShape = new Map<string, number>();
    for (const candidate of codes) perShape.set(candidate.shape, (perShape.get(candidate.shape) ?? 0) + 1);
    kept = codes.filter(
      (candidate) =>
        (perShape.get(candidate.shape) ?? 0) >= 2 ||
        // One code in a sentence: only a known site's code written exactly as it shows it, and not an
        // example in its instructions.
        (siteKnown && codes.length === 1 && /[ -]/.test(candidate.code) && !line.mentionsExample),
    );
  }
  markUsed(line, kept);
  attachListNumbers(line, kept);
  return kept;
}

/**
 * Whether '#' comes right before `at`, spaces aside. Read backwards from `at`: a regex on the text before each
 * candidate rescans the line for every code, which made a 1 MiB line of codes take half a minute.
 */
function afterHash(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return text[i] === '#';
}

// Candidates, markers and list numbers are each in line order, so one pass pairs them: searching the whole
// line's candidates for each marker made a line of codes with a marker by each one quadratic.

function markUsed(line: LineInfo, candidates: Candidate[]): void {
  const struck = struckCounts(line);
  for (const candidate of candidates) {
    if (struck && struck[candidate.end]! > struck[candidate.start]!) candidate.used = true;
    if (line.usedByTable && line.cells && line.usedCell !== undefined) {
      const cell = line.cells[line.usedCell];
      const inUsedCell = cell !== undefined && candidate.start >= cell.start && candidate.end <= cell.end;
      if (!inUsedCell) candidate.used = true;
    }
  }
  if (line.usedByTable !== undefined) return;
  let after = 0;
  for (const at of line.usedMarkers) {
    while (after < candidates.length && candidates[after]!.end <= at) after++;
    // The code before the marker, else the first after it.
    const target = candidates[after - 1] ?? candidates.find((candidate) => candidate.start >= at);
    if (target) target.used = true;
  }
}

/** How many struck characters come before each position: a candidate is struck if any of its characters is. */
function struckCounts(line: LineInfo): Uint32Array | null {
  if (line.struck.length === 0) return null;
  const marked = new Uint8Array(line.raw.length);
  for (const span of line.struck) marked.fill(1, span.start, span.end);
  const counts = new Uint32Array(line.raw.length + 1);
  for (let i = 0; i < marked.length; i++) counts[i + 1] = counts[i]! + marked[i]!;
  return counts;
}

function attachListNumbers(line: LineInfo, candidates: Candidate[]): void {
  let next = 0;
  for (const number of line.listNumbers) {
    while (next < candidates.length && candidates[next]!.start < number.at) next++;
    const candidate = candidates[next];
    if (candidate && candidate.listNumber === undefined) candidate.listNumber = number.value;
  }
}

/** Unknown site: once one shape clearly makes the set, a single code of another shape is a stray. */
function dropStrayShapes(candidates: Candidate[]): Candidate[] {
  const counts = new Map<string, number>();
  for (const candidate of candidates) counts.set(candidate.shape, (counts.get(candidate.shape) ?? 0) + 1);
  const top = Math.max(0, ...counts.values());
  if (top < 3) return candidates;
  return candidates.filter((candidate) => counts.get(candidate.shape)! > 1);
}

/**
 * Numbered lists are read by their numbers (Google numbers its two columns top to bottom). Unnumbered pairs
 * laid out in two columns (a wide gap between them) are read left column first, like the numbered ones.
 */
function orderAsSite(candidates: Candidate[], lines: LineInfo[]): Candidate[] {
  const numbers = candidates.map((candidate) => candidate.listNumber);
  if (
    candidates.length > 1 &&
    numbers.every((value) => value !== undefined) &&
    new Set(numbers).size === numbers.length
  ) {
    return [...candidates].sort((a, b) => a.listNumber! - b.listNumber!);
  }
  const rows: Candidate[][] = [];
  for (const candidate of candidates) {
    const row = rows[rows.length - 1];
    if (row && row[0]!.line === candidate.line) row.push(candidate);
    else rows.push([candidate]);
  }
  const twoColumns =
    rows.length >= 2 &&
    rows.every((row, index) => row.length === 2 || (row.length === 1 && index === rows.length - 1)) &&
    rows.every(
      (row) =>
        row.length === 1 || /\t| {2,}/.test(lines[row[0]!.line]!.raw.slice(row[0]!.end, row[1]!.start)),
    );
  if (!twoColumns) return candidates;
  return [...rows.map((row) => row[0]!), ...rows.filter((row) => row.length === 2).map((row) => row[1]!)];
}

function dedupe(candidates: Candidate[], adapter: SiteAdapter | undefined): ParsedCode[] {
  const seen = new Map<string, ParsedCode>();
  for (const candidate of candidates) {
    const key = normaliseCode(candidate.code, adapter);
    const earlier = seen.get(key);
    if (earlier) earlier.used ||= candidate.used;
    else seen.set(key, { code: candidate.code, used: candidate.used });
  }
  return [...seen.values()];
}

// ---------------------------------------------------------------------------------------------------------
// Which site

function resolveSiteOption(value: string): { site: string | null; adapter: SiteAdapter | null } {
  const byId = siteById(value);
  if (byId === GENERIC_SITE) return { site: null, adapter: null };
  if (byId) return { site: byId.domains[0] ?? null, adapter: byId };
  const domain = registrableDomain(value);
  if (!domain) return { site: null, adapter: null };
  return { site: domain, adapter: siteForDomain(domain) ?? null };
}

let mentionPatterns: { adapter: SiteAdapter; patterns: RegExp[] }[] | undefined;

const NAME_WORDS_TOO_COMMON = new Set(['two', 'factor', 'plugin', 'other', 'website']);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Sites named in the text ("GitHub", "github.com"), first mentioned first; "Google Authenticator" is no claim. */
function sitesMentioned(text: string): SiteAdapter[] {
  mentionPatterns ??= ALL_SITES.map((adapter) => ({
    adapter,
    patterns: [
      ...adapter.name
        .split(/[^A-Za-z0-9]+/)
        .filter((word) => word.length >= 3 && !NAME_WORDS_TOO_COMMON.has(word.toLowerCase()))
        .map((word) => new RegExp(`\\b${escapeRegExp(word)}\\b(?!\\s+authenticator)`, 'i')),
      ...adapter.domains.map((domain) => new RegExp(`\\b${escapeRegExp(domain)}\\b`, 'i')),
    ],
  }));
  const found: { adapter: SiteAdapter; at: number }[] = [];
  for (const { adapter, patterns } of mentionPatterns) {
    const positions = patterns.map((pattern) => pattern.exec(text)?.index ?? Infinity);
    const at = Math.min(...positions);
    if (at !== Infinity) found.push({ adapter, at });
  }
  return found.sort((a, b) => a.at - b.at).map((entry) => entry.adapter);
}
