/**
 * The order a site lists its codes in, and one entry per code. Numbered lists are read by their numbers, whether
 * numbered row by row ('1. a  2. b' / '3. c  4. d') or column by column (Google numbers its two columns top to
 * bottom). Unnumbered pairs laid out in two columns (a wide gap between them) are read left column first, like
 * Google's.
 */
import type { SiteAdapter } from '../../sites/types';
import type { LineInfo } from './lines';
import { normaliseCode } from './normalise';
import type { Match } from './shapes';

export interface Candidate extends Match {
  line: number;
  start: number;
  end: number;
  used: boolean;
  listNumber?: number;
}

export interface ParsedCode {
  /** The code as the site accepts/displays it. */
  code: string;
  used: boolean;
}

export function orderAsSite(candidates: Candidate[], lines: LineInfo[]): Candidate[] {
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

/** One entry per code (compared as the site compares them); a code marked used anywhere is used. */
export function dedupe(candidates: Candidate[], adapter: SiteAdapter | undefined): ParsedCode[] {
  const seen = new Map<string, ParsedCode>();
  for (const candidate of candidates) {
    const key = normaliseCode(candidate.code, adapter);
    const earlier = seen.get(key);
    if (earlier) earlier.used ||= candidate.used;
    else seen.set(key, { code: candidate.code, used: candidate.used });
  }
  return [...seen.values()];
}
