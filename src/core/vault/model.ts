/**
 * The vault's data model. Everything here lives inside ciphertext at rest (design §3): an account's site,
 * label, note and every code are sealed together in one record.
 */

export type CodeState = 'unused' | 'reserved' | 'used';

/** Who caused a state change; kept in each code's history so the user can see why a code is used. */
export type CodeActor = 'fill' | 'copy' | 'hand' | 'import' | 'replace' | 'tab-closed';

/** One state change of one code. `from` is null for the event that created the code. */
export interface CodeEvent {
  at: string;
  from: CodeState | null;
  to: CodeState;
  /** The page a filled code was used on. */
  on?: string;
  by: CodeActor;
}

/** Who holds a reservation: the tab (when there is one), the frame and the origin that asked. */
export interface ReservationHolder {
  tabId?: number;
  /** The frame inside the tab whose field holds the code. */
  frameId?: number;
  origin: string;
  /**
   * The browser session the reservation was made in. Tab ids start over after a browser restart, so a
   * reservation from an earlier session can never be confirmed: it is released at the next unlock.
   */
  session?: string;
  /**
   * Set when the user copied the code in the popup: no page holds it, so nothing releases it on a timer. The
   * popup asks "Did you use …?" once, at its next opening, and the answer settles it (issue 9).
   */
  copied?: true;
  /** The popup has asked about this copied code; it is not asked again (the account screen can still settle it). */
  asked?: true;
}

export interface Code {
  id: string;
  value: string;
  state: CodeState;
  usedAt?: string;
  usedOn?: string;
  reservedAt?: string;
  reservedBy?: ReservationHolder;
  history: CodeEvent[];
}

/**
 * A code of a set that was replaced, kept for the account's history (issue 9). Its value is not kept: the site
 * no longer accepts it, and a code that is not stored cannot leak.
 */
export type RetiredCode = Pick<Code, 'id' | 'state' | 'usedAt' | 'usedOn' | 'history'>;

/** A set of codes the user replaced with a new one: when, and what had happened to each code. */
export interface EarlierSet {
  replacedAt: string;
  codes: RetiredCode[];
}

export interface Account {
  id: string;
  /** Registrable domain (design §4.2), e.g. `instagram.com`. */
  site: string;
  /** Account name at the site (e.g. a user name); optional. */
  label?: string;
  note?: string;
  codes: Code[];
  /** Earlier sets, oldest first (absent until the first replace; not part of a backup). */
  earlierSets?: EarlierSet[];
  createdAt: string;
  updatedAt: string;
}

/** What a list needs about an account: never a code value. */
export interface AccountSummary {
  id: string;
  site: string;
  label?: string;
  note?: string;
  /** Codes not yet used; a reserved code still counts as left (design §4.6). */
  left: number;
  total: number;
  createdAt: string;
  updatedAt: string;
}

/** A code as it enters the vault (typed by hand, pasted, imported or restored). */
export interface NewCode {
  value: string;
  used?: boolean;
  usedAt?: string;
  usedOn?: string;
}
