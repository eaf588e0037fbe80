/**
 * KeePassXC's CSV export (Database → Export → "CSV File…"): every cell quoted, header "Group", "Title",
 * "Username", "Password", "URL", "Notes", then (since 2.6) "TOTP", "Icon", "Last Modified", "Created". The
 * CSV has no custom attributes, so codes come from the notes. The .kdbx database itself is encrypted and
 * refused with a pointer to the CSV export. Sources: tests/fixtures/exports/README.md.
 */
import { csvHeader, readCsvTable } from './csv';
import type { ExportContent } from './content';
import { accountsFromItems, type ExportItem } from './items';
import { corruptExport } from './messages';
import type { ExportReader } from './types';

const REQUIRED = ['Group', 'Title', 'Username', 'Password', 'URL', 'Notes'];

const looksLikeKeePassXc = (text: string) => {
  const header = csvHeader(text);
  return header[0] === 'Group' && REQUIRED.every((column) => header.includes(column));
};

export const keePassXcReader: ExportReader = {
  format: 'keepassxc',
  recognises: (content: ExportContent) => content.kind === 'text' && looksLikeKeePassXc(content.text),
  read(content: ExportContent) {
    if (content.kind !== 'text') throw corruptExport('keepassxc', 'it is not CSV text');
    const table = readCsvTable(content.text, (detail) => corruptExport('keepassxc', detail));
    const items = table.records.map((record): ExportItem => ({
      title: table.cell(record, 'Title'),
      urls: [table.cell(record, 'URL')],
      username: table.cell(record, 'Username'),
      notes: table.cell(record, 'Notes'),
      fields: [],
    }));
    return { accounts: accountsFromItems(items), itemsRead: items.length };
  },
};
