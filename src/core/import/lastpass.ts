/**
 * LastPass's CSV export (Advanced Options → Export → "LastPass CSV File"): columns url, username, password,
 * totp, extra, name, grouping, fav (`totp` since 2021; older exports lack it). `extra` is a login's notes.
 * A secure note has url "http://sn"; a typed one ("Server", "Database", a custom type…) writes its fields
 * into `extra` as `NoteType:<type>` then one `Name:value` line each, "Notes:" last with the free text.
 * LastPass exports are never encrypted. Sources: tests/fixtures/exports/README.md.
 */
import { csvHeader, readCsvTable } from './csv';
import type { ExportContent } from './content';
import { accountsFromItems, type ExportField, type ExportItem } from './items';
import { corruptExport } from './messages';
import type { ExportReader } from './types';

const REQUIRED = ['url', 'username', 'password', 'extra', 'name', 'grouping'];
const SECURE_NOTE_URL = 'http://sn';

const looksLikeLastPass = (text: string) => {
  const header = csvHeader(text);
  return REQUIRED.every((column) => header.includes(column));
};

/** A typed secure note's `extra`: its fields, and the free text after "Notes:". */
function typedNote(extra: string): { notes: string; fields: ExportField[] } {
  const lines = extra.split(/\r?\n/);
  const fields: ExportField[] = [];
  let notes: string[] | null = null;
  for (const line of lines.slice(1)) {
    if (notes) {
      notes.push(line);
      continue;
    }
    const labelled = /^([^:\n]{1,60}):(.*)$/.exec(line);
    if (labelled?.[1] === 'Notes') notes = [labelled[2]!];
    else if (labelled) fields.push({ name: labelled[1]!, value: labelled[2]! });
    else if (fields.length > 0) fields[fields.length - 1]!.value += `\n${line}`;
  }
  return { notes: notes?.join('\n') ?? '', fields };
}

export const lastPassReader: ExportReader = {
  format: 'lastpass',
  recognises: (content: ExportContent) => content.kind === 'text' && looksLikeLastPass(content.text),
  read(content: ExportContent) {
    if (content.kind !== 'text') throw corruptExport('lastpass', 'it is not CSV text');
    const table = readCsvTable(content.text, (detail) => corruptExport('lastpass', detail));
    const items = table.records.map((record): ExportItem => {
      const url = table.cell(record, 'url');
      const extra = table.cell(record, 'extra');
      const isTypedNote = url === SECURE_NOTE_URL && extra.startsWith('NoteType:');
      return {
        title: table.cell(record, 'name'),
        urls: url === SECURE_NOTE_URL ? [] : [url],
        username: table.cell(record, 'username'),
        ...(isTypedNote ? typedNote(extra) : { notes: extra, fields: [] }),
      };
    });
    return { accounts: accountsFromItems(items), itemsRead: items.length };
  },
};
