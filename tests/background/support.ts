/** Shared set-up for the background tier: a fresh fake IndexedDB and fake browser per test, cheap KDF. */
import { IDBFactory } from 'fake-indexeddb';
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { encoding, type KdfParams } from '../../src/core/crypto';
import { SpareError } from '../../src/core/errors';
import { sessionKeyStore } from '../../src/background/session-key';
import { VaultService, type VaultServiceOptions } from '../../src/background/vault-service';
import type { NewCode } from '../../src/core/vault';
import type { Browser } from 'wxt/browser';
import type { FillTarget } from '../../src/background/vault-service';
import type { OfferDeps } from '../../src/background/handlers';
import type { Ticket } from '../../src/background/offers';
import type { CommandResult, ContentCommand, ContentSender, Envelope, SenderInfo } from '../../src/messaging';

export const PASSWORD = 'correct horse battery staple';
export const EXTENSION_ID = 'test-extension-id';
export const EXTENSION_BASE = `chrome-extension://${EXTENSION_ID}/`;

/** The floor the crypto module accepts (m = 19 MiB, t = 2), with one lane: fast enough for unit tests. */
export function cheapKdf(): KdfParams {
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return { name: 'argon2id', memoryKiB: 19456, iterations: 2, parallelism: 1, salt };
}

export function resetEnvironment(): void {
  fakeBrowser.reset();
  // A brand-new IndexedDB for each test: nothing leaks from one test to the next.
  globalThis.indexedDB = new IDBFactory();
  vi.restoreAllMocks();
  stubUnimplementedEvents();
}

/**
 * The fake browser throws on events it does not implement. `wireBackground` listens to some of them (the
 * offer's event ports, permission changes); listening does nothing here, and tests that need one fire it
 * through their own spy.
 */
export function stubUnimplementedEvents(): void {
  const events = [
    fakeBrowser.runtime.onConnect,
    fakeBrowser.permissions.onAdded,
    fakeBrowser.permissions.onRemoved,
    fakeBrowser.idle.onStateChanged,
  ];
  for (const event of events) {
    try {
      const probe = () => undefined;
      event.addListener(probe);
      event.removeListener(probe);
    } catch {
      vi.spyOn(event, 'addListener').mockImplementation(() => undefined);
    }
  }
}

export function newService(options: Partial<VaultServiceOptions> = {}): VaultService {
  return new VaultService({ keyStore: sessionKeyStore, newKdfParams: cheapKdf, ...options });
}

/** Codes shaped like Instagram's ("1234 5678"), all distinct. */
export function codes(count: number, start = 0): NewCode[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(10_000_000 + start + i);
    return { value: `${n.slice(0, 4)} ${n.slice(4)}` };
  });
}

export async function caught(promise: Promise<unknown>): Promise<SpareError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SpareError) return error;
    throw new Error(`expected a SpareError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a SpareError, but the promise resolved');
}

/** Every value in every object store of a database, as IndexedDB holds it. */
export async function dumpDatabase(name: string): Promise<Record<string, unknown[]>> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const out: Record<string, unknown[]> = {};
  for (const store of Array.from(db.objectStoreNames)) {
    out[store] = await new Promise<unknown[]>((resolve, reject) => {
      const tx = db.transaction(store, 'readonly');
      const keys = tx.objectStore(store).getAllKeys();
      const values = tx.objectStore(store).getAll();
      tx.oncomplete = () => resolve([...keys.result, ...values.result]);
      tx.onerror = () => reject(tx.error);
    });
  }
  db.close();
  return out;
}

export const b64 = encoding.toBase64;

// ---------------------------------------------------------------------------------------------------------
// the offer protocol: fill targets, sender objects shaped like the browser's, and fakes for the page side
// ---------------------------------------------------------------------------------------------------------

export const LOGIN = 'https://www.instagram.com/accounts/login/two_factor/';

/** Where a fill goes: a tab and frame and the pages they show (the top frame of `url` by default). */
export function fillTarget(tabId: number, url = LOGIN, frame?: { frameId: number; url: string }): FillTarget {
  return { tabId, frameId: frame?.frameId ?? 0, topUrl: url, frameUrl: frame?.url ?? url };
}

/** The same target as the content script's sender (what confirm and release are checked against). */
export function pageOf(target: FillTarget): ContentSender {
  return { tabId: target.tabId, frameId: target.frameId, topUrl: target.topUrl, frameUrl: target.frameUrl };
}

export const popupSender: SenderInfo = { id: EXTENSION_ID, url: `${EXTENSION_BASE}popup.html` };

/** A content script in tab `tabId` showing `url`; in a sub-frame when `frame` is given. */
export function contentSender(
  url: string,
  tabId = 5,
  frame?: { frameId: number; url: string },
  extra: Partial<SenderInfo> = {},
): SenderInfo {
  return {
    id: EXTENSION_ID,
    url: frame?.url ?? url,
    frameId: frame?.frameId ?? 0,
    tab: { id: tabId, url },
    ...extra,
  };
}

/**
 * The offer page framed in tab `tabId` (whose top page is `url`), in frame `frameId`. `base` is the extension
 * origin it is served from: Chrome's use_dynamic_url gives web-accessible pages another host per session.
 */
export function offerSender(
  tabId: number,
  url = LOGIN,
  frameId = 7,
  base = EXTENSION_BASE,
  extra: Partial<SenderInfo> = {},
): SenderInfo {
  return { id: EXTENSION_ID, url: `${base}offer.html#n`, frameId, tab: { id: tabId, url }, ...extra };
}

/** Sends a message through the real `runtime.onMessage` listener that `wireBackground` added. */
export async function send(message: unknown, sender: SenderInfo): Promise<Envelope<unknown>> {
  // The fake's trigger is typed with Chrome's full MessageSender; ours is the subset browsers always fill.
  const answers = await fakeBrowser.runtime.onMessage.trigger(
    message,
    sender as Browser.runtime.MessageSender,
  );
  if (answers.length !== 1) throw new Error(`expected one answer, got ${answers.length}`);
  return answers[0] as unknown as Envelope<unknown>;
}

/** The value of a successful answer; throws with the error code otherwise. */
export async function value<T = unknown>(message: unknown, sender: SenderInfo): Promise<T> {
  const answer = await send(message, sender);
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.value as T;
}

/** The error code of a refused answer; throws if it was not refused. */
export async function refusal(message: unknown, sender: SenderInfo): Promise<string> {
  const answer = await send(message, sender);
  if (answer.ok) throw new Error(`expected a refusal, got ${JSON.stringify(answer.value)}`);
  return answer.error.code;
}

export interface SentCommand {
  tabId: number;
  frameId: number;
  command: ContentCommand;
}

/**
 * Stand-ins for what reaches into web pages: `command` records where each command went and answers with
 * `answer` (a refusal, say), `injectOffer` records its senders, `browserSession` answers `session`.
 */
export interface PageFakes {
  sent: SentCommand[];
  injected: ContentSender[];
  /** What the content script answers; change it to make the page refuse. */
  answer: (command: ContentCommand) => CommandResult | Promise<CommandResult>;
  session: string;
  /** Every code the background sent into a page. */
  filledCodes: () => string[];
  deps: Pick<OfferDeps, 'command' | 'injectOffer' | 'browserSession'>;
}

export function pageFakes(session = 'this-session'): PageFakes {
  const sent: SentCommand[] = [];
  const injected: ContentSender[] = [];
  const fakes: PageFakes = {
    sent,
    injected,
    answer: () => ({ ok: true }),
    session,
    filledCodes: () => sent.flatMap((s) => (s.command.type === 'background:fill' ? [s.command.code] : [])),
    deps: {
      command: async (ticket: Ticket, command: ContentCommand) => {
        sent.push({ tabId: ticket.tabId, frameId: ticket.frameId, command });
        return fakes.answer(command);
      },
      injectOffer: async (sender: ContentSender) => {
        injected.push(sender);
      },
      browserSession: async () => fakes.session,
    },
  };
  return fakes;
}

/** The fake idle API throws on use: stand in for the one call `listenForAutoLock` makes. */
export function muteIdle(): void {
  vi.spyOn(fakeBrowser.idle.onStateChanged, 'addListener').mockImplementation(() => undefined);
}
