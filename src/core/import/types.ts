/** The types every export reader shares; re-exported by ./index. */
import type { ParsedCode } from '../codes';
import type { ExportContent } from './content';

export type ExportFormat = 'bitwarden' | '1pux' | 'keepassxc' | 'protonpass' | 'lastpass';

export const EXPORT_FORMATS: readonly ExportFormat[] = [
  'bitwarden',
  '1pux',
  'keepassxc',
  'protonpass',
  'lastpass',
];

export interface FoundAccount {
  /** The item's title in the password manager, shown in the preview. */
  title: string;
  /**
   * Registrable domain from the item's URLs (design §4.2); when it has none usable, the site its codes'
   * text names (as `parseBackupCodes` reveals it); else null.
   */
  site: string | null;
  /** Account name: the item's username/e-mail if any, else ''. */
  label: string;
  /** Codes parsed with parseBackupCodes (site passed when known), used ones marked. */
  codes: ParsedCode[];
}

export interface ExportReadResult {
  format: ExportFormat;
  accounts: FoundAccount[];
  /** Items the export holds (logins, notes, cards…), whether or not they had codes. */
  itemsRead: number;
}

/** Exports and what their zips expand to are refused above this: 50 MB. */
export const MAX_EXPORT_BYTES = 50 * 1024 * 1024;

/** One format: how to recognise its content, and how to read it. */
export interface ExportReader {
  format: ExportFormat;
  /** Is this content this format's export (encrypted or not)? Cheap: looks at structure, not at every item. */
  recognises(content: ExportContent): boolean;
  /** Reads it; throws 'export-encrypted' for an encrypted export, 'export-corrupt' for a damaged one. */
  read(content: ExportContent): { accounts: FoundAccount[]; itemsRead: number };
}
