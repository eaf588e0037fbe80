/**
 * What every export reader hands over, and how an item becomes a FoundAccount (issue 10 §2). Readers copy
 * only the item's title, URLs, user name, notes and custom fields into an ExportItem; this module keeps
 * only the title, the site, the user name and backup codes. Passwords and TOTP secrets never enter an
 * ExportItem, and a custom field's value survives only as the codes parsed from it.
 */
import { parseBackupCodes, type ParsedCode } from '../codes';
import { registrableDomain } from '../domain';
import { BACKUP_TEXT } from '../../detect/lexicon';
import { normaliseText } from '../../detect/text';
import type { FoundAccount } from './types';

export interface ExportField {
  /** The field's name as the user typed it ("Recovery codes", "Backup-Codes"). */
  name: string;
  value: string;
}

export interface ExportItem {
  title: string;
  urls: readonly string[];
  username: string;
  notes: string;
  fields: readonly ExportField[];
}

/**
 * A note without a "backup codes" heading holds a code list only when it has this many codes: one or two
 * numbers in a note are a PIN, a customer number or a phone extension far more often than backup codes.
 */
const MIN_CODES_IN_UNLABELLED_NOTE = 3;

/** The registrable domain of the first URL that has one (design §4.2); null when none does. */
export function siteFromUrls(urls: readonly string[]): string | null {
  for (const url of urls) {
    const trimmed = url.trim();
    if (trimmed === '') continue;
    const site = registrableDomain(trimmed);
    if (site) return site;
  }
  return null;
}

/** Does a field name or heading say "backup codes", "recovery codes", "Wiederherstellungscodes"…? */
export function namesBackupCodes(text: string): boolean {
  return BACKUP_TEXT.test(normaliseText(text));
}

/** The item as Spare keeps it, or null when its notes and fields hold no backup codes. */
export function accountFromItem(item: ExportItem): FoundAccount | null {
  const urlSite = siteFromUrls(item.urls);
  const parse = (text: string) => parseBackupCodes(text, urlSite ? { site: urlSite } : {});

  let textSite: string | null = null;
  const codes: ParsedCode[] = [];
  const take = (found: ParsedCode[]) => {
    for (const code of found) {
      if (!codes.some((kept) => kept.code === code.code)) codes.push({ code: code.code, used: code.used });
    }
  };

  for (const field of item.fields) {
    if (field.value.trim() === '' || !namesBackupCodes(field.name)) continue;
    const result = parse(field.value);
    take(result.codes);
    textSite ??= result.site;
  }
  if (item.notes.trim() !== '') {
    const result = parse(item.notes);
    const labelled = namesBackupCodes(item.notes);
    if (result.codes.length >= (labelled ? 1 : MIN_CODES_IN_UNLABELLED_NOTE)) {
      take(result.codes);
      textSite ??= result.site;
    }
  }
  if (codes.length === 0) return null;
  return {
    title: item.title.trim(),
    site: urlSite ?? textSite,
    label: item.username.trim(),
    codes,
  };
}

/** Reads every item, keeping the accounts that have codes. */
export function accountsFromItems(items: readonly ExportItem[]): FoundAccount[] {
  return items.map(accountFromItem).filter((account): account is FoundAccount => account !== null);
}
