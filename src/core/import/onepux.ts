/**
 * 1Password's .1pux export (1Password 8: File → Export → "1PUX"): a zip with `export.attributes` and
 * `export.data`, the JSON `{ accounts: [{ attrs, vaults: [{ attrs, items: [...] }] }] }`. Each item has
 * `overview.title`, `overview.url` and `overview.urls[].url`; `details.loginFields[]` (the one with
 * `designation: "username"` is the user name), `details.notesPlain`, and `details.sections[]` whose
 * `fields[]` each have a `title` and a `value` keyed by its kind (`string`, `concealed`, `totp`, `url`…).
 * The format has no encrypted variant. Sources: tests/fixtures/exports/README.md.
 */
import { isRecord, parseJson, stringOf, type ExportContent } from './content';
import { accountsFromItems, type ExportField, type ExportItem } from './items';
import { corruptExport } from './messages';
import type { ExportReader } from './types';
import { readZipEntry } from './zip';

const DATA_ENTRY = 'export.data';

const recordsIn = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter(isRecord) : [];

const looksLikeExportData = (value: unknown): value is Record<string, unknown> =>
  isRecord(value) &&
  Array.isArray(value['accounts']) &&
  recordsIn(value['accounts']).some((a) => 'vaults' in a);

/**
 * The text a section field holds, for the kinds a person types codes into. A `totp` value is the TOTP
 * secret itself and is never read; neither are dates, addresses or references.
 */
function fieldText(value: unknown): string {
  if (!isRecord(value)) return '';
  return stringOf(value, 'string') || stringOf(value, 'concealed');
}

function itemOf(raw: Record<string, unknown>): ExportItem {
  const overview = isRecord(raw['overview']) ? raw['overview'] : {};
  const details = isRecord(raw['details']) ? raw['details'] : {};
  const loginFields = recordsIn(details['loginFields']);
  const fields: ExportField[] = [];
  for (const section of recordsIn(details['sections'])) {
    const sectionTitle = stringOf(section, 'title');
    for (const field of recordsIn(section['fields'])) {
      const value = fieldText(field['value']);
      // A section titled "Backup codes" may hold one code per field ("Code 1", "Code 2"…).
      if (value !== '') fields.push({ name: `${sectionTitle} ${stringOf(field, 'title')}`.trim(), value });
    }
  }
  return {
    title: stringOf(overview, 'title'),
    urls: [stringOf(overview, 'url'), ...recordsIn(overview['urls']).map((url) => stringOf(url, 'url'))],
    username: stringOf(loginFields.find((field) => field['designation'] === 'username') ?? {}, 'value'),
    notes: stringOf(details, 'notesPlain'),
    fields,
  };
}

function readExportData(value: unknown) {
  if (!looksLikeExportData(value)) throw corruptExport('1pux', 'its export.data has no accounts');
  const items = recordsIn(value['accounts'])
    .flatMap((account) => recordsIn(account['vaults']))
    .flatMap((vault) => recordsIn(vault['items']))
    // Items of 1Password 8's early exports sit one level down, as `{ item: {...} }`.
    .map((entry) => (isRecord(entry['item']) ? entry['item'] : entry));
  return { accounts: accountsFromItems(items.map(itemOf)), itemsRead: items.length };
}

export const onePuxReader: ExportReader = {
  format: '1pux',
  recognises: (content: ExportContent) =>
    (content.kind === 'zip' && content.entries.some((entry) => entry.name === DATA_ENTRY)) ||
    (content.kind === 'json' && looksLikeExportData(content.value)),
  read(content: ExportContent) {
    if (content.kind === 'json') return readExportData(content.value);
    const entry = content.kind === 'zip' ? content.entries.find((e) => e.name === DATA_ENTRY) : undefined;
    if (content.kind !== 'zip' || !entry) throw corruptExport('1pux', 'it has no export.data');
    const text = new TextDecoder('utf-8').decode(readZipEntry(content.bytes, entry));
    return readExportData(parseJson(text, () => corruptExport('1pux', 'its export.data is not valid JSON')));
  },
};
