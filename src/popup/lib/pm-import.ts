/**
 * Settings → "Import from a password manager" (issue 10 §2), the part that needs no DOM: reading the export
 * (loaded only when a file is chosen), turning what the reader found into preview rows, and turning the rows
 * the user kept into the existing `add-account` and `add-codes` requests.
 *
 * The export is read here, in the popup page: its bytes, which hold every password of the user's vault, never
 * cross a message. Only the chosen accounts' site, account name and codes go to the background.
 */
import { originsForSite } from '../../core/domain';
import { SpareError } from '../../core/errors';
import { t } from '../../i18n';
import { accountName } from './accounts';
import { checkSite, toNewCodes } from './preview';
import { FORMAT_NAMES } from '../../core/import/messages';
import { MAX_EXPORT_BYTES } from '../../core/import/types';
import type { ParsedCode } from '../../core/codes';
import type { ExportFormat, ExportReadResult, FoundAccount } from '../../core/import';
import type { AccountSummary } from '../../core/vault/model';
import type { NewAccount } from '../../messaging';
import type { NewCode } from '../../core/vault/model';

/**
 * The products' names (brand names, the same in every language) and the export size limit come from the
 * reader's small modules, never from its index: a static import of that would put the reader and fflate in
 * the Settings chunk.
 */
export const PRODUCT_NAMES = FORMAT_NAMES;
export { MAX_EXPORT_BYTES };

/** The format choice's labels; the choice itself defaults to recognising the format from the file's content. */
export const FORMAT_LABELS: Record<ExportFormat, string> = {
  bitwarden: 'Bitwarden (JSON)',
  '1pux': '1Password (.1pux)',
  keepassxc: 'KeePassXC (CSV)',
  protonpass: 'Proton Pass (ZIP, JSON, CSV)',
  lastpass: 'LastPass (CSV)',
};

/** The same bounds the message schema puts on an account (src/messaging.ts). */
const MAX_LABEL = 1000;
const MAX_CODES = 1000;

export type ReadOutcome = { ok: true; result: ExportReadResult } | { ok: false; error: unknown };

/**
 * Reads a chosen export file. The reader and its zip library load with `import()` here, on first use, so
 * neither the popup's first paint nor the Settings screen carries them. The copy of the file's bytes is
 * overwritten once read: what remains is the reader's result, which holds only titles, sites, names and codes.
 */
export async function readExportFile(file: File, format?: ExportFormat): Promise<ReadOutcome> {
  if (file.size > MAX_EXPORT_BYTES) {
    return { ok: false, error: new SpareError('export-too-large', 'The export is over 50 MB.') };
  }
  let bytes: Uint8Array | null = null;
  try {
    const [{ readPasswordManagerExport }, buffer] = await Promise.all([
      import('../../core/import'),
      file.arrayBuffer(),
    ]);
    bytes = new Uint8Array(buffer);
    const result = readPasswordManagerExport(bytes, { fileName: file.name, ...(format ? { format } : {}) });
    return { ok: true, result };
  } catch (error) {
    return { ok: false, error };
  } finally {
    bytes?.fill(0);
  }
}

/** One account of the preview: every item of the export that names the same site and account name. */
export interface ImportRow {
  key: string;
  /** The titles of the export's items that make up this account, in the export's order. */
  titles: string[];
  /** The site the reader found in the items' URLs, or null: then the user may type it. */
  site: string | null;
  label: string;
  codes: ParsedCode[];
  usedCount: number;
  /** What the user typed as the website of an item without one. */
  typedSite: string;
  /** Ticked: imported (for an account already in Spare: its new codes are merged into it). */
  selected: boolean;
}

const sameName = (a: string | undefined, b: string) => (a ?? '').toLowerCase() === b.toLowerCase();

/** The account of the vault with this site and account name (name compared without case, as Add account does). */
export function existingAccount(
  existing: readonly AccountSummary[],
  site: string | null,
  label: string,
): AccountSummary | null {
  if (!site) return null;
  return existing.find((account) => account.site === site && sameName(account.label, label)) ?? null;
}

/** The same code twice counts once; used wins, since a code used anywhere is used everywhere. */
function mergeCodes(into: ParsedCode[], codes: readonly ParsedCode[]): void {
  for (const code of codes) {
    const same = into.find((held) => held.code === code.code);
    if (!same) into.push({ code: code.code, used: code.used });
    else if (code.used) same.used = true;
  }
}

/**
 * The preview's rows: the reader's accounts grouped by site and account name (an export may hold one login in
 * two items, say the login and a secure note with its codes), sorted by site and name; items without a site
 * stay one row each, last.
 *
 * Default choice: a new account is ticked. An account already in Spare is skipped unless the user ticks it,
 * because the account in Spare is the one the user keeps up to date (it knows which codes were used since),
 * while a password manager's note is often a set the site has since replaced: regenerating codes invalidates
 * the old ones, and merging them would put codes the site refuses in front of the user at the next login.
 * Skip is also what a repeated import should do: importing the same export twice changes nothing. An item
 * without a site starts unticked: there is nothing to save it under until the user types one.
 */
export function buildRows(
  accounts: readonly FoundAccount[],
  existing: readonly AccountSummary[],
): ImportRow[] {
  const bySite = new Map<string, ImportRow>();
  const withoutSite: ImportRow[] = [];
  for (const found of accounts) {
    if (found.codes.length === 0) continue;
    const label = found.label.trim();
    const groupKey = found.site ? `${found.site}\n${label.toLowerCase()}` : null;
    const grouped = groupKey ? bySite.get(groupKey) : undefined;
    if (grouped) {
      if (found.title && !grouped.titles.includes(found.title)) grouped.titles.push(found.title);
      mergeCodes(grouped.codes, found.codes);
      continue;
    }
    const row: ImportRow = {
      key: groupKey ?? `\n${withoutSite.length}`,
      titles: found.title ? [found.title] : [],
      site: found.site,
      label,
      codes: [],
      usedCount: 0,
      typedSite: '',
      selected: found.site !== null && !existingAccount(existing, found.site, label),
    };
    mergeCodes(row.codes, found.codes);
    if (groupKey) bySite.set(groupKey, row);
    else withoutSite.push(row);
  }
  const rows = [...bySite.values()].sort(
    (a, b) => (a.site ?? '').localeCompare(b.site ?? '') || a.label.localeCompare(b.label),
  );
  for (const row of [...rows, ...withoutSite]) row.usedCount = row.codes.filter((code) => code.used).length;
  return [...rows, ...withoutSite];
}

/** The site a row is saved under: the export's, else what the user typed (null while that is no site). */
export function siteOfRow(row: ImportRow): string | null {
  return row.site ?? checkSite(row.typedSite).site;
}

/** Why the typed website cannot be saved, or null (nothing typed yet is no error). */
export function typedSiteError(row: ImportRow): string | null {
  return row.site ? null : checkSite(row.typedSite).error;
}

export function rowTitle(row: ImportRow): string {
  return row.titles.join(', ') || t('pmImport.untitled');
}

/** "alice on github.com"; a row without a site yet is named by its item's title. */
export function rowName(row: ImportRow): string {
  const site = siteOfRow(row);
  if (!site) return rowTitle(row);
  return accountName({ site, ...(row.label ? { label: row.label } : {}) });
}

/**
 * The line under a row's name: the item's title and its codes ("Item: GitHub · 16 codes, 1 used"). A row still
 * without a site is named by its title already, so its line gives the account name instead.
 */
export function rowDetails(row: ImportRow): string {
  const named = siteOfRow(row) ? t('pmImport.item', { title: rowTitle(row) }) : row.label;
  return named ? `${named} · ${codesText(row)}` : codesText(row);
}

/** "10 codes, 2 used" or "10 codes". */
export function codesText(row: Pick<ImportRow, 'codes' | 'usedCount'>): string {
  const codes = t('pmImport.codes', row.codes.length);
  return row.usedCount > 0 ? t('pmImport.codesUsed', { codes, used: String(row.usedCount) }) : codes;
}

/** "Bitwarden export: 12 items read, 4 accounts with backup codes." */
export function summaryText(result: ExportReadResult, rows: number): string {
  return t('pmImport.summary', {
    product: PRODUCT_NAMES[result.format],
    items: t('pmImport.items', result.itemsRead),
    accounts: t('pmImport.accounts', rows),
  });
}

export interface ImportPlan {
  creates: NewAccount[];
  merges: { accountId: string; codes: NewCode[] }[];
  /** Host access for every site that gets codes, asked for in one prompt in the Import click. */
  origins: string[];
}

export type PlanOutcome =
  | { ok: true; plan: ImportPlan }
  /** A ticked row has no site (or not a valid one): the user types it or unticks the row. */
  | { ok: false; missingSite: ImportRow };

/**
 * What Import sends for the ticked rows. Two ticked rows that end up with the same site and name (a typed
 * site equal to another row's) become one account; a row matching an account in Spare merges into it.
 */
export function planImport(rows: readonly ImportRow[], existing: readonly AccountSummary[]): PlanOutcome {
  const creates = new Map<string, NewAccount>();
  const merges = new Map<string, { accountId: string; codes: NewCode[] }>();
  const origins = new Set<string>();
  for (const row of rows) {
    if (!row.selected) continue;
    const site = siteOfRow(row);
    if (!site) return { ok: false, missingSite: row };
    const codes = toNewCodes(row.codes.slice(0, MAX_CODES));
    const label = row.label.slice(0, MAX_LABEL);
    for (const origin of originsForSite(site)) origins.add(origin);
    const same = existingAccount(existing, site, label);
    if (same) {
      const merge = merges.get(same.id) ?? { accountId: same.id, codes: [] };
      merge.codes.push(...codes.filter((code) => !merge.codes.some((held) => held.value === code.value)));
      merges.set(same.id, merge);
      continue;
    }
    const key = `${site}\n${label.toLowerCase()}`;
    const create = creates.get(key);
    if (create)
      create.codes.push(...codes.filter((code) => !create.codes.some((c) => c.value === code.value)));
    else creates.set(key, { site, ...(label ? { label } : {}), codes });
  }
  return {
    ok: true,
    plan: { creates: [...creates.values()], merges: [...merges.values()], origins: [...origins] },
  };
}

/**
 * "Imported 4 accounts (37 codes).", then the reminder of design §1 (story 9): backup codes kept beside the
 * passwords they protect turn two factors into one, so they should now leave the password manager.
 */
export function doneText(accounts: number, codes: number): string {
  const done = t('pmImport.done', accounts, { codes: t('pmImport.codes', codes) });
  return `${done} ${t('pmImport.deleteThere')}`;
}
