/**
 * Proton Pass exports (Settings → Export):
 * - "ZIP" (also "PEX"): a zip holding `Proton Pass/data.json`, `{ version, userId, encrypted, vaults: { [shareId]:
 *   { name, items: [...] } } }`. Each item has `state` (2 = in the trash), `data.metadata.name` and `.note`,
 *   `data.extraFields[]` (`{ fieldName, type: 'text' | 'hidden' | 'totp' | 'timestamp', data: { content } }`) and,
 *   for a login, `data.content.urls[]` (newer: also `autofillUrls[].url`), `itemUsername`, `itemEmail` (older
 *   exports: `username`).
 * - "CSV": columns type, name, url (several joined by ", "), email, username, password, note, totp, createTime,
 *   modifyTime, vault. Custom fields are not in it.
 * - "PGP" (also "EPEX"): the zip, encrypted to a passphrase as an armored OpenPGP message: refused (./content.ts
 *   spots it; so does `encrypted: true`).
 * Sources: tests/fixtures/exports/README.md.
 */
import { isRecord, parseJson, stringOf, type ExportContent } from './content';
import { csvHeader, readCsvTable } from './csv';
import { accountsFromItems, type ExportField, type ExportItem } from './items';
import { corruptExport, encryptedExport } from './messages';
import type { ExportReader } from './types';
import { readZipEntry } from './zip';

const DATA_ENTRY = /^Proton Pass\/data\.json$/;
const ENCRYPTED_ENTRY = /^Proton Pass\/data\.pgp$/;
const TRASHED = 2;
/** Extra-field kinds a person types text into; 'totp' holds a TOTP secret and is never read. */
const TEXT_FIELD_TYPES = new Set(['text', 'hidden']);
const CSV_COLUMNS = ['type', 'name', 'url', 'username', 'password', 'note', 'totp'];

const looksLikeProtonJson = (value: unknown): value is Record<string, unknown> =>
  isRecord(value) && isRecord(value['vaults']) && ('userId' in value || 'version' in value);

const looksLikeProtonCsv = (text: string) => {
  const header = csvHeader(text);
  return (
    CSV_COLUMNS.every((column) => header.includes(column)) &&
    (header.includes('vault') || header.includes('createTime'))
  );
};

const recordsIn = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter(isRecord) : [];

function itemOf(raw: Record<string, unknown>): ExportItem {
  const data = isRecord(raw['data']) ? raw['data'] : {};
  const metadata = isRecord(data['metadata']) ? data['metadata'] : {};
  const content = isRecord(data['content']) ? data['content'] : {};
  const urls = [
    ...(Array.isArray(content['urls']) ? content['urls'].filter((url) => typeof url === 'string') : []),
    // Newer exports: `autofillUrls: [{ url, mode }]`, `urls` kept for older readers.
    ...recordsIn(content['autofillUrls']).map((entry) => stringOf(entry, 'url')),
  ];
  return {
    title: stringOf(metadata, 'name'),
    urls,
    username:
      stringOf(content, 'itemUsername') || stringOf(content, 'username') || stringOf(content, 'itemEmail'),
    notes: stringOf(metadata, 'note'),
    fields: recordsIn(data['extraFields'])
      .filter((field) => TEXT_FIELD_TYPES.has(stringOf(field, 'type')))
      .map((field): ExportField => ({
        name: stringOf(field, 'fieldName'),
        value: isRecord(field['data']) ? stringOf(field['data'], 'content') : '',
      })),
  };
}

function readJson(value: unknown) {
  if (!looksLikeProtonJson(value)) throw corruptExport('protonpass', 'its data.json has no vaults');
  if (value['encrypted'] === true) throw encryptedExport('protonpass');
  const items = Object.values(value['vaults'] as Record<string, unknown>)
    .filter(isRecord)
    .flatMap((vault) => recordsIn(vault['items']))
    .filter((item) => item['state'] !== TRASHED);
  return { accounts: accountsFromItems(items.map(itemOf)), itemsRead: items.length };
}

function readCsv(text: string) {
  const table = readCsvTable(text, (detail) => corruptExport('protonpass', detail));
  const items = table.records.map((record): ExportItem => ({
    title: table.cell(record, 'name'),
    urls: table.cell(record, 'url').split(/,\s*/),
    username: table.cell(record, 'username') || table.cell(record, 'email'),
    notes: table.cell(record, 'note'),
    fields: [],
  }));
  return { accounts: accountsFromItems(items), itemsRead: items.length };
}

export const protonPassReader: ExportReader = {
  format: 'protonpass',
  recognises: (content: ExportContent) =>
    (content.kind === 'zip' &&
      content.entries.some((e) => DATA_ENTRY.test(e.name) || ENCRYPTED_ENTRY.test(e.name))) ||
    (content.kind === 'json' && looksLikeProtonJson(content.value)) ||
    (content.kind === 'text' && looksLikeProtonCsv(content.text)),
  read(content: ExportContent) {
    if (content.kind === 'json') return readJson(content.value);
    if (content.kind === 'text') return readCsv(content.text);
    if (content.kind !== 'zip') throw corruptExport('protonpass', 'it is neither a zip nor CSV');
    const entry = content.entries.find((e) => DATA_ENTRY.test(e.name));
    if (!entry) {
      if (content.entries.some((e) => ENCRYPTED_ENTRY.test(e.name))) throw encryptedExport('protonpass');
      throw corruptExport('protonpass', 'it has no data.json');
    }
    const text = new TextDecoder('utf-8').decode(readZipEntry(content.bytes, entry)).replace(/^\ufeff/, '');
    return readJson(parseJson(text, () => corruptExport('protonpass', 'its data.json is not valid JSON')));
  },
};
