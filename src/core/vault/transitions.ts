/**
 * Code state transitions. Each function returns a new code (the input is never mutated) and throws
 * SpareError('invalid-transition') when the move is not allowed:
 *
 *   unused ──reserve──▶ reserved ──confirm──▶ used
 *     ▲  ◀───release───────┘                   │
 *     └────────────── by hand ─────────────────┘   (and unused → used by hand)
 */
import { pageAddress } from '../domain';
import { SpareError } from '../errors';
import type {
  Account,
  AccountSummary,
  Code,
  CodeActor,
  CodeState,
  NewCode,
  ReservationHolder,
  RetiredCode,
} from './model';

function refuse(code: Code, to: CodeState, how: string): never {
  throw new SpareError('invalid-transition', `A ${code.state} code cannot be ${how} (→ ${to}).`);
}

function event(from: CodeState, to: CodeState, at: string, by: CodeActor, on?: string) {
  return on === undefined ? { at, from, to, by } : { at, from, to, on, by };
}

/** Strips reservation and use details, so each state carries only its own fields. */
function bare(code: Code): Code {
  const {
    usedAt: _usedAt,
    usedOn: _usedOn,
    reservedAt: _reservedAt,
    reservedBy: _reservedBy,
    ...rest
  } = code;
  return rest;
}

/** A fill (the default) or a copy in the popup (`by` 'copy') holds the code until it is confirmed or released. */
export function reserveCode(code: Code, holder: ReservationHolder, at: string, by: CodeActor = 'fill'): Code {
  if (code.state !== 'unused') refuse(code, 'reserved', 'reserved');
  return {
    ...bare(code),
    state: 'reserved',
    reservedAt: at,
    reservedBy: { ...holder },
    history: [...code.history, event('unused', 'reserved', at, by)],
  };
}

/** Whether a reserved code is held by a copy in the popup rather than by a page. */
export function isCopied(code: Code): boolean {
  return code.state === 'reserved' && code.reservedBy?.copied === true;
}

/**
 * The user answered "Did you use …?" for a code they copied: used (now) or back to unused. Only a code a
 * copy still holds can be answered; a page's reservation is the page's to confirm or release.
 */
export function answerCopied(code: Code, used: boolean, at: string): Code {
  if (!isCopied(code)) refuse(code, used ? 'used' : 'unused', 'answered as copied');
  if (!used)
    return {
      ...bare(code),
      state: 'unused',
      history: [...code.history, event('reserved', 'unused', at, 'copy')],
    };
  return {
    ...bare(code),
    state: 'used',
    usedAt: at,
    history: [...code.history, event('reserved', 'used', at, 'copy')],
  };
}

/** A code of a replaced set, for the history: its value goes, what happened to it stays. */
export function retireCode(code: Code): RetiredCode {
  const retired: RetiredCode = { id: code.id, state: code.state, history: code.history };
  if (code.usedAt !== undefined) retired.usedAt = code.usedAt;
  if (code.usedOn !== undefined) retired.usedOn = code.usedOn;
  return retired;
}

/** A reserved code goes back to unused: the user left the page without submitting, or the tab closed. */
export function releaseCode(code: Code, at: string, by: CodeActor = 'fill'): Code {
  if (code.state !== 'reserved') refuse(code, 'unused', 'released');
  return { ...bare(code), state: 'unused', history: [...code.history, event('reserved', 'unused', at, by)] };
}

/** The form holding a filled code was submitted on `pageUrl`; only its origin and path are kept. */
export function confirmCode(code: Code, pageUrl: string, at: string): Code {
  if (code.state !== 'reserved') refuse(code, 'used', 'confirmed as used');
  const on = pageAddress(pageUrl);
  return {
    ...bare(code),
    state: 'used',
    usedAt: at,
    usedOn: on,
    history: [...code.history, event('reserved', 'used', at, 'fill', on)],
  };
}

export function markUsedByHand(code: Code, at: string): Code {
  if (code.state !== 'unused') refuse(code, 'used', 'marked used by hand');
  return {
    ...bare(code),
    state: 'used',
    usedAt: at,
    history: [...code.history, event('unused', 'used', at, 'hand')],
  };
}

export function markUnusedByHand(code: Code, at: string): Code {
  if (code.state !== 'used') refuse(code, 'unused', 'marked unused by hand');
  return { ...bare(code), state: 'unused', history: [...code.history, event('used', 'unused', at, 'hand')] };
}

/** A fresh code record; `by` says where it came from (typed in, imported, or a replacement set). */
export function createCode(input: NewCode, id: string, at: string, by: CodeActor): Code {
  if (input.used) {
    const usedAt = input.usedAt ?? at;
    const code: Code = {
      id,
      value: input.value,
      state: 'used',
      usedAt,
      history: [{ at, from: null, to: 'used', by }],
    };
    if (input.usedOn !== undefined) code.usedOn = pageAddress(input.usedOn);
    return code;
  }
  return { id, value: input.value, state: 'unused', history: [{ at, from: null, to: 'unused', by }] };
}

/** "N of M left": every code not used counts, a reserved one included (design §4.6). */
export function codesLeft(account: Pick<Account, 'codes'>): number {
  return account.codes.reduce((n, c) => (c.state === 'used' ? n : n + 1), 0);
}

/** The next code to offer: the first unused one in the site's order. */
export function nextUnusedCode(account: Pick<Account, 'codes'>): Code | undefined {
  return account.codes.find((c) => c.state === 'unused');
}

export function summarize(account: Account): AccountSummary {
  const summary: AccountSummary = {
    id: account.id,
    site: account.site,
    left: codesLeft(account),
    total: account.codes.length,
    createdAt: account.createdAt,
    updatedAt: account.updatedAt,
  };
  if (account.label !== undefined) summary.label = account.label;
  if (account.note !== undefined) summary.note = account.note;
  return summary;
}

/** Replaces one code of an account, returning a new account with `updatedAt` moved to `at`. */
export function withCode(account: Account, next: Code, at: string): Account {
  const index = account.codes.findIndex((c) => c.id === next.id);
  if (index < 0) throw new SpareError('not-found', 'That code is not in this account.');
  const codes = account.codes.slice();
  codes[index] = next;
  return { ...account, codes, updatedAt: at };
}

/**
 * Codes compare by value ignoring spaces and dashes, so restoring the same sheet twice adds nothing. Case is
 * kept: some sites' codes are case-sensitive, and a duplicate is cheaper than a lost code.
 */
export function codeKey(value: string): string {
  return value.replace(/[\s-]+/g, '');
}
