/**
 * What the account screen says about its codes, as pure functions: which code comes first, how each code's
 * state reads (on screen and to a screen reader: "Code 3, used on 12 March"), and how each history event reads.
 * Dates use the browser's UI language, like the messages around them.
 */
import { t } from '../../i18n';
import type { Code, CodeEvent, EarlierSet, RetiredCode } from '../../core/vault/model';
import { formatUsedOn, leftText, supplyOf } from './accounts';

/** The browser's UI language (what `t` translates into), for `Intl`; the runtime default when unknown. */
export function uiLocale(): string | undefined {
  const scope = globalThis as unknown as { browser?: I18nApi; chrome?: I18nApi };
  try {
    return (scope.browser ?? scope.chrome)?.i18n?.getUILanguage?.() || undefined;
  } catch {
    return undefined;
  }
}
interface I18nApi {
  i18n?: { getUILanguage?: () => string };
}

/** "12 March" (in the UI language's own order), with the year when it is not this year's. */
export function formatDay(iso: string | undefined, now = new Date()): string {
  if (!iso) return '';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  const sameYear = new Date(time).getFullYear() === now.getFullYear();
  return new Intl.DateTimeFormat(uiLocale(), {
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(time);
}

/** A stored time with the day and the time of day, in the UI language; an unreadable one as stored. */
export function formatDateTime(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Intl.DateTimeFormat(uiLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(time);
}

export interface NumberedCode {
  code: Code;
  /** The code's place in the site's order, from 1: what the buttons and the screen reader call it. */
  number: number;
}

export interface ArrangedCodes {
  /** The code to use now, shown first and large; null when none is left. */
  next: NumberedCode | null;
  /** Every other code not used yet, in the site's order. */
  others: NumberedCode[];
  used: NumberedCode[];
}

/**
 * The next unused code first, then the other codes not used yet in their order, then the used ones. `pinnedId`
 * keeps a code first while the screen is open (the one just copied stays where the user pressed Copy).
 */
export function arrangeCodes(codes: readonly Code[], pinnedId: string | null = null): ArrangedCodes {
  const numbered = codes.map((code, index) => ({ code, number: index + 1 }));
  const pinned = numbered.find((c) => c.code.id === pinnedId && c.code.state !== 'used');
  const next = pinned ?? numbered.find((c) => c.code.state === 'unused') ?? null;
  return {
    next,
    others: numbered.filter((c) => c !== next && c.code.state !== 'used'),
    used: numbered.filter((c) => c.code.state === 'used'),
  };
}

/** How a code got to be used: the last event that made it so. */
function lastUse(code: Pick<Code, 'history'>): CodeEvent | undefined {
  for (let i = code.history.length - 1; i >= 0; i--)
    if (code.history[i]!.to === 'used') return code.history[i];
  return undefined;
}

/** A code's state in words: "unused", "used on 12 March", "marked used by hand on 12 March", … */
export function codeStatus(code: Code): string {
  if (code.state === 'unused') return t('account.status.unused');
  if (code.state === 'reserved') {
    return code.reservedBy?.copied ? t('account.status.copied') : t('account.status.filling');
  }
  if (!code.usedAt) return t('account.status.used');
  const date = formatDay(code.usedAt);
  if (lastUse(code)?.by === 'hand') return t('account.status.usedByHand', { date });
  return code.usedOn
    ? t('account.status.usedOnPage', { date, page: formatUsedOn(code.usedOn) })
    : t('account.status.usedOn', { date });
}

/** What a screen reader says for a code's list item: "Code 3, unused". */
export function codeItemLabel({ code, number }: NumberedCode): string {
  return t('account.codes.item', { number: String(number), status: codeStatus(code) });
}

/** "9 of 10 left", with one plain warning when few or none are left. */
export function leftSentence(left: number, total: number): string {
  const values = { left: String(left), total: String(total) };
  const supply = supplyOf(left, total);
  if (supply === 'empty') return t('account.leftEmpty', values);
  if (supply === 'low') return t('account.leftLow', values);
  return leftText(left, total);
}

/** One event in a code's history, in plain words ("marked used by hand", "used at instagram.com/…"). */
export function eventText(event: CodeEvent): string {
  if (event.from === null) {
    const used = event.to === 'used';
    if (event.by === 'import')
      return used ? t('account.history.importedUsed') : t('account.history.imported');
    if (event.by === 'replace') return used ? t('account.history.newSetUsed') : t('account.history.newSet');
    return used ? t('account.history.addedUsed') : t('account.history.added');
  }
  if (event.to === 'reserved') {
    return event.by === 'copy' ? t('account.history.copied') : t('account.history.filled');
  }
  if (event.by === 'copy') {
    return event.to === 'used' ? t('account.history.copyUsed') : t('account.history.copyUnused');
  }
  if (event.by === 'hand') {
    if (event.to === 'used') return t('account.history.handUsed');
    return event.from === 'reserved' ? t('account.history.handReleased') : t('account.history.handUnused');
  }
  if (event.to === 'used') {
    return event.on
      ? t('account.history.usedAt', { page: formatUsedOn(event.on) })
      : t('account.history.used');
  }
  return event.by === 'tab-closed' ? t('account.history.tabClosed') : t('account.history.pageLeft');
}

export interface HistoryEntry {
  at: string;
  number: number;
  text: string;
}

/** Every event of a set of codes, newest first. */
export function historyOf(codes: readonly Pick<RetiredCode, 'history'>[]): HistoryEntry[] {
  return codes
    .flatMap((code, index) =>
      code.history.map((event) => ({
        at: event.at,
        number: index + 1,
        text: t('account.history.line', { number: String(index + 1), what: eventText(event) }),
      })),
    )
    .sort((a, b) => b.at.localeCompare(a.at));
}

/** The earlier sets, newest first, each with its events. */
export function earlierHistory(sets: readonly EarlierSet[] | undefined) {
  return (sets ?? []).map((set) => ({ replacedAt: set.replacedAt, entries: historyOf(set.codes) })).reverse();
}
