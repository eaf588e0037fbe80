/**
 * Hostile messages through the background's real router (issue 8): generated messages of every shape (wrong
 * types, extra and missing keys, huge strings, prototype keys, structured-clone values a JSON channel never
 * carries) from every kind of sender the router knows (extension pages, the offer page, content scripts) and
 * from senders it must refuse (other extensions, prerendered or cached documents, odd or missing fields).
 *
 * What must hold for every one of them, with the vault unlocked and locked:
 * - the listener answers exactly once with an envelope, and never with the catch-all `storage-failed` (which
 *   is what a handler's TypeError would turn into: a crash in disguise);
 * - a sender the router does not know is refused as `forbidden-sender`;
 * - nothing a page can reach (content and offer senders) carries a plaintext code back;
 * - no unhandled rejection and no `console.error` during the run;
 * - IndexedDB, `storage.*` and the decrypted accounts are exactly as before.
 *
 * Extension pages are trusted: a well-formed request from one is meant to act, so the generator gives them
 * only malformed requests and well-formed reads.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { wireBackground } from '../../src/background';
import { parsePageRequest, type Envelope, type SenderInfo } from '../../src/messaging';
import type { Account } from '../../src/core/vault';
import {
  EXTENSION_BASE,
  EXTENSION_ID,
  LOGIN,
  PASSWORD,
  codes,
  contentSender,
  dumpDatabase,
  muteIdle,
  newService,
  offerSender,
  pageFakes,
  resetEnvironment,
  send,
  value,
} from './support';

/** Per state (unlocked, locked): 2 × 50,000 = 100,000 messages. */
const RUNS = Number(process.env.SPARE_FUZZ_RUNS ?? 50_000);
const SEED = process.env.SPARE_FUZZ_SEED === undefined ? undefined : Number(process.env.SPARE_FUZZ_SEED);
/** A tab that holds a reservation; generated senders never use it, so nothing they send may touch it. */
const HOLDER_TAB = 4242;

// -----------------------------------------------------------------------------------------------------------
// the seeded vault
// -----------------------------------------------------------------------------------------------------------

interface Seeded {
  service: ReturnType<typeof newService>;
  accounts: Account[];
  plainCodes: string[];
}

async function seed(): Promise<Seeded> {
  const service = newService();
  const page = pageFakes();
  wireBackground({ service, deps: page.deps, releaseSites: async () => undefined });
  await service.create(PASSWORD);
  const insta = await service.addAccount({ site: 'instagram.com', label: 'alice', codes: codes(10) });
  const github = await service.addAccount({ site: 'github.com', label: 'bob', codes: codes(16, 100) });
  const local = await service.addAccount({ site: 'localhost', codes: codes(3, 200) });
  // One code held by a real fill in a tab the generated senders never use.
  const ticket = await value<{ nonce: string }>(
    { type: 'content:open-offer', kind: 'backup-code' },
    contentSender(LOGIN, HOLDER_TAB),
  );
  await value({ type: 'offer:fill', nonce: ticket.nonce, accountId: insta.id }, offerSender(HOLDER_TAB));
  const accounts = [insta, github, local];
  return { service, accounts, plainCodes: accounts.flatMap((a) => a.codes.map((c) => c.value)) };
}

/** Everything the background keeps: IndexedDB, every storage area, and the decrypted state. */
async function snapshot(service: Seeded['service']) {
  const status = await service.status();
  return {
    database: await dumpDatabase('spare'),
    local: await fakeBrowser.storage.local.get(null),
    session: await fakeBrowser.storage.session.get(null),
    sync: await fakeBrowser.storage.sync.get(null),
    managed: await fakeBrowser.storage.managed.get(null),
    status,
    accounts: status === 'unlocked' ? await service.snapshot() : null,
    settings: await service.getSettings(),
  };
}

// -----------------------------------------------------------------------------------------------------------
// senders
// -----------------------------------------------------------------------------------------------------------

type Expect = 'page' | 'offer' | 'content' | 'refused' | 'odd';
interface TaggedSender {
  expect: Expect;
  sender: SenderInfo;
}

const TABS = [1, 5, 6, 77, 2 ** 31 - 1];
const WEB_PAGES = [
  LOGIN,
  'https://github.com/sessions/two-factor',
  'http://localhost:8080/login',
  'http://127.0.0.1/otp',
  'https://evil.com/',
  'https://evil-instagram.com/',
  'https://instagram.com.evil.com/',
  'https://user:pass@www.instagram.com:444/x?y#z',
  'https://xn--nxasmq6b.com/',
  'http://[::1]/',
  'https://10.0.0.1/',
];
const NOT_WEB = [
  'file:///home/me/login.html',
  'about:blank',
  'about:srcdoc',
  'data:text/html,<input>',
  'blob:https://www.instagram.com/1234',
  'javascript:alert(1)',
  'chrome://settings/',
  'view-source:https://www.instagram.com/',
  'ftp://example.com/',
];
const OTHER_BASE = 'chrome-extension://someone-else/';
const DYNAMIC_BASE = 'chrome-extension://0f8e3a52-6c1d-4b7e-9a2f-51d7c3e8b9a0/';

const tab = fc.constantFrom(...TABS);
const webPage = fc.constantFrom(...WEB_PAGES);
const frameId = fc.integer({ min: 1, max: 40 });
const lifecycle = fc.constantFrom<string | undefined>(undefined, 'active');
const inactive = fc.constantFrom('prerender', 'cached', 'pending_deletion', '', 'Active', 'unknown');

const withLifecycle = (sender: SenderInfo, documentLifecycle: string | undefined): SenderInfo =>
  documentLifecycle === undefined ? sender : { ...sender, documentLifecycle };

const pageSender: fc.Arbitrary<TaggedSender> = fc
  .record({
    path: fc.constantFrom('popup.html', 'lab.html', 'popup.html?x=1#y', 'sub/page.html', ''),
    inTab: fc.option(fc.record({ id: tab, url: webPage }), { nil: undefined }),
    documentLifecycle: lifecycle,
  })
  .map(({ path, inTab, documentLifecycle }) => ({
    expect: 'page',
    sender: withLifecycle(
      { id: EXTENSION_ID, url: `${EXTENSION_BASE}${path}`, ...(inTab ? { tab: inTab, frameId: 0 } : {}) },
      documentLifecycle,
    ),
  }));

const offer: fc.Arbitrary<TaggedSender> = fc
  .record({
    tab,
    url: webPage,
    frameId,
    base: fc.constantFrom(
      EXTENSION_BASE,
      DYNAMIC_BASE,
      'moz-extension://5b5e4c1e-8f0e-4d3c-9d55-0c1b7a2e6f11/',
    ),
    documentLifecycle: lifecycle,
  })
  .map(({ tab, url, frameId, base, documentLifecycle }) => ({
    expect: 'offer',
    sender: withLifecycle(offerSender(tab, url, frameId, base), documentLifecycle),
  }));

const content: fc.Arbitrary<TaggedSender> = fc
  .record({
    tab,
    url: webPage,
    frame: fc.option(fc.record({ frameId, url: webPage }), { nil: undefined }),
    documentLifecycle: lifecycle,
  })
  .map(({ tab, url, frame, documentLifecycle }) => ({
    expect: 'content',
    sender: withLifecycle(contentSender(url, tab, frame), documentLifecycle),
  }));

/** Senders the router must refuse whatever they send. */
const refused: fc.Arbitrary<TaggedSender> = fc
  .oneof(
    // Other extensions, with any page, and pages that claim to be ours without our id.
    fc.record({ id: fc.constantFrom('someone-else', '', EXTENSION_ID.toUpperCase()), url: webPage }),
    fc.constant({ id: 'someone-else', url: `${OTHER_BASE}popup.html` }),
    fc.constant({
      id: 'someone-else',
      url: `${OTHER_BASE}offer.html`,
      frameId: 3,
      tab: { id: 5, url: LOGIN },
    }),
    fc.constant({ url: `${EXTENSION_BASE}popup.html` }),
    // Our id, but a foreign extension page, or an extension page other than the offer on a dynamic host.
    fc.constant({ id: EXTENSION_ID, url: `${OTHER_BASE}popup.html` }),
    fc.constant({ id: EXTENSION_ID, url: `${DYNAMIC_BASE}popup.html` }),
    // No URL, a web page without a tab or without a tab URL, a tab that is not a tab.
    fc.constant({ id: EXTENSION_ID }),
    fc.record({ id: fc.constant(EXTENSION_ID), url: webPage }),
    fc.record({ id: fc.constant(EXTENSION_ID), url: webPage, tab: fc.record({ id: tab }) }),
    fc.record({
      id: fc.constant(EXTENSION_ID),
      url: webPage,
      tab: fc.record({ id: fc.constant(-1), url: webPage }),
    }),
    // Documents that are not web pages, in a tab or as the tab.
    fc.record({ tab, url: fc.constantFrom(...NOT_WEB) }).map(({ tab, url }) => contentSender(url, tab)),
    fc
      .record({ tab, top: fc.constantFrom(...NOT_WEB), frameId, url: webPage })
      .map(({ tab, top, frameId, url }) => contentSender(top, tab, { frameId, url })),
    // The offer page at the top of a tab, without a tab, or in a tab that shows no web page.
    fc.record({ tab, url: webPage }).map(({ tab, url }) => offerSender(tab, url, 0)),
    fc.constant({ id: EXTENSION_ID, url: `${EXTENSION_BASE}offer.html`, frameId: 2 }),
    fc
      .record({ tab, url: fc.constantFrom(...NOT_WEB), frameId })
      .map(({ tab, url, frameId }) => offerSender(tab, url, frameId)),
    // A known sender in a document the browser says is not the one the user sees.
    fc
      .record({ sender: fc.oneof(pageSender, offer, content), documentLifecycle: inactive })
      .map(({ sender, documentLifecycle }) => ({ ...sender.sender, documentLifecycle })),
  )
  .map((sender) => ({ expect: 'refused', sender: sender as SenderInfo }));

/**
 * Fields of the wrong type or shape. No browser reports these; the router must still answer (a refusal or an
 * answer for what the fields do prove), never throw.
 */
const odd: fc.Arbitrary<TaggedSender> = fc
  .record(
    {
      id: fc.oneof(fc.constant(EXTENSION_ID), fc.constant(undefined), fc.integer(), fc.constant(null)),
      url: fc.oneof(
        webPage,
        fc.constant(`${EXTENSION_BASE}popup.html`),
        fc.constant(`${EXTENSION_BASE}offer.html`),
        fc.string(),
        fc.constant(null),
        fc.integer(),
        // Not strings, but they stringify to URLs: a URL parser takes them, string methods do not exist.
        fc.constantFrom([LOGIN], [`${EXTENSION_BASE}popup.html`], [`${EXTENSION_BASE}offer.html`]),
      ),
      frameId: fc.oneof(
        frameId,
        fc.constant(0),
        fc.constant(-1),
        fc.constant(Number.NaN),
        fc.constant('3'),
        fc.double(),
      ),
      tab: fc.oneof(
        fc.constant(null),
        fc.constant({}),
        fc.record({
          id: fc.oneof(tab, fc.constant(-1), fc.constant('5'), fc.constant(Number.NaN), fc.double()),
        }),
        fc.record({
          id: fc.oneof(tab, fc.constant('5'), fc.constant(null), fc.double()),
          url: fc.oneof(webPage, fc.constant(null), fc.integer(), fc.string()),
        }),
      ),
      documentLifecycle: fc.oneof(fc.constant('active'), fc.integer(), fc.constant(null)),
    },
    { requiredKeys: [] },
  )
  .map((sender) => ({ expect: 'odd', sender: sender as unknown as SenderInfo }));

// -----------------------------------------------------------------------------------------------------------
// messages
// -----------------------------------------------------------------------------------------------------------

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];
const TYPES = [
  'status',
  'create-vault',
  'unlock',
  'lock',
  'change-password',
  'get-settings',
  'update-settings',
  'list-accounts',
  'accounts-for-url',
  'get-account',
  'add-account',
  'update-account',
  'delete-account',
  'mark-code',
  'replace-codes',
  'add-codes',
  'export-backup',
  'export-plain',
  'restore-backup',
  'import-plain',
  'content:load-offer',
  'content:open-offer',
  'content:confirm',
  'content:release',
  'offer:state',
  'offer:fill',
  'offer:close',
  'background:check-fill',
  'background:fill',
  'background:close-offer',
  'background:vault-locked',
  'background:vault-changed',
  // Names that no longer exist, or never did.
  'reserve-code',
  'confirm-code',
  'content:reserve',
  'offer:reveal',
];
/** Well-formed page requests that only read: the generator may hand these to extension pages. */
const PAGE_READS = new Set(['status', 'get-settings', 'list-accounts', 'accounts-for-url', 'get-account']);

// Built once: fast-check would spend most of the run making megabyte strings otherwise.
const HUGE = {
  mib: '7'.repeat(1 << 20),
  overFile: 'x'.repeat(20 * 1024 * 1024 + 1),
  newlines: '\n'.repeat(100_000),
  surrogates: '\ud800'.repeat(10_000),
};
const deepArray = (() => {
  let v: unknown = 'bottom';
  for (let i = 0; i < 2_000; i++) v = [v];
  return v;
})();

interface Known {
  accountIds: string[];
  codeIds: string[];
  /** Each code id with its own account's id, the held code among them. */
  pairs: { accountId: string; codeId: string }[];
  held: { accountId: string; codeId: string };
}

/**
 * JSON text of a generated value: BigInt (which JSON cannot carry) as a string, and the huge strings cut short
 * (escaping and parsing megabytes per case would make the generator, not the router, the cost of the run).
 */
const json = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    typeof v === 'bigint' ? String(v) : typeof v === 'string' && v.length > 10_000 ? v.slice(0, 10_000) : v,
  ) ?? 'null';

/** The generator is told the seeded ids, so that requests reach the handlers and not only the validators. */
function messages(known: Known): fc.Arbitrary<unknown> {
  const edgeString = fc.oneof(
    fc.constantFrom('', ' ', '\0', 'null', 'undefined', '[object Object]', ...PROTO_KEYS),
    fc.integer({ min: 0, max: 5000 }).map((n) => 'a'.repeat(n)),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );
  const text = fc.oneof(
    { weight: 9, arbitrary: fc.oneof(fc.string({ maxLength: 40 }), edgeString) },
    { weight: 1, arbitrary: fc.constantFrom(...Object.values(HUGE)) },
  );
  const id = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known.accountIds, ...known.codeIds) },
    { weight: 1, arbitrary: fc.constantFrom('a'.repeat(128), 'a'.repeat(129), 'n'.repeat(22)) },
    { weight: 2, arbitrary: text },
  );
  const url = fc.oneof(webPage, fc.constantFrom(...NOT_WEB), text, fc.webUrl());
  const leaf: fc.Arbitrary<unknown> = fc.oneof(
    text,
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.constantFrom(null, undefined, Number.NaN, -0, Infinity, 2 ** 53, -1, 1.5),
    fc.bigInt(),
    // Firefox delivers messages as structured clones: these survive the trip there.
    fc.constantFrom(new Date(0), new Date(Number.NaN), new Map([['type', 'status']]), new Set(['status'])),
    fc.constantFrom(new Uint8Array(16), new ArrayBuffer(8), /a+$/, new Error('x'), deepArray),
  );
  const anyValue = fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.jsonValue({ maxDepth: 3 }),
    fc.array(leaf, { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...PROTO_KEYS)), leaf, {
      maxKeys: 4,
    }),
  );
  const newCode = fc.record(
    {
      value: fc.oneof(text, fc.constantFrom('1234 5678', 'abcde-12345')),
      used: fc.boolean(),
      usedAt: fc.oneof(fc.constant('2026-11-20T10:00:00Z'), text),
      usedOn: url,
    },
    { requiredKeys: ['value'] },
  );
  const codeList = fc.array(newCode, { maxLength: 4 });

  // A well-formed-looking request of every type the protocol has (and a few it does not).
  const templates: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
    fc.constantFrom(...TYPES).map((type) => ({ type })),
    fc.record({
      type: fc.constantFrom('create-vault', 'unlock', 'export-backup', 'export-plain'),
      password: text,
    }),
    fc.record({ type: fc.constant('change-password'), oldPassword: text, newPassword: text }),
    fc.record({
      type: fc.constant('update-settings'),
      settings: fc.record(
        { autoLockMinutes: fc.oneof(fc.integer({ min: -5, max: 2000 }), leaf) },
        { requiredKeys: [] },
      ),
    }),
    fc.record({ type: fc.constant('accounts-for-url'), url }),
    fc.record({ type: fc.constantFrom('get-account', 'delete-account'), accountId: id }),
    fc.record({
      type: fc.constant('add-account'),
      account: fc.record(
        {
          site: fc.oneof(fc.constantFrom('instagram.com', 'github.com'), text),
          label: text,
          note: text,
          codes: codeList,
        },
        { requiredKeys: ['site', 'codes'] },
      ),
    }),
    fc.record({
      type: fc.constant('update-account'),
      accountId: id,
      changes: fc.record({ site: text, label: text, note: text }, { requiredKeys: [] }),
    }),
    fc.record({ type: fc.constant('mark-code'), accountId: id, codeId: id, used: fc.boolean() }),
    fc.record({ type: fc.constantFrom('replace-codes', 'add-codes'), accountId: id, codes: codeList }),
    fc.record({
      type: fc.constantFrom('restore-backup', 'import-plain'),
      text: fc.oneof(text, fc.constantFrom('{}', '{"format":"spare-plain","version":1,"accounts":[]}')),
      password: text,
      mode: fc.constantFrom('merge', 'replace', 'append', ''),
    }),
    fc.record({
      type: fc.constant('content:open-offer'),
      kind: fc.constantFrom('backup-code', 'one-time-code', 'password', ''),
    }),
    fc.record({ type: fc.constantFrom('content:confirm', 'content:release'), accountId: id, codeId: id }),
    fc.record({ type: fc.constantFrom('offer:state', 'offer:close', 'background:check-fill'), nonce: id }),
    fc.record({ type: fc.constant('offer:fill'), nonce: id, accountId: id }),
    fc.record({ type: fc.constant('background:fill'), nonce: id, code: text, accountId: id, codeId: id }),
  );

  const key = fc.oneof(
    fc.constantFrom(...PROTO_KEYS, 'type', 'tabId', 'frameId', 'code', 'sender'),
    fc.string({ maxLength: 12 }),
  );
  const typeVariant = fc.oneof(
    fc.constantFrom(...PROTO_KEYS),
    fc
      .constantFrom(...TYPES)
      .chain((type) =>
        fc.constantFrom(type.toUpperCase(), ` ${type}`, `${type}\0`, `${type}:`, type.replace(':', '.'), [
          type,
        ]),
      ),
    leaf,
  );
  /** An own property, even for `__proto__` (as JSON.parse and structured clone make it). */
  const define = (target: Record<string, unknown>, name: string, v: unknown) =>
    Object.defineProperty(target, name, { value: v, enumerable: true, writable: true, configurable: true });

  const mutated = fc
    .tuple(
      templates,
      fc.array(
        fc.oneof(
          fc.record({ op: fc.constant('add' as const), key, value: anyValue }),
          fc.record({ op: fc.constant('drop' as const), key }),
          fc.record({ op: fc.constant('replace' as const), value: anyValue, pick: fc.nat() }),
          fc.record({ op: fc.constant('retype' as const), value: typeVariant }),
          fc.record({ op: fc.constant('null-proto' as const) }),
        ),
        { maxLength: 3 },
      ),
    )
    .map(([template, ops]) => {
      let message: Record<string, unknown> = { ...template };
      for (const op of ops) {
        if (op.op === 'add') define(message, op.key, op.value);
        else if (op.op === 'drop') delete message[op.key === '__proto__' ? 'type' : op.key];
        else if (op.op === 'retype') message.type = op.value;
        else if (op.op === 'null-proto') message = Object.assign(Object.create(null), message);
        else {
          const keys = Object.keys(message);
          if (keys.length > 0) message[keys[op.pick % keys.length]!] = op.value;
        }
      }
      return message;
    });

  const wrapped = fc.oneof(
    anyValue,
    templates.map((t) => [t]),
    templates.map((t) => json(t)),
    templates.map((t) => ({ message: t })),
    templates.map((t) => JSON.parse(`{"__proto__": ${json(t)}}`) as unknown),
  );

  // An account's own code, the held one half the time: these get past the id checks to the holder checks,
  // where a page that does not hold a code must be refused.
  const deep = fc
    .record({
      type: fc.constantFrom('content:confirm', 'content:release', 'offer:fill', 'mark-code', 'get-account'),
      pair: fc.oneof(fc.constant(known.held), fc.constantFrom(...known.pairs)),
      nonce: id,
      used: fc.boolean(),
    })
    .map(({ type, pair, nonce, used }) =>
      type === 'offer:fill'
        ? { type, nonce, accountId: pair.accountId }
        : type === 'mark-code'
          ? { type, ...pair, used }
          : type === 'get-account'
            ? { type, accountId: pair.accountId }
            : { type, ...pair },
    );

  return fc.oneof(
    { weight: 3, arbitrary: deep },
    { weight: 3, arbitrary: templates },
    { weight: 6, arbitrary: mutated },
    { weight: 2, arbitrary: wrapped },
  );
}

// -----------------------------------------------------------------------------------------------------------
// the run
// -----------------------------------------------------------------------------------------------------------

const ERROR_CODES = new Set([
  'wrong-password',
  'vault-locked',
  'vault-exists',
  'vault-missing',
  'not-found',
  'invalid-transition',
  'invalid-message',
  'forbidden-sender',
  'no-code-left',
  'invalid-input',
  'too-many-requests',
  'fill-refused',
  'offer-expired',
]);

function isEnvelope(answer: unknown): answer is Envelope<unknown> {
  if (typeof answer !== 'object' || answer === null) return false;
  const a = answer as Record<string, unknown>;
  if (a.ok === true) return Object.keys(a).length === 2 && 'value' in a;
  if (a.ok !== false || Object.keys(a).length !== 2) return false;
  const error = a.error as Record<string, unknown> | undefined;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof error.code === 'string' &&
    typeof error.message === 'string' &&
    Object.keys(error).length === 2
  );
}

/** fast-check's report with the megabyte strings of a counterexample cut short. */
async function shortReport<T>(details: fc.RunDetails<T>): Promise<void> {
  if (!details.failed) return;
  const message = fc.defaultReportMessage(details) ?? 'failed';
  throw new Error(
    message.replace(/(.)\1{100,}/gs, (run, c: string) => `${c.repeat(8)}…(×${run.length})`),
    {
      cause: details.errorInstance,
    },
  );
}

let rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

beforeEach(() => {
  resetEnvironment();
  muteIdle();
  rejections = [];
  process.on('unhandledRejection', onRejection);
});

afterEach(() => {
  process.off('unhandledRejection', onRejection);
});

async function fuzz(state: 'unlocked' | 'locked') {
  const seeded = await seed();
  if (state === 'locked') await seeded.service.lock();
  // Let start-up work (the reservation sweep, the badge) settle before the first snapshot.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const before = await snapshot(seeded.service);
  expect(before.status).toBe(state);

  const insta = seeded.accounts[0]!;
  const known: Known = {
    accountIds: seeded.accounts.map((a) => a.id),
    codeIds: seeded.accounts.flatMap((a) => a.codes.map((c) => c.id)),
    pairs: seeded.accounts.flatMap((a) => a.codes.map((c) => ({ accountId: a.id, codeId: c.id }))),
    held: { accountId: insta.id, codeId: insta.codes[0]!.id },
  };
  const senders = fc.oneof(
    { weight: 3, arbitrary: pageSender },
    { weight: 3, arbitrary: offer },
    { weight: 4, arbitrary: content },
    { weight: 2, arbitrary: refused },
    { weight: 1, arbitrary: odd },
  );
  const cases = fc
    .tuple(senders, messages(known))
    // Trusted pages act on well-formed requests by design; they get malformed ones and reads only.
    .filter(([{ expect }, message]) => {
      if (expect !== 'page' && expect !== 'odd') return true;
      const request = parsePageRequest(message);
      return request === null || PAGE_READS.has(request.type);
    });

  // Every write and every lock tells these listeners: the message that caused one is the counterexample.
  let events: string[] = [];
  seeded.service.addChangeListener(() => events.push('changed'));
  seeded.service.addLockListener(() => events.push('locked'));
  const errors = vi.spyOn(console, 'error');
  let count = 0;
  const started = performance.now();
  await fc.assert(
    fc.asyncProperty(cases, async ([{ expect: kind, sender }, message]) => {
      count++;
      events = [];
      const answer: unknown = await send(message, sender);
      if (events.length > 0) throw new Error(`the vault ${events.join(', ')}: ${JSON.stringify(answer)}`);
      if (!isEnvelope(answer)) throw new Error(`not an envelope: ${String(answer)}`);
      if (!answer.ok && !ERROR_CODES.has(answer.error.code)) {
        throw new Error(`unexpected error ${answer.error.code}: ${answer.error.message}`);
      }
      if (kind === 'refused' && (answer.ok || answer.error.code !== 'forbidden-sender')) {
        throw new Error(`a refused sender got ${JSON.stringify(answer)}`);
      }
      // (An odd sender may still be an extension page: fields of the wrong type it does not need are ignored.)
      if ((kind === 'content' || kind === 'offer' || kind === 'refused') && answer.ok) {
        const text = JSON.stringify(answer.value) ?? '';
        const leaked = seeded.plainCodes.find((code) => text.includes(code));
        if (leaked) throw new Error(`a ${kind} sender got a code back: ${text}`);
      }
    }),
    { numRuns: RUNS, seed: SEED, timeout: 5_000, endOnFailure: true, asyncReporter: shortReport },
  );
  const seconds = (performance.now() - started) / 1000;
  console.info(`message fuzz (${state}): ${count} messages in ${seconds.toFixed(1)} s`);

  expect(count).toBeGreaterThanOrEqual(RUNS);
  expect(rejections).toEqual([]);
  expect(errors).not.toHaveBeenCalled();
  expect(await snapshot(seeded.service)).toEqual(before);
}

describe('generated hostile messages through the real router change nothing and crash nothing', () => {
  test('with the vault unlocked', () => fuzz('unlocked'), 120_000);
  test('with the vault locked', () => fuzz('locked'), 120_000);
});
