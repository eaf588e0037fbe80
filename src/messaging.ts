/**
 * The one message protocol between Spare's contexts (design §2, §3).
 *
 * Three senders, three request unions:
 * - `PageRequest`: extension page → background (the popup, the e2e lab). Trusted: may do everything.
 * - `OfferRequest`: the offer page (`offer.html`, framed inside a web page) → background. Every request names
 *   the offer's nonce, which the background issued to one content script in one tab and frame; it may read
 *   the accounts of that tab's site and ask for one fill after a trusted gesture. It never receives a code.
 * - `ContentRequest`: content script → background. May load the offer, open one, and confirm or release the
 *   code the background filled into its own frame. It can never reserve a code by itself.
 * And two the other way: `ContentCommand` (background → one content-script frame: check or perform a fill,
 * close the offer) and the vault events told to extension pages.
 *
 * Every message is schema-checked here by hand-written validators before a handler sees it, and its sender is
 * classified from what the browser reports (never from the message). Errors cross the boundary as
 * `{ ok: false, error: { code, message } }`; the typed clients turn them back into `SpareError`s.
 */
import { browser, type Browser } from 'wxt/browser';
import { SpareError, isSpareError, type SpareErrorCode } from './core/errors';
import type { Account, AccountSummary, NewCode } from './core/vault/model';
import type { ClearOutcome, ClipboardFingerprint } from './core/clipboard';

export type VaultState = 'no-vault' | 'locked' | 'unlocked';
export type RestoreMode = 'merge' | 'replace';

/**
 * The auto-lock choices the popup offers. 0 is "when the browser restarts": no idle timer; the data key lives
 * in `storage.session`, which the browser empties when it quits, so a restart locks (and the OS lock still does).
 */
export const AUTO_LOCK_PRESETS = [1, 5, 15, 60, 0] as const;
export type AutoLockMinutes = (typeof AUTO_LOCK_PRESETS)[number];

export interface Settings {
  /** Lock after this many minutes without vault use; 0: only when the browser restarts (or the OS locks). */
  autoLockMinutes: AutoLockMinutes;
  /** Sync with this browser's account (issue 11). Changed only by `sync-enable` / `sync-disable`. */
  sync: boolean;
}

/**
 * Sync with the browser's account (issue 11), as the popup shows it. `usedBytes` is the size of the last
 * layout Spare planned (null before the first), against the engine's `quotaBytes`.
 */
export type SyncStatus =
  | { enabled: false }
  | {
      enabled: true;
      state: 'synced' | 'pending' | 'locked';
      usedBytes: number | null;
      quotaBytes: number;
    }
  | {
      enabled: true;
      state: 'paused';
      reason: 'quota' | 'rate-limit' | 'error' | 'other-vault' | 'password-changed';
      /** When writes are tried again (ms since the epoch); null: not until the cause is gone. */
      retryAt: number | null;
      usedBytes: number | null;
      quotaBytes: number;
    };

/** A reserved code, handed out exactly once per request. */
export interface Reservation {
  accountId: string;
  codeId: string;
  code: string;
  site: string;
  /** Counted after the reservation: the reserved code still counts as left. */
  left: number;
  total: number;
}

export interface CodeCount {
  accountId: string;
  left: number;
  total: number;
}

/** A code the user copied in the popup, asked about once at the next opening: "Did you use … on …?" */
export interface CopyQuestion {
  accountId: string;
  codeId: string;
  site: string;
  label?: string;
  /** Shown in the question: the popup is a trusted page and shows codes anyway. */
  code: string;
}

export interface RestoreResult {
  accountsAdded: number;
  accountsUpdated: number;
  codesAdded: number;
}

export interface NewAccount {
  site: string;
  label?: string;
  note?: string;
  codes: NewCode[];
}

export interface AccountChanges {
  site?: string;
  label?: string;
  note?: string;
}

/** What the background will do about a code the popup just copied; the popup says exactly this. */
export interface ClipboardClearPlan {
  /** The clipboard is cleared this long after the copy, and at once if the vault locks first. */
  clearAfterMs: number;
  /**
   * Whether Spare may read the clipboard (the optional `clipboardRead` permission) and so leaves it alone
   * when it no longer holds the code. Without it the clipboard is emptied whatever it holds by then.
   */
  checksFirst: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// page → background
// ---------------------------------------------------------------------------------------------------------

export type PageRequest =
  | { type: 'status' }
  | { type: 'create-vault'; password: string }
  /**
   * First run on a new machine: a vault is created from an encrypted backup file, with that file's password
   * as its master password. All or nothing: a wrong password or a damaged file leaves no vault behind.
   */
  | { type: 'create-vault-from-backup'; text: string; password: string }
  | { type: 'unlock'; password: string }
  | { type: 'lock' }
  | { type: 'change-password'; oldPassword: string; newPassword: string }
  | { type: 'get-settings' }
  | { type: 'update-settings'; settings: Partial<Settings> }
  | { type: 'list-accounts' }
  /** How many account records could not be read at unlock (set aside, kept on disk, left out of exports). */
  | { type: 'unreadable-accounts' }
  /** Summaries of the accounts whose site matches a page URL (for the popup's header). */
  | { type: 'accounts-for-url'; url: string }
  | { type: 'get-account'; accountId: string }
  | { type: 'add-account'; account: NewAccount }
  | { type: 'update-account'; accountId: string; changes: AccountChanges }
  | { type: 'delete-account'; accountId: string }
  | { type: 'mark-code'; accountId: string; codeId: string; used: boolean }
  | { type: 'replace-codes'; accountId: string; codes: NewCode[] }
  /**
   * Adds codes to an existing account (Add account found one with the same site and name): codes it already
   * holds are skipped, and the ones it has keep their state and history.
   */
  | { type: 'add-codes'; accountId: string; codes: NewCode[] }
  /**
   * The popup has put this code on the clipboard: the background clears it later. Ids, not the code: the
   * background takes the code from its own vault and keeps only a fingerprint of it. An unused code is also
   * reserved for the copy (issue 9), so the popup asks at its next opening whether it was used.
   */
  | { type: 'code-copied'; accountId: string; codeId: string }
  /**
   * The copied codes not asked about yet ("Did you use …?"), marked as asked: the popup asks once, when it
   * opens on the list.
   */
  | { type: 'take-copy-questions' }
  /** The answer to "Did you use …?": used (now) or back to unused. */
  | { type: 'answer-copy-question'; accountId: string; codeId: string; used: boolean }
  /** Encrypted backup file text; the master password is asked again and the file is encrypted with it. */
  | { type: 'export-backup'; password: string }
  /** Plain sheet (spare-plain JSON and the accounts), after re-entering the master password. */
  | { type: 'export-plain'; password: string }
  | { type: 'restore-backup'; text: string; password: string; mode: RestoreMode }
  | { type: 'import-plain'; text: string; mode: RestoreMode }
  /** Sync with this browser's account (issue 11): its state, for Settings and the list's paused notice. */
  | { type: 'sync-status' }
  /**
   * Turns sync on. `password`: the master password of the vault another device synced to this browser, to
   * join it ('sync-other-vault' asks for it). On a first run (no vault here) it creates this device's vault.
   */
  | { type: 'sync-enable'; password?: string }
  | { type: 'sync-disable' }
  /** First run: whether this browser's sync holds a Spare vault to join. */
  | { type: 'sync-available' };

export interface PageResponses {
  status: { state: VaultState };
  'create-vault': { state: VaultState };
  'create-vault-from-backup': { state: VaultState; result: RestoreResult };
  unlock: { state: VaultState };
  lock: { state: VaultState };
  'change-password': null;
  'get-settings': Settings;
  'update-settings': Settings;
  'list-accounts': AccountSummary[];
  'unreadable-accounts': { count: number };
  'accounts-for-url': AccountSummary[];
  'get-account': Account;
  'add-account': Account;
  'update-account': Account;
  'delete-account': null;
  'mark-code': Account;
  'replace-codes': Account;
  /** `added`: how many of the codes were new to the account. */
  'add-codes': { account: Account; added: number };
  'code-copied': ClipboardClearPlan;
  'take-copy-questions': CopyQuestion[];
  'answer-copy-question': CodeCount;
  /** `unreadable`: accounts that could not be read, so the file leaves them out. */
  'export-backup': { text: string; fileName: string; unreadable: number };
  'export-plain': { json: string; accounts: Account[]; unreadable: number };
  'restore-backup': RestoreResult;
  'import-plain': RestoreResult;
  'sync-status': SyncStatus;
  'sync-enable': SyncStatus;
  'sync-disable': SyncStatus;
  'sync-available': { available: boolean };
}

export type PageRequestType = PageRequest['type'];

// ---------------------------------------------------------------------------------------------------------
// content → background
// ---------------------------------------------------------------------------------------------------------

/** What the detector said about the focused field (src/detect). */
export type FieldKind = 'backup-code' | 'one-time-code';

export type ContentRequest =
  /** Inject the lazy part (detector, offer, fill) into the sending frame; the eager script is tiny. */
  | { type: 'content:load-offer' }
  /** A code field got focus: may Spare offer a code here? Answers with a fresh nonce for one offer. */
  | { type: 'content:open-offer'; kind: FieldKind }
  /** The page submitted the field that holds the filled code. */
  | { type: 'content:confirm'; accountId: string; codeId: string }
  /** The page left, or the user changed the field, without a submit: the code goes back to unused. */
  | { type: 'content:release'; accountId: string; codeId: string };

/** Null: nothing to offer on this page (the vault is unlocked and has no account for this site). */
export type OfferTicket = { nonce: string; state: 'locked' | 'unlocked' } | null;

export interface ContentResponses {
  'content:load-offer': null;
  'content:open-offer': OfferTicket;
  'content:confirm': CodeCount;
  'content:release': CodeCount;
}

export type ContentRequestType = ContentRequest['type'];

// ---------------------------------------------------------------------------------------------------------
// offer page → background
// ---------------------------------------------------------------------------------------------------------

export type OfferRequest =
  | { type: 'offer:state'; nonce: string }
  /** A trusted click or Enter inside the offer: fill the next unused code of this account into the field. */
  | { type: 'offer:fill'; nonce: string; accountId: string }
  /** Escape or the Close button: close the offer and give focus back to the field. */
  | { type: 'offer:close'; nonce: string };

export interface OfferAccount {
  id: string;
  label?: string;
  left: number;
  total: number;
}

export interface OfferState {
  state: VaultState;
  /** The registrable domain of the tab's page: what the offer names. */
  site: string;
  kind: FieldKind;
  /** Empty while locked: the site list is inside the ciphertext. */
  accounts: OfferAccount[];
  /** Where new codes are made, from the site's adapter (shown when few are left). */
  regenerate?: { url?: string; steps?: string };
}

export interface OfferResponses {
  'offer:state': OfferState;
  'offer:fill': CodeCount;
  'offer:close': null;
}

export type OfferRequestType = OfferRequest['type'];

// ---------------------------------------------------------------------------------------------------------
// background → one content-script frame
// ---------------------------------------------------------------------------------------------------------

export type ContentCommand =
  /** May a code be filled now? The content script runs every fill check, without a code. */
  | { type: 'background:check-fill'; nonce: string }
  /** Fill exactly this code into the field that asked for offer `nonce`, after the same checks. */
  | { type: 'background:fill'; nonce: string; code: string; accountId: string; codeId: string }
  | { type: 'background:close-offer'; nonce: string };

/** A content script's answer to a command: `reason` says why it refused, for the offer to show. */
export type CommandResult = { ok: true } | { ok: false; reason: string };

// ---------------------------------------------------------------------------------------------------------
// envelope
// ---------------------------------------------------------------------------------------------------------

export interface WireError {
  code: SpareErrorCode;
  message: string;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: WireError };

function unwrap<T>(envelope: unknown): T {
  if (typeof envelope === 'object' && envelope !== null && 'ok' in envelope) {
    const e = envelope as Envelope<T>;
    if (e.ok) return e.value;
    throw new SpareError(e.error.code, e.error.message);
  }
  // No listener answered, or something that is not our router did.
  throw noAnswer();
}

function noAnswer(cause?: unknown): SpareError {
  return new SpareError('no-answer', 'The background did not answer. Reload the extension and try again.', {
    cause,
  });
}

/** Typed client for extension pages (popup, options, offer page). Throws `SpareError`. */
export async function sendPageRequest<R extends PageRequest>(request: R): Promise<PageResponses[R['type']]> {
  return unwrap<PageResponses[R['type']]>(await browser.runtime.sendMessage(request));
}

/** Typed client for the content script. Throws `SpareError`. */
export async function sendContentRequest<R extends ContentRequest>(
  request: R,
): Promise<ContentResponses[R['type']]> {
  // A rejection here is the transport failing (the service worker stopped mid-request), never a refusal: those
  // come back as envelopes. Callers that must be heard (a confirm) send again on 'no-answer'.
  const answer: unknown = await browser.runtime.sendMessage(request).catch((error: unknown) => {
    throw noAnswer(error);
  });
  return unwrap<ContentResponses[R['type']]>(answer);
}

/** Typed client for the offer page. Throws `SpareError`. */
export async function sendOfferRequest<R extends OfferRequest>(
  request: R,
): Promise<OfferResponses[R['type']]> {
  return unwrap<OfferResponses[R['type']]>(await browser.runtime.sendMessage(request));
}

// ---------------------------------------------------------------------------------------------------------
// background → extension pages
// ---------------------------------------------------------------------------------------------------------

/**
 * Told to every open extension page when the vault locks (by hand, the idle timer or the OS), so that a popup
 * showing codes hides them at once instead of at its next request; and when it unlocks or its accounts change,
 * so that an open offer shows the accounts and counts at once. Carries nothing secret.
 */
export interface VaultEvent {
  type: 'background:vault-locked' | 'background:vault-changed';
}

/**
 * Extension pages framed in web pages (the offer) hear vault events over a port: Firefox does not deliver
 * `runtime.sendMessage` broadcasts to them.
 */
export const VAULT_EVENTS_PORT = 'spare-vault-events';
const eventPorts = new Set<Browser.runtime.Port>();

/** Background: accepts event ports from the extension's own pages. Register at start-up. */
export function acceptVaultEventPorts(): void {
  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== VAULT_EVENTS_PORT || port.sender?.id !== browser.runtime.id) return;
    eventPorts.add(port);
    port.onDisconnect.addListener(() => eventPorts.delete(port));
  });
}

/** Sends the event to every open extension page; none being open is not an error. */
function broadcast(event: VaultEvent): void {
  void Promise.resolve(browser.runtime.sendMessage(event)).catch(() => undefined);
  for (const port of eventPorts) {
    try {
      port.postMessage(event);
    } catch {
      eventPorts.delete(port);
    }
  }
}

/** Extension page: calls `listener` on every vault event, over a port to the background. */
export function listenToVaultEvents(listener: (type: VaultEvent['type']) => void): void {
  const port = browser.runtime.connect({ name: VAULT_EVENTS_PORT });
  port.onMessage.addListener((message: unknown) => {
    if (
      isRecord(message) &&
      typeof message.type === 'string' &&
      message.type.startsWith('background:vault-')
    ) {
      listener(message.type as VaultEvent['type']);
    }
  });
}

export const broadcastVaultLocked = () => broadcast({ type: 'background:vault-locked' });
export const broadcastVaultChanged = () => broadcast({ type: 'background:vault-changed' });

/**
 * Calls `listener` when the background reports the vault locked. Only the extension itself counts as a
 * sender: a content script's message carries `sender.tab` and is ignored. Returns the unsubscribe function.
 */
export function onVaultLocked(listener: () => void): () => void {
  const handle = (message: unknown, sender: { id?: string; tab?: unknown }): undefined => {
    if (sender.id !== browser.runtime.id || sender.tab !== undefined) return undefined;
    if (isRecord(message) && message.type === 'background:vault-locked') listener();
    // No answer: this listener must never claim a request meant for the background's router.
    return undefined;
  };
  browser.runtime.onMessage.addListener(handle);
  return () => browser.runtime.onMessage.removeListener(handle);
}

// ---------------------------------------------------------------------------------------------------------
// background → Chrome's offscreen document
// ---------------------------------------------------------------------------------------------------------

/**
 * Chrome's service worker has no clipboard: it asks its offscreen document (src/offscreen) to clear it. The
 * command carries a fingerprint of the code, never the code.
 */
export interface OffscreenCommand {
  type: 'background:clear-clipboard';
  /** Clear only while the clipboard holds this; null: clear whatever it holds. */
  onlyIf: ClipboardFingerprint | null;
}

const CLEAR_OUTCOMES: readonly ClearOutcome[] = ['cleared', 'kept', 'unreadable'];

/** Background: sends the command to the offscreen document (which must exist) and returns its outcome. */
export async function sendOffscreenCommand(command: OffscreenCommand): Promise<ClearOutcome> {
  const outcome = unwrap<unknown>(await browser.runtime.sendMessage(command));
  if (typeof outcome !== 'string' || !CLEAR_OUTCOMES.includes(outcome as ClearOutcome)) {
    throw new SpareError('storage-failed', 'The offscreen document gave no clipboard outcome.');
  }
  return outcome as ClearOutcome;
}

/**
 * Offscreen document: answers the background's commands. Only the extension itself counts as a sender (a
 * content script's message carries `sender.tab`); anything else gets no answer, so it cannot claim a
 * request meant for another listener.
 */
export function answerOffscreenCommands(run: (command: OffscreenCommand) => Promise<ClearOutcome>): void {
  browser.runtime.onMessage.addListener(
    (
      message: unknown,
      sender: { id?: string; tab?: unknown },
    ): Promise<Envelope<ClearOutcome>> | undefined => {
      if (sender.id !== browser.runtime.id || sender.tab !== undefined) return undefined;
      const command = parseOffscreenCommand(message);
      if (!command) return undefined;
      return run(command).then(
        (value) => ({ ok: true, value }),
        (error: unknown) => ({ ok: false, error: toWireError(error) }),
      );
    },
  );
}

// ---------------------------------------------------------------------------------------------------------
// validation (hand-written: no dependency, and strict: unknown keys are refused)
// ---------------------------------------------------------------------------------------------------------

const MAX_PASSWORD = 1024;
const MAX_ID = 128;
const MAX_SITE = 253;
const MAX_TEXT_FIELD = 1000;
const MAX_URL = 4096;
const MAX_CODE = 256;
const MAX_CODES = 1000;
const MAX_FILE = 20 * 1024 * 1024;

type Check = (value: unknown) => boolean;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str =
  (max: number, min = 1): Check =>
  (v) =>
    typeof v === 'string' && v.length >= min && v.length <= max;
const bool: Check = (v) => typeof v === 'boolean';
const oneOf =
  (...values: string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v);
const arrayOf =
  (check: Check, max: number): Check =>
  (v) =>
    Array.isArray(v) && v.length <= max && v.every(check);
/** An object with exactly these keys; keys marked optional (suffix `?`) may be absent (not undefined-valued). */
const shape =
  (fields: Record<string, Check>): Check =>
  (v) => {
    if (!isRecord(v)) return false;
    const allowed = new Map<string, { check: Check; optional: boolean }>();
    for (const [key, check] of Object.entries(fields)) {
      const optional = key.endsWith('?');
      allowed.set(optional ? key.slice(0, -1) : key, { check, optional });
    }
    for (const key of Object.keys(v)) if (!allowed.has(key)) return false;
    for (const [key, { check, optional }] of allowed) {
      if (!(key in v)) {
        if (optional) continue;
        return false;
      }
      if (!check(v[key])) return false;
    }
    return true;
  };

interface Schemas {
  page: { [K in PageRequestType]: Check };
  content: { [K in ContentRequestType]: Check };
  offer: { [K in OfferRequestType]: Check };
  command: { [K in ContentCommand['type']]: Check };
  offscreen: { [K in OffscreenCommand['type']]: Check };
}

// Built on first use, not at import: the content script imports this module for its client function only,
// and module-level calls would keep every validator in its bundle (a bundler cannot prove them pure).
let schemas: Schemas | null = null;

function buildSchemas(): Schemas {
  const id = str(MAX_ID);
  const isoDate: Check = (v) => typeof v === 'string' && v.length <= 64 && !Number.isNaN(Date.parse(v));
  const newCode = shape({ value: str(MAX_CODE), 'used?': bool, 'usedAt?': isoDate, 'usedOn?': str(MAX_URL) });
  const codes = arrayOf(newCode, MAX_CODES);
  const restoreMode = oneOf('merge', 'replace');

  const page: { [K in PageRequestType]: Check } = {
    status: shape({ type: str(32) }),
    'create-vault': shape({ type: str(32), password: str(MAX_PASSWORD) }),
    'create-vault-from-backup': shape({ type: str(32), text: str(MAX_FILE), password: str(MAX_PASSWORD) }),
    unlock: shape({ type: str(32), password: str(MAX_PASSWORD) }),
    lock: shape({ type: str(32) }),
    'change-password': shape({
      type: str(32),
      oldPassword: str(MAX_PASSWORD),
      newPassword: str(MAX_PASSWORD),
    }),
    'get-settings': shape({ type: str(32) }),
    'update-settings': shape({
      type: str(32),
      settings: shape({ 'autoLockMinutes?': (v) => (AUTO_LOCK_PRESETS as readonly unknown[]).includes(v) }),
    }),
    'list-accounts': shape({ type: str(32) }),
    'sync-status': shape({ type: str(32) }),
    'sync-enable': shape({ type: str(32), 'password?': str(MAX_PASSWORD) }),
    'sync-disable': shape({ type: str(32) }),
    'sync-available': shape({ type: str(32) }),
    'unreadable-accounts': shape({ type: str(32) }),
    'accounts-for-url': shape({ type: str(32), url: str(MAX_URL) }),
    'get-account': shape({ type: str(32), accountId: id }),
    'add-account': shape({
      type: str(32),
      account: shape({
        site: str(MAX_SITE),
        'label?': str(MAX_TEXT_FIELD, 0),
        'note?': str(MAX_TEXT_FIELD, 0),
        codes,
      }),
    }),
    'update-account': shape({
      type: str(32),
      accountId: id,
      changes: shape({
        'site?': str(MAX_SITE),
        'label?': str(MAX_TEXT_FIELD, 0),
        'note?': str(MAX_TEXT_FIELD, 0),
      }),
    }),
    'delete-account': shape({ type: str(32), accountId: id }),
    'mark-code': shape({ type: str(32), accountId: id, codeId: id, used: bool }),
    'replace-codes': shape({ type: str(32), accountId: id, codes }),
    'add-codes': shape({ type: str(32), accountId: id, codes }),
    'code-copied': shape({ type: str(32), accountId: id, codeId: id }),
    'take-copy-questions': shape({ type: str(32) }),
    'answer-copy-question': shape({ type: str(32), accountId: id, codeId: id, used: bool }),
    'export-backup': shape({ type: str(32), password: str(MAX_PASSWORD) }),
    'export-plain': shape({ type: str(32), password: str(MAX_PASSWORD) }),
    'restore-backup': shape({
      type: str(32),
      text: str(MAX_FILE),
      password: str(MAX_PASSWORD),
      mode: restoreMode,
    }),
    'import-plain': shape({ type: str(32), text: str(MAX_FILE), mode: restoreMode }),
  };

  const content: { [K in ContentRequestType]: Check } = {
    'content:load-offer': shape({ type: str(32) }),
    'content:open-offer': shape({ type: str(32), kind: oneOf('backup-code', 'one-time-code') }),
    'content:confirm': shape({ type: str(32), accountId: id, codeId: id }),
    'content:release': shape({ type: str(32), accountId: id, codeId: id }),
  };
  const nonce = str(MAX_ID, 16);
  const offer: { [K in OfferRequestType]: Check } = {
    'offer:state': shape({ type: str(32), nonce }),
    'offer:fill': shape({ type: str(32), nonce, accountId: id }),
    'offer:close': shape({ type: str(32), nonce }),
  };
  const command: { [K in ContentCommand['type']]: Check } = {
    'background:check-fill': shape({ type: str(32), nonce }),
    'background:fill': shape({ type: str(32), nonce, code: str(MAX_CODE), accountId: id, codeId: id }),
    'background:close-offer': shape({ type: str(32), nonce }),
  };
  const fingerprint = shape({ salt: str(64), digest: str(64) });
  const offscreen: { [K in OffscreenCommand['type']]: Check } = {
    'background:clear-clipboard': shape({ type: str(32), onlyIf: (v) => v === null || fingerprint(v) }),
  };
  return { page, content, offer, command, offscreen };
}

const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** Returns the request if it is a well-formed page request, else null. */
export function parsePageRequest(message: unknown): PageRequest | null {
  const { page } = (schemas ??= buildSchemas());
  if (!isRecord(message) || typeof message.type !== 'string' || !hasOwn(page, message.type)) return null;
  return page[message.type as PageRequestType](message) ? (message as PageRequest) : null;
}

/** Returns the request if it is a well-formed content request, else null. */
export function parseContentRequest(message: unknown): ContentRequest | null {
  return parseWith((schemas ??= buildSchemas()).content, message) as ContentRequest | null;
}

/** Returns the request if it is a well-formed offer-page request, else null. */
export function parseOfferRequest(message: unknown): OfferRequest | null {
  return parseWith((schemas ??= buildSchemas()).offer, message) as OfferRequest | null;
}

/** Returns the command if it is a well-formed background → content command, else null. */
export function parseContentCommand(message: unknown): ContentCommand | null {
  return parseWith((schemas ??= buildSchemas()).command, message) as ContentCommand | null;
}

/** Returns the command if it is a well-formed background → offscreen command, else null. */
export function parseOffscreenCommand(message: unknown): OffscreenCommand | null {
  return parseWith((schemas ??= buildSchemas()).offscreen, message) as OffscreenCommand | null;
}

function parseWith(table: Record<string, Check>, message: unknown): unknown {
  if (!isRecord(message) || typeof message.type !== 'string' || !hasOwn(table, message.type)) return null;
  return table[message.type]!(message) ? message : null;
}

// ---------------------------------------------------------------------------------------------------------
// sender verification and the background router
// ---------------------------------------------------------------------------------------------------------

/** The parts of `runtime.MessageSender` the router relies on (Chrome and Firefox both report these). */
export interface SenderInfo {
  id?: string;
  url?: string;
  frameId?: number;
  /** Chrome only: 'prerender', 'active', 'cached' or 'pending_deletion'. */
  documentLifecycle?: string;
  tab?: { id?: number; url?: string };
}

export interface ExtensionIdentity {
  id: string;
  /** The extension's own origin with a trailing slash, as `runtime.getURL('')` returns it. */
  baseUrl: string;
}

/** What the background knows for sure about a content-script sender. */
export interface ContentSender {
  tabId: number;
  frameId: number;
  /** The tab's top-level page. */
  topUrl: string;
  /** The document that sent the message (the top page, or a frame in it). */
  frameUrl: string;
}

/** The offer page framed in a web page: its tab, its own frame, and the tab's top-level page. */
export interface OfferSender {
  tabId: number;
  frameId: number;
  topUrl: string;
}

export type SenderKind =
  | { kind: 'page'; tabId?: number }
  | { kind: 'offer'; sender: OfferSender }
  | { kind: 'content'; sender: ContentSender };

const EXTENSION_SCHEMES = ['chrome-extension:', 'moz-extension:', 'safari-web-extension:', 'extension:'];
/** The one extension page that web pages may frame (web_accessible_resources); it gets the offer's rights only. */
export const OFFER_PAGE_PATH = '/offer.html';

// The sender's fields come from the browser, but they are still checked for type: a field of another type
// refuses the sender instead of throwing (the message fuzzer found an array URL reaching `startsWith`).
function parseUrl(url: unknown): URL | null {
  if (typeof url !== 'string' || !url) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

const isIndex = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function webUrl(url: unknown): URL | null {
  const parsed = parseUrl(url);
  return parsed && (parsed.protocol === 'https:' || parsed.protocol === 'http:') ? parsed : null;
}

/**
 * Decides who sent a message from what the browser reports. Anything that is neither one of our extension
 * pages nor one of our content scripts in a web page is refused, and so is a document the browser reports as
 * not active (prerendered or in the back/forward cache): it is not what the user sees.
 */
export function classifySender(sender: SenderInfo, self: ExtensionIdentity): SenderKind | null {
  if (sender.id !== self.id) return null;
  if (sender.documentLifecycle !== undefined && sender.documentLifecycle !== 'active') return null;
  const url = parseUrl(sender.url);
  if (!url) return null;
  if (sender.frameId !== undefined && !isIndex(sender.frameId)) return null;
  const tab = sender.tab;
  const tabId = isIndex(tab?.id) ? tab.id : undefined;
  if (EXTENSION_SCHEMES.includes(url.protocol)) {
    // Chrome serves web-accessible pages under a per-session host (use_dynamic_url), so the offer page is
    // known by its path; `sender.id` already proved the extension is ours.
    if (url.pathname === OFFER_PAGE_PATH) {
      const top = webUrl(tab?.url);
      if (tabId === undefined || !top || sender.frameId === undefined || sender.frameId <= 0) return null;
      return { kind: 'offer', sender: { tabId, frameId: sender.frameId, topUrl: top.href } };
    }
    if (!sender.url!.startsWith(self.baseUrl)) return null;
    return tabId !== undefined ? { kind: 'page', tabId } : { kind: 'page' };
  }
  if (!webUrl(sender.url)) return null;
  const top = webUrl(tab?.url);
  if (tabId === undefined || !top) return null;
  const frameId = sender.frameId ?? 0;
  return { kind: 'content', sender: { tabId, frameId, topUrl: top.href, frameUrl: url.href } };
}

export type PageHandlers = {
  [K in PageRequestType]: (
    request: Extract<PageRequest, { type: K }>,
    sender: { tabId?: number },
  ) => Promise<PageResponses[K]>;
};

export type ContentHandlers = {
  [K in ContentRequestType]: (
    request: Extract<ContentRequest, { type: K }>,
    sender: ContentSender,
  ) => Promise<ContentResponses[K]>;
};

export type OfferHandlers = {
  [K in OfferRequestType]: (
    request: Extract<OfferRequest, { type: K }>,
    sender: OfferSender,
  ) => Promise<OfferResponses[K]>;
};

export type Router = (message: unknown, sender: SenderInfo) => Promise<Envelope<unknown>>;

function fail(code: SpareErrorCode, message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

/** Turns any thrown value into a wire error; only `SpareError` messages cross, never a raw stack or cause. */
export function toWireError(error: unknown): WireError {
  if (isSpareError(error)) return { code: error.code, message: error.message };
  return { code: 'storage-failed', message: 'Something went wrong in the background. Try again.' };
}

/**
 * Builds the background's single `runtime.onMessage` handler. It checks the sender, then the schema, then
 * calls the handler for that request type; it never throws and always answers with an `Envelope`. Each kind of
 * sender may only make its own kind of request.
 */
export function createRouter(
  self: ExtensionIdentity,
  handlers: { page: PageHandlers; content: ContentHandlers; offer: OfferHandlers },
): Router {
  const dispatch = async (sender: SenderKind, message: unknown): Promise<Envelope<unknown>> => {
    const [request, handler, from] =
      sender.kind === 'page'
        ? [parsePageRequest(message), handlers.page, { tabId: sender.tabId }]
        : sender.kind === 'offer'
          ? [parseOfferRequest(message), handlers.offer, sender.sender]
          : [parseContentRequest(message), handlers.content, sender.sender];
    if (!request) {
      // Another kind's request is refused as a sender problem, not a schema one.
      const elsewhere =
        parsePageRequest(message) ?? parseOfferRequest(message) ?? parseContentRequest(message);
      return elsewhere
        ? fail('forbidden-sender', 'This sender may not make this request.')
        : fail('invalid-message', 'Malformed request.');
    }
    const run = (handler as Record<string, (r: unknown, s: unknown) => Promise<unknown>>)[request.type]!;
    return { ok: true, value: await run(request, from) };
  };
  return async (message, senderInfo) => {
    try {
      const sender = classifySender(senderInfo, self);
      if (!sender) return fail('forbidden-sender', 'This sender may not talk to Spare.');
      return await dispatch(sender, message);
    } catch (error) {
      return { ok: false, error: toWireError(error) };
    }
  };
}
