/**
 * CSV as password managers write it (RFC 4180): fields separated by commas, quoted when they hold a comma,
 * a quote or a line break, quotes doubled inside. Notes span lines inside quotes.
 */
import { SpareError } from '../errors';

export class CsvError extends Error {}

/** Every record, the header included. Throws CsvError on a quote that never closes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    // A blank line (one empty field) is no record.
    if (row.length > 1 || row[0] !== '') rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += char;
      }
      i++;
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === ',') endField();
    else if (char === '\n') endRow();
    else if (char === '\r') {
      if (text[i + 1] !== '\n') endRow();
    } else field += char;
    i++;
  }
  if (quoted) throw new CsvError('a quoted field never ends');
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/** The first line of the text as CSV cells, for recognising a format by its header; [] if it has none. */
export function csvHeader(text: string): string[] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  try {
    return parseCsv(firstLine)[0]?.map((cell) => cell.trim()) ?? [];
  } catch {
    return [];
  }
}

export interface CsvTable {
  /** The records after the header. */
  records: string[][];
  /** A cell by column name ('' when the record is short or the column missing). */
  cell(record: readonly string[], column: string): string;
}

/** The table under its header; `corrupt` makes the format's "damaged" error. */
export function readCsvTable(text: string, corrupt: (detail: string) => SpareError): CsvTable {
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (error) {
    throw corrupt(error instanceof CsvError ? error.message : 'its CSV cannot be read');
  }
  const [header = [], ...records] = rows;
  const index = new Map(header.map((name, i) => [name.trim().toLowerCase(), i] as const));
  return {
    records,
    cell: (record, column) => {
      const at = index.get(column.toLowerCase());
      return at === undefined ? '' : (record[at] ?? '');
    },
  };
}
