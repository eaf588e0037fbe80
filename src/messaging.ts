/**
 * The one message protocol between Spare's contexts (design §2, §3).
 *
 * Two directions, two request unions:
 * - `PageRequest`: extension page → background (popup, options, offer page). Trusted: may do everything.
 * - `ContentRequest`: content script → background. May only reserve, confirm or release a code for its own
 *   tab's top-level origin, receives at most one code per request, and nothing while the vault is locked.
 *
 * Every message is schema-checked here by hand-written validators before a handler sees it, and its sender is
 * classified from what the browser reports (never from the message). Errors cross the boundary as
 * `{ ok: false, error: { code, message } }`; the typed clients turn them back into `SpareError`s.
 */
import { browser } from 'wxt/browser';
import { SpareError, isSpareError, type SpareErrorCode } from './core/errors';
import type { Account, AccountSummary, NewCode } from './core/vault/model';

export type VaultState = 'no-vault' | 'locked' | 'unlocked';
export type RestoreMode = 'merge' | 'replace';

export interface Settings {
  /** Lock after this many minutes without vault use; 0 turns the idle timer off (the OS lock still locks). */
  autoLockMinutes: number;
}

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

// ---------------------------------------------------------------------------------------------------------
// page → background
// ---------------------------------------------------------------------------------------------------------

export type PageRequest =
  | { type: 'status' }
  | { type: 'create-vault'; password: string }
  | { type: 'unlock'; password: string }
  | { type: 'lock' }
  | { type: 'change-password'; oldPassword: string; newPassword: string }
  | { type: 'get-settings' }
  | { type: 'update-settings'; settings: Partial<Settings> }
  | { type: 'list-accounts' }
  /** Summaries of the accounts whose site matches a page URL (for the offer page and the popup's header). */
  | { type: 'accounts-for-url'; url: string }
  | { type: 'get-account'; accountId: string }
  | { type: 'add-account'; account: NewAccount }
  | { type: 'update-account'; accountId: string; changes: AccountChanges }
  | { type: 'delete-account'; accountId: string }
  | { type: 'mark-code'; accountId: string; codeId: string; used: boolean }
  | { type: 'replace-codes'; accountId: string; codes: NewCode[] }
  | { type: 'reserve-code'; accountId: string; tabId?: number }
  | { type: 'confirm-code'; accountId: string; codeId: string; usedOn: string }
  | { type: 'release-code'; accountId: string; codeId: string }
  /** Encrypted backup file text; the master password is asked again and the file is encrypted with it. */
  | { type: 'export-backup'; password: string }
  /** Plain sheet (spare-plain JSON and the accounts), after re-entering the master password. */
  | { type: 'export-plain'; password: string }
  | { type: 'restore-backup'; text: string; password: string; mode: RestoreMode }
  | { type: 'import-plain'; text: string; mode: RestoreMode };

export interface PageResponses {
  status: { state: VaultState };
  'create-vault': { state: VaultState };
  unlock: { state: VaultState };
  lock: { state: VaultState };
  'change-password': null;
  'get-settings': Settings;
  'update-settings': Settings;
  'list-accounts': AccountSummary[];
  'accounts-for-url': AccountSummary[];
  'get-account': Account;
  'add-account': Account;
  'update-account': Account;
  'delete-account': null;
  'mark-code': Account;
  'replace-codes': Account;
  'reserve-code': Reservation;
  'confirm-code': CodeCount;
  'release-code': CodeCount;
  'export-backup': { text: string; fileName: string };
  'export-plain': { json: string; accounts: Account[] };
  'restore-backup': RestoreResult;
  'import-plain': RestoreResult;
}

export type PageRequestType = PageRequest['type'];

// ---------------------------------------------------------------------------------------------------------
// content → background
// ---------------------------------------------------------------------------------------------------------

export type ContentRequest =
  /** Without `accountId`, the first account for the sender's site that still has a code left. */
  | { type: 'content:reserve'; accountId?: string }
  | { type: 'content:confirm'; accountId: string; codeId: string }
  | { type: 'content:release'; accountId: string; codeId: string };

export interface ContentResponses {
  'content:reserve': Reservation;
  'content:confirm': CodeCount;
  'content:release': CodeCount;
}

export type ContentRequestType = ContentRequest['type'];

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
  throw new SpareError(
    'storage-failed',
    'The background did not answer. Reload the extension and try again.',
  );
}

/** Typed client for extension pages (popup, options, offer page). Throws `SpareError`. */
export async function sendPageRequest<R extends PageRequest>(request: R): Promise<PageResponses[R['type']]> {
  return unwrap<PageResponses[R['type']]>(await browser.runtime.sendMessage(request));
}

/** Typed client for the content script. Throws `SpareError`. */
export async function sendContentRequest<R extends ContentRequest>(
  request: R,
): Promise<ContentResponses[R['type']]> {
  return unwrap<ContentResponses[R['type']]>(await browser.runtime.sendMessage(request));
}

// ---------------------------------------------------------------------------------------------------------
// background → extension pages
// ---------------------------------------------------------------------------------------------------------

/**
 * Told to every open extension page when the vault locks (by hand, the idle timer or the OS), so that a popup
 * showing codes hides them at once instead of at its next request. Carries nothing secret.
 */
export interface VaultLockedEvent {
  type: 'background:vault-locked';
}

/** Sends the event to every open extension page; none being open is not an error. */
export function broadcastVaultLocked(): void {
  const event: VaultLockedEvent = { type: 'background:vault-locked' };
  void Promise.resolve(browser.runtime.sendMessage(event)).catch(() => undefined);
}

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
const int =
  (min: number, max: number): Check =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
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
    unlock: shape({ type: str(32), password: str(MAX_PASSWORD) }),
    lock: shape({ type: str(32) }),
    'change-password': shape({
      type: str(32),
      oldPassword: str(MAX_PASSWORD),
      newPassword: str(MAX_PASSWORD),
    }),
    'get-settings': shape({ type: str(32) }),
    'update-settings': shape({ type: str(32), settings: shape({ 'autoLockMinutes?': int(0, 24 * 60) }) }),
    'list-accounts': shape({ type: str(32) }),
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
    'reserve-code': shape({ type: str(32), accountId: id, 'tabId?': int(0, Number.MAX_SAFE_INTEGER) }),
    'confirm-code': shape({ type: str(32), accountId: id, codeId: id, usedOn: str(MAX_URL) }),
    'release-code': shape({ type: str(32), accountId: id, codeId: id }),
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
    'content:reserve': shape({ type: str(32), 'accountId?': id }),
    'content:confirm': shape({ type: str(32), accountId: id, codeId: id }),
    'content:release': shape({ type: str(32), accountId: id, codeId: id }),
  };
  return { page, content };
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
  const { content } = (schemas ??= buildSchemas());
  if (!isRecord(message) || typeof message.type !== 'string' || !hasOwn(content, message.type)) return null;
  return content[message.type as ContentRequestType](message) ? (message as ContentRequest) : null;
}

// ---------------------------------------------------------------------------------------------------------
// sender verification and the background router
// ---------------------------------------------------------------------------------------------------------

/** The parts of `runtime.MessageSender` the router relies on (Chrome and Firefox both report these). */
export interface SenderInfo {
  id?: string;
  url?: string;
  frameId?: number;
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

export type SenderKind = { kind: 'page'; tabId?: number } | { kind: 'content'; sender: ContentSender };

const EXTENSION_SCHEMES = ['chrome-extension:', 'moz-extension:', 'safari-web-extension:', 'extension:'];

function parseUrl(url: string | undefined): URL | null {
  if (!url) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Decides who sent a message from what the browser reports. Anything that is neither one of our extension
 * pages nor one of our content scripts in a web page is refused.
 */
export function classifySender(sender: SenderInfo, self: ExtensionIdentity): SenderKind | null {
  if (sender.id !== self.id) return null;
  const url = parseUrl(sender.url);
  if (!url) return null;
  if (sender.url!.startsWith(self.baseUrl)) {
    return sender.tab?.id !== undefined ? { kind: 'page', tabId: sender.tab.id } : { kind: 'page' };
  }
  // An extension URL that is not ours (or ours behind use_dynamic_url) is never treated as a web page.
  if (EXTENSION_SCHEMES.includes(url.protocol)) return null;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const tab = sender.tab;
  const top = parseUrl(tab?.url);
  if (!tab || tab.id === undefined || tab.id < 0 || !top) return null;
  if (top.protocol !== 'https:' && top.protocol !== 'http:') return null;
  const frameId = sender.frameId ?? 0;
  return { kind: 'content', sender: { tabId: tab.id, frameId, topUrl: top.href, frameUrl: url.href } };
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
 * calls the handler for that request type; it never throws and always answers with an `Envelope`.
 */
export function createRouter(
  self: ExtensionIdentity,
  handlers: { page: PageHandlers; content: ContentHandlers },
): Router {
  return async (message, senderInfo) => {
    const sender = classifySender(senderInfo, self);
    if (!sender) return fail('forbidden-sender', 'This sender may not talk to Spare.');
    try {
      if (sender.kind === 'page') {
        const request = parsePageRequest(message);
        if (!request) return fail('invalid-message', 'Malformed request.');
        const handler = handlers.page[request.type] as (
          r: PageRequest,
          s: { tabId?: number },
        ) => Promise<unknown>;
        return { ok: true, value: await handler(request, { tabId: sender.tabId }) };
      }
      const request = parseContentRequest(message);
      if (!request) {
        // A content script asking for a page-only request is refused as a sender problem, not a schema one.
        return parsePageRequest(message)
          ? fail('forbidden-sender', 'A web page may not make this request.')
          : fail('invalid-message', 'Malformed request.');
      }
      const handler = handlers.content[request.type] as (
        r: ContentRequest,
        s: ContentSender,
      ) => Promise<unknown>;
      return { ok: true, value: await handler(request, sender.sender) };
    } catch (error) {
      return { ok: false, error: toWireError(error) };
    }
  };
}
