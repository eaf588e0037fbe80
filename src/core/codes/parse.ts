/**
 * Backup-code parser (issue #3, generalised in issue 10): turns a paste, a downloaded file, a password manager's
 * note or a page's text into the codes a site accepts, in the site's order, with `used: true` for codes the text
 * marks as used. Shared by the popup's import and the CLI (`spare parse`, design §4.4). Pure and total: it never
 * throws, whatever the input.
 *
 * How it reads text, one module per step:
 * 1. clean.ts: invisible characters out, odd spaces to spaces, combining strike-through to `~~…~~`.
 * 2. tables.ts: tables with a header row: only each row's code cell is read, its status cell says used.
 * 3. lines.ts: per line, blank what must never be read as a code (URLs, e-mail addresses, dates and times,
 *    phone numbers, list numbers, secrets after their label, instruction examples); note used markers,
 *    strikethrough, list numbers and bullets.
 * 4. shapes.ts: cut runs of letters and digits into codes: a known site's formats, or the generic shapes
 *    and the shape the list repeats.
 * 5. here: keep codes on lines that are mostly codes; on prose lines only inline lists (two or more codes of one
 *    shape) and a lone code that a sentence calls a backup or recovery code, in brackets or quotes.
 * 6. order.ts: the site's order (list numbers, columns), one entry per code.
 */
import { SpareError } from '../errors';
import { registrableDomain } from '../domain';
import { ALL_SITES, GENERIC_SITE, siteById, siteForDomain, siteForFileName } from '../../sites/registry';
import type { SiteAdapter } from '../../sites/types';
import { cleanText } from './clean';
import { decodeText } from './decode';
import { BACKUP_MENTION } from './lexicon';
import { analyseLine, withMasked, type LineInfo } from './lines';
import { dedupe, orderAsSite, type Candidate, type ParsedCode } from './order';
import { chunkRun, genericSplitter, groupPreferences, RUN, siteSplitter, type Splitter } from './shapes';
import { planTables } from './tables';

export type { ParsedCode } from './order';

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

/** The text, read once: its lines, and the group counts its list repeats (for an unknown site). */
interface Reading {
  text: string;
  lines: LineInfo[];
  preferences: Map<number, number>;
}

export function parseBackupCodes(input: string | Uint8Array, opts: ParseOptions = {}): ParseResult {
  const reading = read(typeof input === 'string' ? input : decodeText(input));

  if (opts.site !== undefined && opts.site.trim() !== '') {
    const { site, adapter } = resolveSiteOption(opts.site);
    return { site, codes: extractWithFallback(reading, adapter) };
  }
  const fromFileName = opts.fileName ? siteForFileName(opts.fileName) : undefined;
  if (fromFileName) {
    return { site: fromFileName.domains[0] ?? null, codes: extractWithFallback(reading, fromFileName) };
  }
  // A site named in the text only counts when codes in its format are there: "Google Authenticator" or
  // "Sign in with GitHub" in instructions must not claim a list of other codes. Nor does a site whose codes
  // are not case-sensitive claim codes written in mixed case: a case-sensitive generator made those.
  for (const adapter of sitesMentioned(reading.text)) {
    const candidates = findCandidates(reading, adapter);
    if (candidates.length > 0 && !losesCase(candidates, reading, adapter))
      return { site: adapter.domains[0] ?? null, codes: finish(candidates, reading, adapter) };
  }
  return { site: null, codes: extractCodes(reading, null) };
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

function read(input: string): Reading {
  const text = cleanText(input);
  const rawLines = text.split('\n');
  const tables = planTables(rawLines);
  const lines = rawLines.map((raw, index) => {
    const plan = tables[index];
    const line = analyseLine(raw, plan?.keep);
    if (plan) {
      line.tableRow = true;
      line.usedByTable = plan.used;
    }
    return line;
  });
  return { text, lines, preferences: groupPreferences(lines.map((line) => line.clean)) };
}

// ---------------------------------------------------------------------------------------------------------
// Which codes to keep

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

function extractWithFallback(reading: Reading, adapter: SiteAdapter | null): ParsedCode[] {
  const codes = adapter ? extractCodes(reading, adapter) : [];
  return codes.length > 0 ? codes : extractCodes(reading, null);
}

function extractCodes(reading: Reading, adapter: SiteAdapter | null): ParsedCode[] {
  return finish(findCandidates(reading, adapter), reading, adapter);
}

function findCandidates(reading: Reading, adapter: SiteAdapter | null): Candidate[] {
  const split = adapter ? siteSplitter(adapter) : genericSplitter(reading.preferences);
  const accepted: Candidate[] = [];
  reading.lines.forEach((line, lineIndex) => {
    const found = findOnLine(line, lineIndex, split);
    accepted.push(...acceptOnLine(line, found, adapter !== null));
  });
  return adapter ? accepted : dropStrayShapes(accepted);
}

function finish(candidates: Candidate[], reading: Reading, adapter: SiteAdapter | null): ParsedCode[] {
  return dedupe(orderAsSite(candidates, reading.lines), adapter ?? undefined);
}

/** Whether a case-insensitive site would turn codes the text writes in mixed case into another case. */
function losesCase(candidates: Candidate[], reading: Reading, adapter: SiteAdapter): boolean {
  if (adapter.formats.some((format) => format.caseSensitive)) return false;
  return candidates.some((candidate) => {
    const written = reading.lines[candidate.line]!.raw.slice(candidate.start, candidate.end);
    return /[a-z]/.test(written) && /[A-Z]/.test(written);
  });
}

function findOnLine(line: LineInfo, lineIndex: number, split: Splitter): Candidate[] {
  const candidates: Candidate[] = [];
  // Runs are cut line by line and dropped: held for the whole text, a 1 MiB paste's runs cost more in garbage
  // collection than in the cutting.
  for (const run of line.clean.matchAll(RUN)) {
    const chunked = chunkRun(run[0], run.index);
    for (const { match, from, to } of split(chunked)) {
      const start = chunked.offsets[from]!;
      const end = chunked.offsets[to - 1]! + chunked.chunks[to - 1]!.length;
      // "例1234-5678", "código1234-5678": a code glued to a word is part of that word, never a code.
      if (gluedToWord(line.raw, start, end)) continue;
      // Fields named one by one: a spread of `match` took a slow generic copy, a third of a 1 MiB paste's time.
      const { code, shape, wordLike, dashed, spaced, weak } = match;
      candidates.push({
        code,
        shape,
        wordLike,
        dashed,
        spaced,
        weak,
        line: lineIndex,
        start,
        end,
        used: false,
      });
    }
  }
  return candidates;
}

/** A letter or digit of any script right before or after (ASCII ones are inside the run already). */
function gluedToWord(raw: string, start: number, end: number): boolean {
  const before = raw.charCodeAt(start - 1);
  const after = raw.charCodeAt(end);
  return isOtherScriptLetter(before) || isOtherScriptLetter(after);
}

function isOtherScriptLetter(c: number): boolean {
  if (Number.isNaN(c) || c < 0xc0) return false;
  // Latin-1 letters (not × ÷), Latin Extended, Greek, Cyrillic … and the CJK and Hangul blocks; not
  // punctuation, symbols or spaces, and not the full-width forms, whose colon and brackets set codes apart.
  if (c === 0xd7 || c === 0xf7) return false;
  if (c >= 0x2000 && c <= 0x2bff) return false;
  if (c >= 0x3000 && c <= 0x303f) return false;
  if (c >= 0xff00 && c <= 0xffef) return false;
  if (c >= 0xd800 && c <= 0xdfff) return false;
  return true;
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
    (candidate) =>
      (!candidate.wordLike || candidate.dashed || (!candidate.spaced && words.length === 0)) &&
      // Short codes only as list items or table cells, never loose in text.
      (candidate.weak !== 'listed' || line.listItem || line.tableRow === true),
  );
  // A number right after '#' is a reference (order, ticket, case), never a code.
  const codes = plausible.filter((candidate) => !afterHash(line.raw, candidate.start));
  if (codes.length === 0) return [];
  // A loop, not Math.max(...codes): a line of 100,000 codes is more arguments than a call can take.
  let lastEnd = 0;
  for (const candidate of codes) lastEnd = Math.max(lastEnd, candidate.end);
  const annotated = line.usedMarkers.length > 0 || line.struck.length > 0;
  // "Backup code: 1234 5678" is a code line; "Order 48213377 shipped" is a sentence.
  const codeLine =
    line.tableRow === true ||
    (words.length <= 2 && (annotated || words.every((word) => word.index < lastEnd)));

  let kept: Candidate[];
  if (codeLine) {
    kept = codes;
  } else {
    const perShape = new Map<string, number>();
    for (const candidate of codes) perShape.set(candidate.shape, (perShape.get(candidate.shape) ?? 0) + 1);
    kept = codes.filter(
      (candidate) =>
        candidate.weak === undefined &&
        ((perShape.get(candidate.shape) ?? 0) >= 2 ||
          // One code in a sentence: a known site's code written exactly as it shows it, or any code set apart
          // in brackets or quotes, or after a colon, when its sentence says it is a backup or recovery code.
          (codes.length === 1 &&
            ((siteKnown && /[ -]/.test(candidate.code)) || namedInSentence(line.raw, candidate)))),
    );
  }
  markUsed(line, kept);
  attachListNumbers(line, kept);
  return kept;
}

const OPENERS = '([{"\'“‘«„‚「『【〔（［｛＂';
const CLOSERS = ')]}"\'”’»“‘」』】〕）］｝＂';

/**
 * "Store your recovery key (ABCD-…) in a safe place", "Your backup code is: 4283f-efc63": the code stands apart
 * (brackets or quotes around it, or a colon before it) and its sentence says what it is.
 */
function namedInSentence(raw: string, candidate: Candidate): boolean {
  let before = candidate.start - 1;
  while (before >= 0 && raw[before] === ' ') before--;
  let after = candidate.end;
  while (after < raw.length && raw[after] === ' ') after++;
  const quoted = OPENERS.includes(raw[before] ?? '') && CLOSERS.includes(raw[after] ?? '');
  const introduced = raw[before] === ':' || raw[before] === '：';
  if (!quoted && !introduced) return false;
  // The sentence: from the end of the one before to the end of this one.
  let from = candidate.start;
  while (from > 0 && !/[.!?。！？]\s/.test(raw.slice(from - 1, from + 1))) from--;
  let to = candidate.end;
  while (to < raw.length && !/[.!?。！？](?:\s|$)/.test(raw.slice(to, to + 2))) to++;
  return BACKUP_MENTION.test(raw.slice(from, to));
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
    if (line.usedByTable) candidate.used = true;
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

/**
 * Unknown site: a shape that is a code only where a list repeats it needs a second code of its shape; and once
 * one shape clearly makes the set, a single code of another shape is a stray.
 */
function dropStrayShapes(candidates: Candidate[]): Candidate[] {
  const counts = new Map<string, number>();
  for (const candidate of candidates) counts.set(candidate.shape, (counts.get(candidate.shape) ?? 0) + 1);
  const repeated = candidates.filter((candidate) => !candidate.weak || counts.get(candidate.shape)! > 1);
  const top = Math.max(0, ...counts.values());
  if (top < 3) return repeated;
  return repeated.filter((candidate) => counts.get(candidate.shape)! > 1);
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
