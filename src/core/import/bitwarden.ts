/**
 * Bitwarden's JSON export (Tools → Export vault → "JSON"): `{ encrypted: false, folders, items }`, or
 * `collections` instead of `folders` from an organisation. Each item has `name`, `notes`, custom `fields`
 * (`{ name, value, type }`) and, for a login, `login.uris[].uri` and `login.username`. "JSON (Encrypted)"
 * writes `encrypted: true` with either encrypted item strings (account-restricted) or `passwordProtected:
 * true` and one encrypted `data` blob; both are refused. Sources: tests/fixtures/exports/README.md.
 */
import { isRecord, stringOf, type ExportContent } from './content';
import { accountsFromItems, type ExportField, type ExportItem } from './items';
import { corruptExport, encryptedExport } from './messages';
import type { ExportReader } from './types';

function looksLikeBitwarden(value: unknown): value is Record<string, unknown> {
  return (
    isRecord(value) &&
    typeof value['encrypted'] === 'boolean' &&
    ('items' in value || value['passwordProtected'] === true || 'encKeyValidation_DO_NOT_EDIT' in value)
  );
}

function itemOf(raw: Record<string, unknown>): ExportItem {
  const login = isRecord(raw['login']) ? raw['login'] : {};
  const uris = Array.isArray(login['uris']) ? login['uris'] : [];
  const fields = Array.isArray(raw['fields']) ? raw['fields'] : [];
  return {
    title: stringOf(raw, 'name'),
    urls: uris.filter(isRecord).map((uri) => stringOf(uri, 'uri')),
    username: stringOf(login, 'username'),
    notes: stringOf(raw, 'notes'),
    fields: fields
      .filter(isRecord)
      .map((field): ExportField => ({ name: stringOf(field, 'name'), value: stringOf(field, 'value') })),
  };
}

export const bitwardenReader: ExportReader = {
  format: 'bitwarden',
  recognises: (content: ExportContent) => content.kind === 'json' && looksLikeBitwarden(content.value),
  read(content: ExportContent) {
    if (content.kind !== 'json' || !looksLikeBitwarden(content.value)) {
      throw corruptExport('bitwarden', 'it has no list of items');
    }
    const value = content.value;
    if (value['encrypted'] !== false) throw encryptedExport('bitwarden');
    const items = value['items'];
    if (!Array.isArray(items)) throw corruptExport('bitwarden', 'it has no list of items');
    const records = items.filter(isRecord);
    return { accounts: accountsFromItems(records.map(itemOf)), itemsRead: records.length };
  },
};
