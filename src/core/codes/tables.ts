/**
 * Tables with a header row: markdown (`| Code | Used |`, Notion and Obsidian exports), TAB-separated (what a
 * spreadsheet puts on the clipboard) and comma- or semicolon-separated (a spreadsheet saved as CSV). The header
 * says which column holds the codes and which says whether each was used; without a code header, the column
 * whose cells look like codes holds them. Only the code cell of each row is then read for codes, so a date, a
 * row number or a note in another column never becomes one.
 */
import { CODE_HEADER, NOT_USED_STATUS, STATUS_HEADER } from './lexicon';
import type { Span } from './lines';

export interface TableRowPlan {
  /** The code cell: all of the row that is read for codes (an empty span for the header and rule rows). */
  keep: Span;
  /** What the row's status cell says; undefined when the table has no status column. */
  used?: boolean;
}

type Delimiter = '|' | '\t' | ',' | ';';

/** A header cell is a few words, not a sentence that happens to hold a comma. */
const HEADER_CELL = /^[^\d]{1,30}$/;
/** `|---|:--:|`: the rule under a markdown table's header. A loop: the obvious regex is quadratic on spaces. */
function isMarkdownRule(line: string): boolean {
  let dash = false;
  for (const c of line) {
    if (c === '-') dash = true;
    else if (c !== '|' && c !== ':' && c !== ' ' && c !== '\t') return false;
  }
  return dash;
}

function delimiterOf(line: string): Delimiter | null {
  if (line.trimStart().startsWith('|')) return '|';
  if (line.includes('\t')) return '\t';
  if (line.includes(',')) return ',';
  if (line.includes(';')) return ';';
  return null;
}

/**
 * The cells of a row, as spans of their content (outer spaces and quotes excluded). A quoted CSV cell may hold
 * the delimiter (`"1234, 5678"`); a doubled quote inside it is a quote.
 */
export function splitCells(line: string, delimiter: Delimiter): Span[] {
  const cells: Span[] = [];
  let i = 0;
  if (delimiter === '|') {
    i = line.indexOf('|') + 1;
  }
  while (i <= line.length) {
    while (i < line.length && line[i] === ' ') i++;
    let start = i;
    let end: number;
    if (line[i] === '"' && delimiter !== '|') {
      start = i + 1;
      i = start;
      while (i < line.length && !(line[i] === '"' && line[i + 1] !== '"')) i += line[i] === '"' ? 2 : 1;
      end = i;
      while (i < line.length && line[i] !== delimiter) i++;
    } else {
      while (i < line.length && line[i] !== delimiter) i++;
      end = i;
      while (end > start && /\s/.test(line[end - 1]!)) end--;
    }
    cells.push({ start, end });
    i++;
  }
  // A markdown row's closing pipe leaves an empty cell after it.
  if (delimiter === '|' && cells.length > 1 && line.slice(cells.at(-1)!.start).trim() === '') cells.pop();
  return cells;
}

/**
 * A cell whose content, separators aside, could be a code: 6–64 letters and digits with a digit, or 12 or more
 * letters whose case changes often ("Used on" and "Backup code" do not).
 */
function looksLikeCode(text: string): boolean {
  const compact = text.replace(/[\s`'"~*_-]/g, '');
  if (!/^[A-Za-z0-9]{6,64}$/.test(compact)) return false;
  return (
    /\d/.test(compact) ||
    (compact.length >= 12 && (compact.match(/[a-z][A-Z]|[A-Z][a-z]/g) ?? []).length >= 4)
  );
}

export function planTables(lines: string[]): (TableRowPlan | undefined)[] {
  const plans: (TableRowPlan | undefined)[] = new Array<TableRowPlan | undefined>(lines.length);
  let i = 0;
  while (i < lines.length) {
    const delimiter = delimiterOf(lines[i]!);
    if (!delimiter) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < lines.length && delimiterOf(lines[end]!) === delimiter) end++;
    if (end - i >= 2) planBlock(lines, i, end, delimiter, plans);
    i = end;
  }
  return plans;
}

function planBlock(
  lines: string[],
  from: number,
  to: number,
  delimiter: Delimiter,
  plans: (TableRowPlan | undefined)[],
): void {
  const rows = lines.slice(from, to).map((line) => {
    const cells = splitCells(line, delimiter);
    return { line, cells, texts: cells.map((cell) => line.slice(cell.start, cell.end)) };
  });
  const header = rows[0]!;
  if (header.cells.length < 2) return;
  const isHeader =
    header.texts.every((text) => text === '' || (HEADER_CELL.test(text) && !looksLikeCode(text))) &&
    header.texts.some((text) => STATUS_HEADER.test(text) || CODE_HEADER.test(text));
  if (!isHeader) return;
  const body = rows
    .map((row, index) => ({ ...row, index: from + index }))
    .slice(1)
    .filter((row) => !(delimiter === '|' && isMarkdownRule(row.line)));
  // A spreadsheet may drop a row's empty cells at its end; a row with more cells than the header is no row of it.
  if (body.length === 0 || body.some((row) => row.cells.length > header.cells.length)) return;

  const statusColumn = header.texts.findIndex((text) => STATUS_HEADER.test(text.replace(/\?$/, '')));
  let codeColumn = header.texts.findIndex(
    (text, column) => column !== statusColumn && CODE_HEADER.test(text),
  );
  if (codeColumn < 0) {
    // No header names the codes: the column whose cells look like codes holds them.
    let best = 0;
    for (let column = 0; column < header.cells.length; column++) {
      if (column === statusColumn) continue;
      const count = body.filter((row) => looksLikeCode(row.texts[column]!)).length;
      if (count > best) [best, codeColumn] = [count, column];
    }
  }
  if (codeColumn < 0) return;

  for (let index = from; index < to; index++) plans[index] = { keep: { start: 0, end: 0 } };
  for (const row of body) {
    const status = statusColumn < 0 ? undefined : (row.texts[statusColumn] ?? '').trim();
    plans[row.index] = {
      keep: row.cells[codeColumn] ?? { start: 0, end: 0 },
      used: status === undefined ? undefined : !NOT_USED_STATUS.test(status),
    };
  }
}
