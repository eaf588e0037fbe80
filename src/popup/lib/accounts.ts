/**
 * List helpers for the main view: wording of counts, the low-codes warning, and search. They run once per
 * account per render, so they stay allocation-light (the list must render 1,000 accounts in under 100 ms).
 */
import type { AccountSummary } from '../../core/vault/model';
import { t } from '../../i18n';

/** At or below this many codes left, the list warns that the user should generate new ones soon. */
export const FEW_CODES_LEFT = 2;

export type Supply = 'ok' | 'low' | 'empty';

export function supplyOf(left: number, total: number): Supply {
  if (left <= 0) return 'empty';
  // A set of one or two codes is what the site gave; warn only when the user has been using them up.
  if (left <= FEW_CODES_LEFT && left < total) return 'low';
  return 'ok';
}

export function leftText(left: number, total: number): string {
  return t('main.left', { left: String(left), total: String(total) });
}

/** "1 account could not be read", "3 accounts could not be read": records set aside at unlock (issue 8). */
export function unreadableText(count: number): string {
  return t('main.unreadable', count);
}

/** Said after an export: the accounts that could not be read are not in it. */
export function leftOutText(count: number): string {
  return t('main.leftOut', count);
}

/** An account as a sentence names it: "alice on github.com", or the site alone when it has no name. */
export function accountName(account: { site: string; label?: string }): string {
  return account.label ? t('main.accountOn', { label: account.label, site: account.site }) : account.site;
}

/**
 * The accounts of the site the popup was opened on first (in their own order), then the rest: the list's
 * answer to "give me the next code" on a login page.
 */
export function currentSiteFirst<T extends Pick<AccountSummary, 'id'>>(
  accounts: readonly T[],
  currentIds: ReadonlySet<string>,
): T[] {
  if (currentIds.size === 0) return accounts.slice();
  const current: T[] = [];
  const rest: T[] = [];
  for (const account of accounts) (currentIds.has(account.id) ? current : rest).push(account);
  return [...current, ...rest];
}

/** The name shown for an account: its label when it has one, else its site. */
export function accountTitle(account: { site: string; label?: string }): string {
  return account.label ? `${account.site} — ${account.label}` : account.site;
}

/** Case-insensitive substring search over site, label and note; every word of the query must match. */
export function filterAccounts<T extends Pick<AccountSummary, 'site' | 'label' | 'note'>>(
  accounts: readonly T[],
  query: string,
): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return accounts.slice();
  return accounts.filter((account) => {
    const haystack = `${account.site}\n${account.label ?? ''}\n${account.note ?? ''}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

/** Alphabetical by site, then label, so accounts of one site sit together. */
export function sortAccounts<T extends Pick<AccountSummary, 'site' | 'label'>>(accounts: readonly T[]): T[] {
  const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  return accounts
    .slice()
    .sort((a, b) => collator.compare(a.site, b.site) || collator.compare(a.label ?? '', b.label ?? ''));
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A stored ISO timestamp shown in the user's locale; an unreadable one is shown as stored. */
export function formatWhen(iso: string | undefined): string {
  if (!iso) return '';
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : dateTime.format(time);
}

/** The page a code was used on, shortened to its host and path (query strings can carry tokens). */
export function formatUsedOn(url: string | undefined): string {
  if (!url) return '';
  try {
    const parsed = new URL(url);
    return parsed.host + (parsed.pathname === '/' ? '' : parsed.pathname);
  } catch {
    return url;
  }
}

/** Bullets in place of a code's characters, keeping its length hidden too. */
export const MASKED_CODE = '••••••••';
