/**
 * The protocol end to end inside the background: messages go through the real `runtime.onMessage` listener
 * that `wireBackground` adds, with sender objects shaped like the ones Chrome and Firefox report.
 */
import { beforeEach, describe, expect, test, vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { wireBackground } from '../../src/background';
import { classifySender, parseContentRequest, parsePageRequest, type SenderInfo } from '../../src/messaging';
import type { Account } from '../../src/core/vault';
import { EXTENSION_BASE, EXTENSION_ID, PASSWORD, codes, newService, resetEnvironment } from './support';

const LOGIN = 'https://www.instagram.com/accounts/login/two_factor/';
const SELF = { id: EXTENSION_ID, baseUrl: EXTENSION_BASE };

const popup: SenderInfo = { id: EXTENSION_ID, url: `${EXTENSION_BASE}popup.html` };
function contentIn(url: string, tabId = 5, frame?: { frameId: number; url: string }): SenderInfo {
  return {
    id: EXTENSION_ID,
    url: frame?.url ?? url,
    frameId: frame?.frameId ?? 0,
    tab: { id: tabId, url },
  };
}

async function send(message: unknown, sender: SenderInfo): Promise<unknown> {
  // The fake's trigger is typed with Chrome's full MessageSender; ours is the subset browsers always fill.
  const answers = await fakeBrowser.runtime.onMessage.trigger(
    message,
    sender as Browser.runtime.MessageSender,
  );
  expect(answers).toHaveLength(1);
  return answers[0];
}

let account: Account;
let service: ReturnType<typeof newService>;

beforeEach(async () => {
  resetEnvironment();
  vi.spyOn(fakeBrowser.idle.onStateChanged, 'addListener').mockImplementation(() => undefined);
  service = newService();
  wireBackground({ service });
  await service.create(PASSWORD);
  account = await service.addAccount({ site: 'instagram.com', label: 'alice', codes: codes(10) });
  await service.addAccount({ site: 'github.com', codes: codes(4, 100) });
});

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
  test('one for its own origin gets exactly one code', async () => {
    const answer = (await send({ type: 'content:reserve' }, contentIn(LOGIN))) as {
      ok: true;
      value: Record<string, unknown>;
    };
    expect(answer.ok).toBe(true);
    expect(Object.keys(answer.value).sort()).toEqual([
      'accountId',
      'code',
      'codeId',
      'left',
      'site',
      'total',
    ]);
    expect(answer.value.code).toBe(account.codes[0]!.value);
    expect(answer.value.accountId).toBe(account.id);
  });

  test("a site adapter's other domains count as the same site (x.com and twitter.com)", async () => {
    const x = await service.addAccount({ site: 'x.com', codes: codes(3, 200) });
    const onTwitter = contentIn('https://twitter.com/account/login_verification', 7);
    expect(await send({ type: 'content:reserve', accountId: x.id }, onTwitter)).toMatchObject({
      ok: true,
      value: { accountId: x.id, site: 'x.com' },
    });
  });

  test('a same-site frame in a same-site tab is served; a cross-site frame is not', async () => {
    const sameSite = contentIn(LOGIN, 5, { frameId: 3, url: 'https://help.instagram.com/frame' });
    expect(await send({ type: 'content:reserve' }, sameSite)).toMatchObject({ ok: true });
    const crossSite = contentIn(LOGIN, 6, { frameId: 4, url: 'https://evil.example/frame' });
    expect(await send({ type: 'content:reserve', accountId: account.id }, crossSite)).toEqual({
      ok: false,
      error: { code: 'forbidden-sender', message: expect.any(String) },
    });
    // An instagram frame inside another site's tab is refused too: the top-level origin must match.
    const framed = contentIn('https://evil.example/', 7, { frameId: 2, url: LOGIN });
    expect(await send({ type: 'content:reserve', accountId: account.id }, framed)).toMatchObject({
      ok: false,
      error: { code: 'forbidden-sender' },
    });
  });

  test('one for another origin cannot get that account’s code', async () => {
    const evil = contentIn('https://evil.example/login');
    expect(await send({ type: 'content:reserve', accountId: account.id }, evil)).toEqual({
      ok: false,
      error: { code: 'forbidden-sender', message: expect.any(String) },
    });
    expect(await send({ type: 'content:reserve' }, evil)).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    // A look-alike on plain http is not the site either.
    const http = contentIn('http://www.instagram.com/accounts/login/');
    expect(await send({ type: 'content:reserve' }, http)).toMatchObject({ ok: false });
    expect((await service.getAccount(account.id)).codes.every((c) => c.state === 'unused')).toBe(true);
  });

  test('may not make page requests', async () => {
    for (const message of [
      { type: 'list-accounts' },
      { type: 'get-account', accountId: account.id },
      { type: 'export-plain', password: PASSWORD },
      { type: 'reserve-code', accountId: account.id },
    ]) {
      expect(await send(message, contentIn(LOGIN))).toEqual({
        ok: false,
        error: { code: 'forbidden-sender', message: expect.any(String) },
      });
    }
  });

  test('receives nothing but vault-locked while locked', async () => {
    await service.lock();
    for (const message of [
      { type: 'content:reserve' },
      { type: 'content:reserve', accountId: account.id },
      { type: 'content:confirm', accountId: account.id, codeId: account.codes[0]!.id },
    ]) {
      expect(await send(message, contentIn(LOGIN))).toEqual({
        ok: false,
        error: { code: 'vault-locked', message: 'Spare is locked.' },
      });
    }
  });

  test('confirm and release apply only to the code this tab holds', async () => {
    const r = (await send({ type: 'content:reserve' }, contentIn(LOGIN, 5))) as {
      value: { accountId: string; codeId: string };
    };
    const ids = { accountId: r.value.accountId, codeId: r.value.codeId };
    expect(await send({ type: 'content:confirm', ...ids }, contentIn(LOGIN, 6))).toMatchObject({ ok: false });
    expect(await send({ type: 'content:confirm', ...ids }, contentIn(LOGIN, 5))).toEqual({
      ok: true,
      value: { accountId: account.id, left: 9, total: 10 },
    });
    const used = (await service.getAccount(account.id)).codes[0]!;
    expect(used).toMatchObject({ state: 'used', usedOn: LOGIN });
  });
});

describe('sender checks', () => {
  test.each<[string, SenderInfo]>([
    ['another extension', { id: 'someone-else', url: 'chrome-extension://someone-else/page.html' }],
    ['our id with a foreign extension URL', { id: EXTENSION_ID, url: 'moz-extension://other/page.html' }],
    ['no id', { url: `${EXTENSION_BASE}popup.html` }],
    ['no URL', { id: EXTENSION_ID }],
    ['a web page without a tab', { id: EXTENSION_ID, url: LOGIN }],
    ['a tab without a URL', { id: EXTENSION_ID, url: LOGIN, tab: { id: 3 } }],
    ['a file: page', contentIn('file:///home/me/login.html')],
  ])('%s is refused', async (_, sender) => {
    expect(await send({ type: 'status' }, sender)).toEqual({
      ok: false,
      error: { code: 'forbidden-sender', message: expect.any(String) },
    });
    expect(await send({ type: 'content:reserve' }, sender)).toMatchObject({
      ok: false,
      error: { code: 'forbidden-sender' },
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
    ['a negative tab id', { type: 'reserve-code', accountId: id, tabId: -1 }],
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
    ['an extra key', { type: 'content:reserve', site: 'github.com' }],
    ['a non-string account id', { type: 'content:reserve', accountId: 7 }],
    ['a missing code id', { type: 'content:confirm', accountId: 'x' }],
    ['a URL smuggled in', { type: 'content:confirm', accountId: 'x', codeId: 'y', usedOn: 'https://x' }],
  ])('content: %s is refused', async (_, message) => {
    expect(await send(message, contentIn(LOGIN))).toEqual({
      ok: false,
      error: { code: 'invalid-message', message: 'Malformed request.' },
    });
  });

  test('well-formed requests pass the validators', () => {
    expect(parsePageRequest({ type: 'status' })).toEqual({ type: 'status' });
    expect(
      parsePageRequest({ type: 'add-account', account: { site: 'x.com', label: '', codes: [] } }),
    ).not.toBeNull();
    expect(parsePageRequest({ type: 'reserve-code', accountId: id, tabId: 3 })).not.toBeNull();
    expect(parseContentRequest({ type: 'content:reserve' })).toEqual({ type: 'content:reserve' });
    expect(parseContentRequest({ type: 'status' })).toBeNull();
    expect(parsePageRequest({ type: 'content:reserve' })).toBeNull();
  });
});
