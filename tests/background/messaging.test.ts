/**
 * The protocol end to end inside the background: messages go through the real `runtime.onMessage` listener
 * that `wireBackground` adds, with sender objects shaped like the ones Chrome and Firefox report. The parts
 * that reach into web pages (commands to a frame, injection, the browser session) are fakes that record.
 * The offer's security properties have their own file: offer-protocol.test.ts.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { wireBackground } from '../../src/background';
import {
  classifySender,
  parseContentRequest,
  parseOfferRequest,
  parsePageRequest,
  type SenderInfo,
} from '../../src/messaging';
import type { Account } from '../../src/core/vault';
import {
  EXTENSION_BASE,
  EXTENSION_ID,
  LOGIN,
  PASSWORD,
  codes,
  contentSender as contentIn,
  muteIdle,
  newService,
  offerSender,
  pageFakes,
  popupSender as popup,
  resetEnvironment,
  send,
  type PageFakes,
} from './support';

const SELF = { id: EXTENSION_ID, baseUrl: EXTENSION_BASE };

let account: Account;
let service: ReturnType<typeof newService>;
let page: PageFakes;

beforeEach(async () => {
  resetEnvironment();
  muteIdle();
  service = newService();
  page = pageFakes();
  wireBackground({ service, deps: page.deps });
  await service.create(PASSWORD);
  account = await service.addAccount({ site: 'instagram.com', label: 'alice', codes: codes(10) });
  await service.addAccount({ site: 'github.com', codes: codes(4, 100) });
});

/** Opens an offer from a content script and fills once from the offer page in the same tab. */
async function fillVia(content: SenderInfo, accountId = account.id) {
  const ticket = await send({ type: 'content:open-offer', kind: 'backup-code' }, content);
  if (!ticket.ok || !ticket.value) throw new Error(`no offer: ${JSON.stringify(ticket)}`);
  const { nonce } = ticket.value as { nonce: string };
  const answer = await send(
    { type: 'offer:fill', nonce, accountId },
    offerSender(content.tab!.id!, content.tab!.url!),
  );
  return { nonce, answer };
}

describe('extension pages may do everything', () => {
  test('status, list, lock and unlock through the router', async () => {
    expect(await send({ type: 'status' }, popup)).toEqual({ ok: true, value: { state: 'unlocked' } });
    const list = (await send({ type: 'list-accounts' }, popup)) as { ok: true; value: { site: string }[] };
    expect(list.value.map((a) => a.site)).toEqual(['github.com', 'instagram.com']);
    expect(await send({ type: 'lock' }, popup)).toEqual({ ok: true, value: { state: 'locked' } });
    expect(await send({ type: 'unlock', password: 'wrong' }, popup)).toEqual({
      ok: false,
      error: { code: 'wrong-password', message: expect.any(String) },
    });
    expect(await send({ type: 'unlock', password: PASSWORD }, popup)).toEqual({
      ok: true,
      value: { state: 'unlocked' },
    });
  });

  test('accounts-for-url finds the accounts of a page', async () => {
    const answer = (await send({ type: 'accounts-for-url', url: LOGIN }, popup)) as { value: Account[] };
    expect(answer.value.map((a) => a.id)).toEqual([account.id]);
  });
});

describe('content scripts', () => {
  test('load-offer runs the lazy part in exactly the sending frame', async () => {
    const frame = contentIn(LOGIN, 5, { frameId: 3, url: 'https://www.instagram.com/challenge/' });
    expect(await send({ type: 'content:load-offer' }, frame)).toEqual({ ok: true, value: null });
    expect(page.injected).toEqual([
      { tabId: 5, frameId: 3, topUrl: LOGIN, frameUrl: 'https://www.instagram.com/challenge/' },
    ]);
  });

  test('open-offer answers a fresh nonce on a matching page, and null on a page without accounts', async () => {
    const first = await send({ type: 'content:open-offer', kind: 'backup-code' }, contentIn(LOGIN));
    const second = await send({ type: 'content:open-offer', kind: 'one-time-code' }, contentIn(LOGIN));
    expect(first).toEqual({ ok: true, value: { nonce: expect.any(String), state: 'unlocked' } });
    const nonces = [first, second].map((a) => (a as { value: { nonce: string } }).value.nonce);
    expect(nonces[0]).not.toBe(nonces[1]);
    expect(nonces[0]!.length).toBeGreaterThanOrEqual(16);
    expect(
      await send({ type: 'content:open-offer', kind: 'backup-code' }, contentIn('https://example.org/')),
    ).toEqual({ ok: true, value: null });
  });

  test('while locked an offer opens anywhere the script runs: the site list is encrypted', async () => {
    await service.lock();
    expect(
      await send({ type: 'content:open-offer', kind: 'backup-code' }, contentIn('https://example.org/')),
    ).toEqual({ ok: true, value: { nonce: expect.any(String), state: 'locked' } });
  });

  test("a site adapter's other domains count as the same site (x.com and twitter.com)", async () => {
    const x = await service.addAccount({ site: 'x.com', codes: codes(3, 200) });
    const onTwitter = contentIn('https://twitter.com/account/login_verification', 7);
    const { answer } = await fillVia(onTwitter, x.id);
    expect(answer).toEqual({ ok: true, value: { accountId: x.id, left: 3, total: 3 } });
    expect(page.filledCodes()).toEqual([x.codes[0]!.value]);
  });

  test('a same-site frame in a same-site tab is served', async () => {
    const sameSite = contentIn(LOGIN, 5, { frameId: 3, url: 'https://help.instagram.com/frame' });
    const { answer } = await fillVia(sameSite);
    expect(answer).toMatchObject({ ok: true });
    expect(page.sent.at(-1)).toMatchObject({ tabId: 5, frameId: 3, command: { type: 'background:fill' } });
  });

  test('the fill answer to the offer page never carries the code', async () => {
    const { answer } = await fillVia(contentIn(LOGIN));
    expect(answer).toEqual({ ok: true, value: { accountId: account.id, left: 10, total: 10 } });
    expect(JSON.stringify(answer)).not.toContain(account.codes[0]!.value);
    expect(page.filledCodes()).toEqual([account.codes[0]!.value]);
  });

  test('may not make page or offer requests', async () => {
    const { nonce } = await fillVia(contentIn(LOGIN));
    for (const message of [
      { type: 'list-accounts' },
      { type: 'get-account', accountId: account.id },
      { type: 'export-plain', password: PASSWORD },
      { type: 'mark-code', accountId: account.id, codeId: account.codes[1]!.id, used: true },
      { type: 'offer:state', nonce },
      { type: 'offer:fill', nonce, accountId: account.id },
    ]) {
      expect(await send(message, contentIn(LOGIN))).toEqual({
        ok: false,
        error: { code: 'forbidden-sender', message: expect.any(String) },
      });
    }
    expect(page.filledCodes()).toHaveLength(1);
  });

  test('confirm and release are vault-locked while locked', async () => {
    await fillVia(contentIn(LOGIN));
    await service.lock();
    for (const message of [
      { type: 'content:confirm', accountId: account.id, codeId: account.codes[0]!.id },
      { type: 'content:release', accountId: account.id, codeId: account.codes[0]!.id },
    ]) {
      expect(await send(message, contentIn(LOGIN))).toEqual({
        ok: false,
        error: { code: 'vault-locked', message: 'Spare is locked.' },
      });
    }
  });

  test('confirm and release apply only to the code this tab holds; confirm records the page', async () => {
    await fillVia(contentIn(LOGIN, 5));
    const ids = { accountId: account.id, codeId: account.codes[0]!.id };
    expect(await send({ type: 'content:confirm', ...ids }, contentIn(LOGIN, 6))).toMatchObject({
      ok: false,
      error: { code: 'invalid-transition' },
    });
    expect(await send({ type: 'content:release', ...ids }, contentIn(LOGIN, 6))).toMatchObject({
      ok: false,
      error: { code: 'invalid-transition' },
    });
    expect(await send({ type: 'content:confirm', ...ids }, contentIn(LOGIN, 5))).toEqual({
      ok: true,
      value: { accountId: account.id, left: 9, total: 10 },
    });
    const used = (await service.getAccount(account.id)).codes[0]!;
    expect(used).toMatchObject({ state: 'used', usedOn: LOGIN });
  });

  test('release gives the held code back', async () => {
    await fillVia(contentIn(LOGIN, 5));
    const ids = { accountId: account.id, codeId: account.codes[0]!.id };
    expect(await send({ type: 'content:release', ...ids }, contentIn(LOGIN, 5))).toEqual({
      ok: true,
      value: { accountId: account.id, left: 10, total: 10 },
    });
    expect((await service.getAccount(account.id)).codes[0]!.state).toBe('unused');
  });
});

describe('sender checks', () => {
  const openOffer = { type: 'content:open-offer', kind: 'backup-code' };
  const offerState = { type: 'offer:state', nonce: 'n'.repeat(22) };
  test.each<[string, SenderInfo]>([
    ['another extension', { id: 'someone-else', url: 'chrome-extension://someone-else/page.html' }],
    ['our id with a foreign extension URL', { id: EXTENSION_ID, url: 'moz-extension://other/page.html' }],
    ['no id', { url: `${EXTENSION_BASE}popup.html` }],
    ['no URL', { id: EXTENSION_ID }],
    ['a web page without a tab', { id: EXTENSION_ID, url: LOGIN }],
    ['a tab without a URL', { id: EXTENSION_ID, url: LOGIN, tab: { id: 3 } }],
    ['a file: page', contentIn('file:///home/me/login.html')],
    ['the offer page at the top of a tab (frame 0)', offerSender(3, LOGIN, 0)],
    ['the offer page without a tab', { id: EXTENSION_ID, url: `${EXTENSION_BASE}offer.html`, frameId: 2 }],
    ['the offer page in a tab that shows no web page', offerSender(3, 'about:blank')],
    ['the offer page of another extension', { ...offerSender(3), id: 'someone-else' }],
  ])('%s is refused', async (_, sender) => {
    for (const message of [
      { type: 'status' },
      { type: 'content:open-offer', kind: 'backup-code' },
      { type: 'offer:state', nonce: 'n'.repeat(22) },
    ]) {
      expect(await send(message, sender)).toEqual({
        ok: false,
        error: { code: 'forbidden-sender', message: expect.any(String) },
      });
    }
  });

  // Found by the message fuzzer (message-fuzz.test.ts): a URL that is not a string reached `startsWith` and the
  // router's promise rejected instead of answering. No browser reports these; the router must still answer.
  test.each<[string, unknown, unknown]>([
    [
      'a URL that is an array',
      { id: EXTENSION_ID, url: [`${EXTENSION_BASE}popup.html`] },
      { type: 'status' },
    ],
    [
      'an offer URL that is an array',
      { ...offerSender(3), url: [`${EXTENSION_BASE}offer.html`] },
      offerState,
    ],
    ['a tab URL that is an array', { ...contentIn(LOGIN, 3), tab: { id: 3, url: [LOGIN] } }, openOffer],
    ['a tab id that is a string', contentIn(LOGIN, '3' as unknown as number), openOffer],
    [
      'a frame id that is a string',
      contentIn(LOGIN, 3, { frameId: '2' as unknown as number, url: LOGIN }),
      openOffer,
    ],
    ['a tab that is null', { id: EXTENSION_ID, url: LOGIN, tab: null }, openOffer],
  ])('a sender with %s is refused, not thrown on', async (_, sender, message) => {
    expect(await send(message, sender as SenderInfo)).toEqual({
      ok: false,
      error: { code: 'forbidden-sender', message: expect.any(String) },
    });
  });

  test('classification follows what the browser says, not the message', () => {
    expect(classifySender(popup, SELF)).toEqual({ kind: 'page' });
    expect(classifySender({ ...popup, tab: { id: 4, url: LOGIN } }, SELF)).toEqual({
      kind: 'page',
      tabId: 4,
    });
    expect(classifySender(contentIn(LOGIN, 9), SELF)).toEqual({
      kind: 'content',
      sender: { tabId: 9, frameId: 0, topUrl: LOGIN, frameUrl: LOGIN },
    });
    expect(classifySender(offerSender(9, LOGIN, 4), SELF)).toEqual({
      kind: 'offer',
      sender: { tabId: 9, frameId: 4, topUrl: LOGIN },
    });
    // Chrome's use_dynamic_url serves the offer page from another host; the sender id proves it is ours.
    const dynamic = offerSender(9, LOGIN, 4, 'chrome-extension://0f8e3a52-6c1d-4b7e-9a2f-51d7c3e8b9a0/');
    expect(classifySender(dynamic, SELF)).toMatchObject({ kind: 'offer' });
    // Any other page of ours served from such a host is not ours to trust.
    expect(
      classifySender({ ...dynamic, url: dynamic.url!.replace('offer.html', 'popup.html') }, SELF),
    ).toBeNull();
  });
});

describe('schema validation', () => {
  const id = 'a'.repeat(22);
  test.each<[string, unknown]>([
    ['not an object', 'status'],
    ['null', null],
    ['an array', [{ type: 'status' }]],
    ['no type', { password: PASSWORD }],
    ['an unknown type', { type: 'drop-database' }],
    ['a prototype key as type', { type: 'constructor' }],
    ['an extra key', { type: 'status', debug: true }],
    ['a missing field', { type: 'unlock' }],
    ['a wrong type', { type: 'unlock', password: 12345678 }],
    ['an empty password', { type: 'unlock', password: '' }],
    ['a huge password', { type: 'unlock', password: 'x'.repeat(5000) }],
    ['codes not a list', { type: 'add-account', account: { site: 'github.com', codes: '1234' } }],
    [
      'a code without value',
      { type: 'add-account', account: { site: 'github.com', codes: [{ used: true }] } },
    ],
    ['a bad date', { type: 'replace-codes', accountId: id, codes: [{ value: '1', usedAt: 'yesterday' }] }],
    ['the old page-level reserve', { type: 'reserve-code', accountId: id, tabId: 1 }],
    ['the old page-level confirm', { type: 'confirm-code', accountId: id, codeId: id, usedOn: 'https://x/' }],
    ['a fractional minute count', { type: 'update-settings', settings: { autoLockMinutes: 1.5 } }],
    ['an unknown setting', { type: 'update-settings', settings: { telemetry: true } }],
    ['an unknown restore mode', { type: 'import-plain', text: '{}', mode: 'append' }],
    ['used as a string', { type: 'mark-code', accountId: id, codeId: id, used: 'true' }],
  ])('%s is refused as invalid-message and changes nothing', async (_, message) => {
    const before = await service.listAccounts();
    expect(await send(message, popup)).toEqual({
      ok: false,
      error: { code: 'invalid-message', message: 'Malformed request.' },
    });
    expect(await service.listAccounts()).toEqual(before);
    expect(await service.status()).toBe('unlocked');
  });

  test.each<[string, unknown]>([
    ['the old reserve', { type: 'content:reserve' }],
    ['the old reserve of one account', { type: 'content:reserve', accountId: 'x' }],
    ['an extra key', { type: 'content:open-offer', kind: 'backup-code', site: 'github.com' }],
    ['an unknown field kind', { type: 'content:open-offer', kind: 'password' }],
    ['a non-string account id', { type: 'content:confirm', accountId: 7, codeId: 'y' }],
    ['a missing code id', { type: 'content:confirm', accountId: 'x' }],
    ['a URL smuggled in', { type: 'content:confirm', accountId: 'x', codeId: 'y', usedOn: 'https://x' }],
    ['a tab smuggled in', { type: 'content:release', accountId: 'x', codeId: 'y', tabId: 3 }],
  ])('content: %s is refused', async (_, message) => {
    expect(await send(message, contentIn(LOGIN))).toEqual({
      ok: false,
      error: { code: 'invalid-message', message: 'Malformed request.' },
    });
  });

  test.each<[string, unknown]>([
    ['a short nonce', { type: 'offer:state', nonce: 'abc' }],
    ['a missing nonce', { type: 'offer:fill', accountId: 'x' }],
    ['a code asked for', { type: 'offer:fill', nonce: 'n'.repeat(22), accountId: 'x', code: true }],
    ['a target tab smuggled in', { type: 'offer:fill', nonce: 'n'.repeat(22), accountId: 'x', tabId: 1 }],
  ])('offer: %s is refused', async (_, message) => {
    expect(await send(message, offerSender(5))).toEqual({
      ok: false,
      error: { code: 'invalid-message', message: 'Malformed request.' },
    });
  });

  test('well-formed requests pass the validators, each for its own kind of sender only', () => {
    expect(parsePageRequest({ type: 'status' })).toEqual({ type: 'status' });
    expect(
      parsePageRequest({ type: 'add-account', account: { site: 'x.com', label: '', codes: [] } }),
    ).not.toBeNull();
    expect(parsePageRequest({ type: 'reserve-code', accountId: id, tabId: 3 })).toBeNull();
    expect(parseContentRequest({ type: 'content:reserve' })).toBeNull();
    const open = { type: 'content:open-offer', kind: 'backup-code' };
    expect(parseContentRequest(open)).toEqual(open);
    const fill = { type: 'offer:fill', nonce: id, accountId: id };
    expect(parseOfferRequest(fill)).toEqual(fill);
    expect(parseContentRequest(fill)).toBeNull();
    expect(parsePageRequest(fill)).toBeNull();
    expect(parseOfferRequest(open)).toBeNull();
    expect(parseContentRequest({ type: 'status' })).toBeNull();
  });
});
