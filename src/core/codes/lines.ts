/**
 * Reading one line: what on it must never be read as a code (URLs, e-mail addresses, dates and times, phone
 * numbers, list numbers, secrets after their label, instruction examples), and what it says about the codes on
 * it (used markers, strikethrough, list numbers, bullets). Positions are UTF-16 units of the cleaned text, and
 * `clean` keeps them: every blanked character becomes a tab.
 */
import { DATE_PATTERNS } from './dates';
import { EXAMPLE_AFTER, EXAMPLE_BEFORE, USED_MARKER } from './lexicon';

export interface Span {
  start: number;
  end: number;
}

export interface LineInfo {
  raw: string;
  /** `raw` with everything that must not be read as a code replaced by tabs (same length, same positions). */
  clean: string;
  struck: Span[];
  usedMarkers: number[];
  listNumbers: { at: number; value: number }[];
  /** Starts with a bullet ('-', '*', '•', '[ ]'…) or a list number: an item of a list. */
  listItem: boolean;
  /** Row of a table with a header: whether its status cell says used (undefined when it has none). */
  usedByTable?: boolean;
  /** Row of a table with a header (its code cell is all that `clean` keeps). */
  tableRow?: boolean;
}

/**
 * What must never be read as a code, each with a cheap test of whether the line can hold it at all: most lines
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
  ...DATE_PATTERNS,
  // Phone numbers: international form, (800) 555-0199 and 800-555-0199.
  { mayMatch: (l) => l.includes('+'), pattern: /\+\d[\d\s().-]{6,}\d/g },
  { mayMatch: (l) => l.includes('('), pattern: /\(\d{2,4}\)\s?\d{3}[-.\s]\d{3,4}\b/g },
  { mayMatch: (l) => /[-.]/.test(l), pattern: /\b\d{3}[-.]\d{3}[-.]\d{4}\b/g },
];

/** After one of these labels the rest of the line is a secret or an identity, never a backup code. */
const SECRET_LABEL =
  /(?<![\w-])(?:password|passwort|passphrase|passcode|pwd|secret|seed|(?:setup|secret|totp|otp|2fa|mfa|manual|authenticator|app|private|api)\s+key|key\s*[:=]|user\s?name\s*[:=]|user\s*[:=]|login\s*[:=]|e-?mail\s*[:=]|account\s*[:=]|phone\s*[:=])(?![\w-])/i;

const STRIKE_TAG = /<(\/?)(s|del|strike)>/gi;

const LIST_NUMBER = /(^|\s)(?:\(?(\d{1,3})[.):]|#(\d{1,3}))(?=\s|$)/g;

/** Letters, brackets or check marks: what a used marker needs. */
const MAY_HOLD_MARKER = /[A-Za-z([\u00c0-\uffff]/;

const BULLET = /^[ \t]*(?:[-*+•·◦▪▫‣–—→>]|\[[ xX]\])[ \t]/;

/** Where a clause ends: a sentence's end, a colon (what follows is what it introduces), a closing bracket. */
const CLAUSE_END = /[.!?;:)\]。！？；：）]/;

/**
 * `text` with the positions `masked` marks replaced by `fill` (same length, same positions). Built from slices:
 * an array of one-character strings per line made a 1 MiB paste spend most of its time collecting garbage.
 */
export function withMasked(text: string, masked: Uint8Array, fill: string): string {
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

/**
 * @param keep for a table row, the span of its code cell: everything else on the line is blanked.
 */
export function analyseLine(raw: string, keep?: Span): LineInfo {
  const masked = new Uint8Array(raw.length);
  const blank = (start: number, end: number) => masked.fill(1, start, Math.min(end, raw.length));
  if (keep) {
    blank(0, keep.start);
    blank(keep.end, raw.length);
  }

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
  // "SEED" in an upper-case code is a group of it; a label in capitals has its colon ("PASSWORD: …").
  if (secret && !(isAllCaps(secret[0]) && !/^\s*[:=]/.test(raw.slice(secret.index + secret[0].length))))
    blank(secret.index, raw.length);
  blankExamples(raw, blank);

  const usedMarkers: number[] = [];
  // A line of digits and separators holds no marker: most lines of a long paste skip the scan.
  for (const match of MAY_HOLD_MARKER.test(raw) ? raw.matchAll(USED_MARKER) : []) {
    // "ABCD USED EFGH": a group of an upper-case code, with more of the code on both sides.
    if (isAllCaps(match[0]) && betweenGroups(raw, match.index, match.index + match[0].length)) continue;
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
    listItem: listNumbers.length > 0 || BULLET.test(raw),
  };
}

/**
 * An instruction's example is never a code: the rest of the clause after "like", "e.g.", "for example", "such
 * as" (and their equivalents in the detector's languages), and the clause before a postposition that means the
 * same ("1234-5678 gibi", "1234-5678のような").
 */
function blankExamples(raw: string, blank: (start: number, end: number) => void): void {
  if (!/[a-zA-Z\u00c0-\uffff]{2}/.test(raw)) return;
  // Each clause is scanned once however many markers it holds: a line of "like like like…" stays linear.
  let blankedTo = 0;
  for (const match of raw.matchAll(EXAMPLE_BEFORE)) {
    if (isAllCaps(match[0])) continue;
    let from = match.index + match[0].length;
    // "for example: 1234-5678": the colon right after the marker introduces the example itself.
    while (from < raw.length && /[\s:：,]/.test(raw[from]!)) from++;
    if (from < blankedTo) continue;
    let to = from;
    while (to < raw.length && !clauseEndsAt(raw, to)) to++;
    blank(from, to);
    blankedTo = to;
  }
  let scannedFrom = 0;
  for (const match of raw.matchAll(EXAMPLE_AFTER)) {
    if (isAllCaps(match[0])) continue;
    let from = match.index;
    while (from > scannedFrom && !clauseEndsAt(raw, from - 1)) from--;
    blank(from, match.index);
    scannedFrom = match.index;
  }
}

/** "COME", "LIKE": a group of an upper-case code, not the word; instructions write these in lower case. */
const isAllCaps = (text: string) => /[A-Z]{2}/.test(text) && text === text.toUpperCase();

const isAsciiAlnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);
const betweenGroups = (raw: string, start: number, end: number) =>
  raw[start - 1] === ' ' && isAsciiAlnum(raw[start - 2]) && raw[end] === ' ' && isAsciiAlnum(raw[end + 1]);

/** A clause ends at one of CLAUSE_END when a space or the line's end follows (so "1.5" or "e.g." runs on). */
function clauseEndsAt(raw: string, at: number): boolean {
  if (!CLAUSE_END.test(raw[at]!)) return false;
  const next = raw[at + 1];
  return next === undefined || next === ' ' || next === '\t' || raw.charCodeAt(at) > 0x3000;
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
