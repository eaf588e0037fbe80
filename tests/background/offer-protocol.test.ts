/**
 * The security properties of the in-page offer (design §3, §4.2, §4.6), end to end through the background's
 * real router: a content script can never reserve a code by itself; an offer page acts only with a nonce the
 * background issued to its own tab; the code goes to the frame that asked and nowhere else; stale
 * reservations go back; page traffic does not keep the vault open. Each test names the check it proves and
 * would fail without it.
 */
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { wireBackground } from '../../src/background';
import { FillThrottle } from '../../src/background/offers';
import { RESERVATION_TTL_MS, type VaultServiceOptions } from '../../src/background/vault-service';
import type { OfferDeps } from '../../src/background/handlers';
import type { Account } from '../../src/core/vault';
import type { SenderInfo } from '../../src/messaging';
import {
  LOGIN,
  PASSWORD,
  codes,
  contentSender,
  muteIdle,
  newService,
  offerSender,
  pageFakes,
  popupSender as popup,
  refusal,
  resetEnvironment,
  send,
  value,
} from './support';

const RESERVATIONS_ALARM = 'spare-reservations';
// Real public suffixes: a host under an unknown one (evil.example) has no registrable domain, and the offer
// check refuses it before it compares sites at all.
const EVIL = 'https://evil.com/';

beforeEach(() => {
  resetEnvironment();
  muteIdle();
});

/** A wired background with a test service (cheap KDF, a spy for onUse) and recording page fakes. */
async function wired(options: { service?: Partial<VaultServiceOptions>; deps?: Partial<OfferDeps> } = {}) {
  const onUse = vi.fn();
  const service = newService({ onUse, ...options.service });
  const page = pageFakes();
  const releaseSites = vi.fn(async (sites: string[]) => void sites);
  wireBackground({ service, deps: { ...page.deps, ...options.deps }, releaseSites });
  await service.create(PASSWORD);
  const insta = await service.addAccount({ site: 'instagram.com', label: 'alice', codes: codes(10) });
  const github = await service.addAccount({ site: 'github.com', codes: codes(4, 100) });
  onUse.mockClear();
  const states = async (account: Account = insta) =>
    (await service.getAccount(account.id)).codes.map((c) => c.state);
  return { service, page, onUse, releaseSites, insta, github, states };
}

/** A content script's request for an offer; the nonce, or null when nothing is offered. */
async function openOffer(content: SenderInfo): Promise<string | null> {
  const ticket = await value<{ nonce: string } | null>(
    { type: 'content:open-offer', kind: 'backup-code' },
    content,
  );
  return ticket?.nonce ?? null;
}

async function nonceFor(content: SenderInfo): Promise<string> {
  const nonce = await openOffer(content);
  if (!nonce) throw new Error('expected an offer');
  return nonce;
}

const fill = (nonce: string, accountId: string, offer: SenderInfo) =>
  send({ type: 'offer:fill', nonce, accountId }, offer);

const filled = (accountId: string, left: number, total: number) => ({
  ok: true,
  value: { accountId, left, total },
});

const refusedWith = (code: string) => ({ ok: false, error: { code, message: expect.any(String) } });

// -----------------------------------------------------------------------------------------------------------

describe('draining: a page cannot reserve or burn codes by itself', () => {
  test('content:reserve and the old page-level reserve are malformed for a content script; offer:fill is forbidden to it', async () => {
    const { page, states, insta } = await wired();
    const content = contentSender(LOGIN);
    expect(await refusal({ type: 'content:reserve' }, content)).toBe('invalid-message');
    expect(await refusal({ type: 'content:reserve', accountId: insta.id }, content)).toBe('invalid-message');
    expect(await refusal({ type: 'reserve-code', accountId: insta.id }, content)).toBe('invalid-message');
    // Even holding a valid nonce, a content script is not the offer page: the router refuses the request.
    const nonce = await nonceFor(content);
    expect(await refusal({ type: 'offer:fill', nonce, accountId: insta.id }, content)).toBe(
      'forbidden-sender',
    );
    expect(page.sent).toEqual([]);
    expect(await states()).toEqual(Array(10).fill('unused'));
  });

  test('content:confirm and content:release of a code the frame does not hold are refused', async () => {
    const { states, insta, github } = await wired();
    // A code nobody holds: confirming it would burn it.
    for (const type of ['content:confirm', 'content:release']) {
      expect(
        await refusal({ type, accountId: insta.id, codeId: insta.codes[3]!.id }, contentSender(LOGIN, 5)),
      ).toBe('invalid-transition');
    }
    // A code another tab holds.
    await fill(await nonceFor(contentSender(LOGIN, 6)), insta.id, offerSender(6));
    for (const type of ['content:confirm', 'content:release']) {
      expect(
        await refusal({ type, accountId: insta.id, codeId: insta.codes[0]!.id }, contentSender(LOGIN, 5)),
      ).toBe('invalid-transition');
    }
    // Another site's script naming this site's account.
    expect(
      await refusal(
        { type: 'content:confirm', accountId: insta.id, codeId: insta.codes[0]!.id },
        contentSender(EVIL, 6),
      ),
    ).toBe('forbidden-sender');
    // And this site's script naming another site's account.
    expect(
      await refusal(
        { type: 'content:confirm', accountId: github.id, codeId: github.codes[0]!.id },
        contentSender(LOGIN, 6),
      ),
    ).toBe('forbidden-sender');
    expect(await states()).toEqual(['reserved', ...Array(9).fill('unused')]);
    expect(await states(github)).toEqual(Array(4).fill('unused'));
  });

  test('after 5 fills in one tab within a minute the 6th is too-many-requests; other tabs are unaffected', async () => {
    const { page, states, insta } = await wired();
    const nonce = await nonceFor(contentSender(LOGIN, 5));
    for (let i = 0; i < 5; i++)
      expect(await fill(nonce, insta.id, offerSender(5))).toMatchObject({ ok: true });
    expect(await fill(nonce, insta.id, offerSender(5))).toEqual(refusedWith('too-many-requests'));
    // A fresh offer in the same tab does not start the count again.
    const again = await nonceFor(contentSender(LOGIN, 5));
    expect(await fill(again, insta.id, offerSender(5))).toEqual(refusedWith('too-many-requests'));
    expect(page.filledCodes()).toHaveLength(5);
    // Each fill gave the previous code back, and the refused ones reserved nothing: one code is held.
    expect(await states()).toEqual(['reserved', ...Array(9).fill('unused')]);

    const other = await nonceFor(contentSender(LOGIN, 6));
    expect(await fill(other, insta.id, offerSender(6))).toEqual(filled(insta.id, 10, 10));
    expect(page.sent.at(-1)).toMatchObject({ tabId: 6, command: { type: 'background:fill' } });
  });

  test('the fill limit is per minute: a minute later the tab may fill again', async () => {
    let now = 1_000_000;
    const { insta } = await wired({ deps: { throttle: new FillThrottle(undefined, undefined, () => now) } });
    const nonce = await nonceFor(contentSender(LOGIN, 5));
    for (let i = 0; i < 5; i++) {
      expect(await fill(nonce, insta.id, offerSender(5))).toMatchObject({ ok: true });
      now += 10_000;
    }
    // 50 s after the first fill: still within its minute.
    expect(await fill(nonce, insta.id, offerSender(5))).toEqual(refusedWith('too-many-requests'));
    now += 10_000; // the first fill is a minute old now
    expect(await fill(nonce, insta.id, offerSender(5))).toMatchObject({ ok: true });
  });
});

// -----------------------------------------------------------------------------------------------------------

describe('offer nonce binding', () => {
  test('an offer frame in the tab the nonce was issued to reads the state of that site only, and fills', async () => {
    const { insta, page } = await wired();
    const nonce = await nonceFor(contentSender(LOGIN, 5));
    const state = await value({ type: 'offer:state', nonce }, offerSender(5));
    expect(state).toMatchObject({ state: 'unlocked', site: 'instagram.com', kind: 'backup-code' });
    expect(state).toHaveProperty('accounts', [{ id: insta.id, label: 'alice', left: 10, total: 10 }]);
    expect(await fill(nonce, insta.id, offerSender(5))).toEqual(filled(insta.id, 10, 10));
    expect(page.filledCodes()).toEqual([insta.codes[0]!.value]);
  });

  test('the offer page served from a dynamic extension host (Chrome use_dynamic_url) works the same', async () => {
    const { insta } = await wired();
    const nonce = await nonceFor(contentSender(LOGIN, 5));
    const dynamic = offerSender(5, LOGIN, 7, 'chrome-extension://5d1c7e0a-93b4-4f3e-8c21-7a6b9e0d4f12/');
    expect(await fill(nonce, insta.id, dynamic)).toEqual(filled(insta.id, 10, 10));
  });

  test('a nonce issued to another tab is offer-expired', async () => {
    const { insta, page, states } = await wired();
    const nonce = await nonceFor(contentSender(LOGIN, 5));
    expect(await refusal({ type: 'offer:state', nonce }, offerSender(6))).toBe('offer-expired');
    expect(await fill(nonce, insta.id, offerSender(6))).toEqual(refusedWith('offer-expired'));
    expect(page.sent).toEqual([]);
    expect(await states()).toEqual(Array(10).fill('unused'));
    // The tab it was issued to may still use it.
    expect(await fill(nonce, insta.id, offerSender(5))).toMatchObject({ ok: true });
  });

  test('an unknown nonce, or one whose tab has closed, is offer-expired', async () => {
    const { insta, page } = await wired();
    expect(await fill('x'.repeat(22), insta.id, offerSender(5))).toEqual(refusedWith('offer-expired'));
    const nonce = await nonceFor(contentSender(LOGIN, 5));
    await fakeBrowser.tabs.onRemoved.trigger(5, { windowId: 1, isWindowClosing: false });
    expect(await refusal({ type: 'offer:state', nonce }, offerSender(5))).toBe('offer-expired');
    expect(page.sent).toEqual([]);
  });

  test('a second offer frame cannot use a nonce another frame claimed', async () => {
    const { insta, page } = await wired();
    const nonce = await nonceFor(contentSender(LOGIN, 5));
    expect(await send({ type: 'offer:state', nonce }, offerSender(5, LOGIN, 7))).toMatchObject({ ok: true });
    expect(await refusal({ type: 'offer:state', nonce }, offerSender(5, LOGIN, 8))).toBe('offer-expired');
    expect(await fill(nonce, insta.id, offerSender(5, LOGIN, 8))).toEqual(refusedWith('offer-expired'));
    expect(page.sent).toEqual([]);
    expect(await fill(nonce, insta.id, offerSender(5, LOGIN, 7))).toMatchObject({ ok: true });
  });

  test('a tab that navigated to another site is offer-expired; another page of the same site is not', async () => {
    const { insta, page, states } = await wired();
    const nonce = await nonceFor(contentSender(LOGIN, 5));
    expect(await refusal({ type: 'offer:state', nonce }, offerSender(5, EVIL))).toBe('offer-expired');
    expect(await fill(nonce, insta.id, offerSender(5, EVIL))).toEqual(refusedWith('offer-expired'));
    expect(page.sent).toEqual([]);
    expect(await states()).toEqual(Array(10).fill('unused'));
    const samesite = offerSender(5, 'https://www.instagram.com/challenge/');
    expect(await fill(nonce, insta.id, samesite)).toMatchObject({ ok: true });
  });

  test('the popup cannot send offer requests, and the offer page cannot send page or content requests', async () => {
    const { insta, page, states } = await wired();
    const nonce = await nonceFor(contentSender(LOGIN, 5));
    const popupInTab = { ...popup, tab: { id: 5, url: LOGIN } };
    for (const sender of [popup, popupInTab]) {
      for (const message of [
        { type: 'offer:state', nonce },
        { type: 'offer:fill', nonce, accountId: insta.id },
        { type: 'offer:close', nonce },
      ]) {
        expect(await refusal(message, sender)).toBe('forbidden-sender');
      }
    }
    for (const message of [
      { type: 'list-accounts' },
      { type: 'export-plain', password: PASSWORD },
      { type: 'get-account', accountId: insta.id },
      { type: 'accounts-for-url', url: LOGIN },
      { type: 'mark-code', accountId: insta.id, codeId: insta.codes[0]!.id, used: true },
      { type: 'lock' },
      { type: 'content:open-offer', kind: 'backup-code' },
      { type: 'content:confirm', accountId: insta.id, codeId: insta.codes[0]!.id },
    ]) {
      expect(await refusal(message, offerSender(5))).toBe('forbidden-sender');
    }
    expect(page.sent).toEqual([]);
    expect(await states()).toEqual(Array(10).fill('unused'));
    expect(await value({ type: 'status' }, popup)).toEqual({ state: 'unlocked' });
  });
});

// -----------------------------------------------------------------------------------------------------------

describe('who gets the code', () => {
  test("the check and the fill go to the ticket's tab and frame only, never to the offer's frame", async () => {
    const { insta, page } = await wired();
    const frame = contentSender(LOGIN, 5, { frameId: 3, url: 'https://www.instagram.com/challenge/' });
    const nonce = await nonceFor(frame);
    await fill(nonce, insta.id, offerSender(5, LOGIN, 9));
    expect(page.sent).toEqual([
      { tabId: 5, frameId: 3, command: { type: 'background:check-fill', nonce } },
      {
        tabId: 5,
        frameId: 3,
        command: {
          type: 'background:fill',
          nonce,
          code: insta.codes[0]!.value,
          accountId: insta.id,
          codeId: insta.codes[0]!.id,
        },
      },
    ]);
  });

  test('the production command sends to that one frame with tabs.sendMessage', async () => {
    // No `command` fake: the real commandFrame runs against the fake browser.
    const sendMessage = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue({ ok: true });
    const onUse = vi.fn();
    const service = newService({ onUse });
    const { injectOffer, browserSession } = pageFakes().deps;
    wireBackground({ service, deps: { injectOffer, browserSession } });
    await service.create(PASSWORD);
    const insta = await service.addAccount({ site: 'instagram.com', codes: codes(3) });
    const nonce = await nonceFor(contentSender(LOGIN, 5, { frameId: 3, url: LOGIN }));
    expect(await fill(nonce, insta.id, offerSender(5, LOGIN, 9))).toMatchObject({ ok: true });
    expect(sendMessage.mock.calls.map(([tabId, , options]) => [tabId, options])).toEqual([
      [5, { frameId: 3 }],
      [5, { frameId: 3 }],
    ]);
    expect(sendMessage.mock.calls[1]![1]).toMatchObject({
      type: 'background:fill',
      code: insta.codes[0]!.value,
    });
  });

  test('a cross-site frame in a matching tab gets no offer, and a ticket it got while locked fills nothing', async () => {
    const { service, insta, page, states } = await wired();
    const crossSite = contentSender(LOGIN, 5, { frameId: 4, url: 'https://evil.com/frame' });
    expect(await openOffer(crossSite)).toBeNull();
    // While locked any frame the script runs in gets an offer to unlock; after unlocking it still gets no code.
    await service.lock();
    const nonce = await nonceFor(crossSite);
    await service.unlock(PASSWORD);
    expect(await value({ type: 'offer:state', nonce }, offerSender(5))).toMatchObject({ accounts: [] });
    expect(await fill(nonce, insta.id, offerSender(5))).toEqual(refusedWith('forbidden-sender'));
    expect(page.filledCodes()).toEqual([]);
    expect(await states()).toEqual(Array(10).fill('unused'));
  });

  test.each([
    ['a look-alike domain', 'https://evil-instagram.com/accounts/login/'],
    ['a subdomain of another site', 'https://instagram.com.evil.com/'],
    ['plain http', 'http://www.instagram.com/accounts/login/'],
    ['an instagram frame in another site', EVIL],
  ])('%s gets no offer, and a ticket it got while locked fills nothing (§4.2)', async (_, url) => {
    const { service, insta, page, states } = await wired();
    const content = url === EVIL ? contentSender(EVIL, 5, { frameId: 2, url: LOGIN }) : contentSender(url, 5);
    expect(await openOffer(content)).toBeNull();
    await service.lock();
    const nonce = await nonceFor(content);
    await service.unlock(PASSWORD);
    expect(await fill(nonce, insta.id, offerSender(5, url))).toEqual(refusedWith('forbidden-sender'));
    expect(page.filledCodes()).toEqual([]);
    expect(await states()).toEqual(Array(10).fill('unused'));
  });

  test('localhost and 127.0.0.1 are different sites; the port does not matter (§4.2)', async () => {
    const { service, page } = await wired();
    const local = await service.addAccount({ site: 'localhost', codes: codes(2, 300) });
    const onLoopback = contentSender('http://127.0.0.1:8080/login', 5);
    expect(await openOffer(onLoopback)).toBeNull();
    await service.lock();
    const nonce = await nonceFor(onLoopback);
    await service.unlock(PASSWORD);
    expect(await fill(nonce, local.id, offerSender(5, 'http://127.0.0.1:8080/login'))).toEqual(
      refusedWith('forbidden-sender'),
    );
    expect(page.filledCodes()).toEqual([]);

    const onLocalhost = contentSender('http://localhost:3000/login', 6);
    const ok = await nonceFor(onLocalhost);
    expect(await fill(ok, local.id, offerSender(6, 'http://localhost:3000/login'))).toEqual(
      filled(local.id, 2, 2),
    );
    expect(page.filledCodes()).toEqual([local.codes[0]!.value]);
  });

  test('an offer cannot fill an account of another site, even by naming its id', async () => {
    const { insta, github, page, states } = await wired();
    const nonce = await nonceFor(contentSender(LOGIN, 5));
    const state = await value<{ accounts: { id: string }[] }>({ type: 'offer:state', nonce }, offerSender(5));
    expect(state.accounts.map((a) => a.id)).toEqual([insta.id]);
    expect(await fill(nonce, github.id, offerSender(5))).toEqual(refusedWith('forbidden-sender'));
    expect(page.filledCodes()).toEqual([]);
    expect(await states(github)).toEqual(Array(4).fill('unused'));
  });
});

// -----------------------------------------------------------------------------------------------------------

describe('refused and repeated fills', () => {
  test('a refused check-fill reserves nothing and sends no code', async () => {
    const { insta, page, states } = await wired();
    page.answer = (command) =>
      command.type === 'background:check-fill'
        ? { ok: false, reason: 'The field is covered.' }
        : { ok: true };
    const nonce = await nonceFor(contentSender(LOGIN, 5));
    expect(await fill(nonce, insta.id, offerSender(5))).toEqual({
      ok: false,
      error: { code: 'fill-refused', message: 'The field is covered.' },
    });
    expect(page.sent.map((s) => s.command.type)).toEqual(['background:check-fill']);
    expect(await states()).toEqual(Array(10).fill('unused'));
    expect(
      (await value<Account>({ type: 'get-account', accountId: insta.id }, popup)).codes[0]!.history,
    ).toHaveLength(1);
  });

  test.each([
    ['refuses the fill', () => ({ ok: false as const, reason: 'The field moved.' })],
    [
      'is gone before the fill',
      () => {
        throw new Error('Could not establish connection. Receiving end does not exist.');
      },
    ],
  ])('a page that %s gets the code released again', async (_, refuse) => {
    const { insta, page, states } = await wired();
    page.answer = (command) => (command.type === 'background:fill' ? refuse() : { ok: true });
    const nonce = await nonceFor(contentSender(LOGIN, 5));
    expect(await fill(nonce, insta.id, offerSender(5))).toMatchObject(refusedWith('fill-refused'));
    expect(page.filledCodes()).toEqual([insta.codes[0]!.value]);
    const code = (await value<Account>({ type: 'get-account', accountId: insta.id }, popup)).codes[0]!;
    expect(code.state).toBe('unused');
    expect(code.history.map((e) => e.to)).toEqual(['unused', 'reserved', 'unused']);
    expect(await states()).toEqual(Array(10).fill('unused'));
    // The same code is offered next.
    page.answer = () => ({ ok: true });
    await fill(nonce, insta.id, offerSender(5));
    expect(page.filledCodes()).toEqual([insta.codes[0]!.value, insta.codes[0]!.value]);
  });

  test('a second fill in the same tab and frame gives a different code and releases the first', async () => {
    const { insta, page, states } = await wired();
    const content = contentSender(LOGIN, 5);
    const nonce = await nonceFor(content);
    await fill(nonce, insta.id, offerSender(5));
    await fill(nonce, insta.id, offerSender(5));
    expect(page.filledCodes()).toEqual([insta.codes[0]!.value, insta.codes[1]!.value]);
    expect(await states()).toEqual(['unused', 'reserved', ...Array(8).fill('unused')]);
    // The page's submit can confirm only the code now in the field.
    const confirm = (i: number) =>
      send({ type: 'content:confirm', accountId: insta.id, codeId: insta.codes[i]!.id }, content);
    expect(await confirm(0)).toMatchObject(refusedWith('invalid-transition'));
    expect(await confirm(1)).toEqual({ ok: true, value: { accountId: insta.id, left: 9, total: 10 } });
  });

  test('a second fill that the page refuses leaves the first code held: it is still in the field', async () => {
    const { insta, page, states } = await wired();
    const nonce = await nonceFor(contentSender(LOGIN, 5));
    await fill(nonce, insta.id, offerSender(5));
    page.answer = (command) =>
      command.type === 'background:fill' ? { ok: false, reason: 'The field moved.' } : { ok: true };
    expect(await fill(nonce, insta.id, offerSender(5))).toMatchObject(refusedWith('fill-refused'));
    expect(await states()).toEqual(['reserved', ...Array(9).fill('unused')]);
  });

  // The field holds one code at a time: a fill from another account of the same site replaces the first code,
  // which goes back at once instead of staying reserved until the 5-minute sweep.
  test('a second fill from another account of the same site releases the first account’s code', async () => {
    const { service, insta, page, states } = await wired();
    const bob = await service.addAccount({ site: 'instagram.com', label: 'bob', codes: codes(3, 500) });
    const nonce = await nonceFor(contentSender(LOGIN, 5));
    await fill(nonce, insta.id, offerSender(5));
    await fill(nonce, bob.id, offerSender(5));
    expect(page.filledCodes()).toEqual([insta.codes[0]!.value, bob.codes[0]!.value]);
    expect(await states(bob)).toEqual(['reserved', 'unused', 'unused']);
    expect(await states()).toEqual(Array(10).fill('unused'));
  });
});

// -----------------------------------------------------------------------------------------------------------

describe('stale reservations', () => {
  test('the reservation alarm releases what is past RESERVATION_TTL_MS, and nothing younger', async () => {
    let now = Date.parse('2026-11-20T10:00:00Z');
    const { service, insta, states } = await wired({ service: { now: () => new Date(now) } });
    await fill(await nonceFor(contentSender(LOGIN, 5)), insta.id, offerSender(5));
    now += 60_000;
    await fill(await nonceFor(contentSender(LOGIN, 6)), insta.id, offerSender(6));

    now += RESERVATION_TTL_MS - 60_000 - 1;
    await fakeBrowser.alarms.onAlarm.trigger({ name: RESERVATIONS_ALARM, scheduledTime: now });
    expect(await states()).toEqual(['reserved', 'reserved', ...Array(8).fill('unused')]);

    now += 1;
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'something-else', scheduledTime: now });
    expect(await states()).toEqual(['reserved', 'reserved', ...Array(8).fill('unused')]);
    await fakeBrowser.alarms.onAlarm.trigger({ name: RESERVATIONS_ALARM, scheduledTime: now });
    // The sweep runs on the service's queue: the next read waits for it.
    expect(await states()).toEqual(['unused', 'reserved', ...Array(8).fill('unused')]);
    expect(await service.nextReservationExpiry()).toBe(
      Date.parse('2026-11-20T10:01:00Z') + RESERVATION_TTL_MS,
    );
  });

  test('a tab closed while locked has its code released at the next unlock; other tabs keep theirs', async () => {
    const { insta, states } = await wired();
    await fill(await nonceFor(contentSender(LOGIN, 5)), insta.id, offerSender(5));
    await fill(await nonceFor(contentSender(LOGIN, 6)), insta.id, offerSender(6));
    expect(await value({ type: 'lock' }, popup)).toEqual({ state: 'locked' });
    await fakeBrowser.tabs.onRemoved.trigger(5, { windowId: 1, isWindowClosing: false });
    expect(await value({ type: 'unlock', password: PASSWORD }, popup)).toEqual({ state: 'unlocked' });
    expect(await states()).toEqual(['unused', 'reserved', ...Array(8).fill('unused')]);
  });

  test('a tab closed while unlocked has its code released at once', async () => {
    const { insta, states } = await wired();
    await fill(await nonceFor(contentSender(LOGIN, 5)), insta.id, offerSender(5));
    await fakeBrowser.tabs.onRemoved.trigger(5, { windowId: 1, isWindowClosing: false });
    expect(await states()).toEqual(Array(10).fill('unused'));
  });

  test('a tab that loads a new page releases what it held after a grace period; a submit within it confirms', async () => {
    const { insta, states } = await wired();
    const loading = (tabId: number) =>
      fakeBrowser.tabs.onUpdated.trigger(tabId, { status: 'loading', url: LOGIN }, {
        id: tabId,
        url: LOGIN,
      } as never);
    const tab5 = contentSender(LOGIN, 5);
    await fill(await nonceFor(tab5), insta.id, offerSender(5));
    await fill(await nonceFor(contentSender(LOGIN, 6)), insta.id, offerSender(6));
    await fill(await nonceFor(contentSender(LOGIN, 8)), insta.id, offerSender(8));
    await loading(5);
    await loading(6);
    await loading(7);
    // Tab 5's submit lands just after its page started to go: the code is used, not given back.
    expect(
      await value({ type: 'content:confirm', accountId: insta.id, codeId: insta.codes[0]!.id }, tab5),
    ).toMatchObject({ left: 9 });
    // Tab 7 fills on its new page: that code is the new page's. Tab 8 did not navigate.
    await fill(await nonceFor(contentSender(LOGIN, 7)), insta.id, offerSender(7));
    expect(await states()).toEqual(['used', 'reserved', 'reserved', 'reserved', ...Array(6).fill('unused')]);
    await vi.waitFor(
      async () =>
        expect(await states()).toEqual([
          'used',
          'unused',
          'reserved',
          'reserved',
          ...Array(6).fill('unused'),
        ]),
      { timeout: 5000, interval: 200 },
    );
  });

  describe('with the production service (its liveHolders: this browser session, open tabs)', () => {
    /** `wireBackground()` builds its own service; the vault is made next to it with cheap KDF parameters. */
    async function production() {
      const page = pageFakes();
      // The real browserSession: the id kept in storage.session.
      const { command, injectOffer } = page.deps;
      const service = wireBackground({ deps: { command, injectOffer } });
      await newService().create(PASSWORD);
      const insta = await service.addAccount({ site: 'instagram.com', codes: codes(6) });
      const states = async () => (await service.getAccount(insta.id)).codes.map((c) => c.state);
      return { service, page, insta, states };
    }

    test('a tab that is gone at unlock is released; an open one keeps its code', async () => {
      const { insta, states } = await production();
      const open = await fakeBrowser.tabs.create({ url: LOGIN });
      await fill(await nonceFor(contentSender(LOGIN, open.id!)), insta.id, offerSender(open.id!));
      // Tab 42 is not among the browser's tabs: it closed while the background was not listening.
      await fill(await nonceFor(contentSender(LOGIN, 42)), insta.id, offerSender(42));
      expect(await states()).toEqual(['reserved', 'reserved', 'unused', 'unused', 'unused', 'unused']);
      await value({ type: 'lock' }, popup);
      await value({ type: 'unlock', password: PASSWORD }, popup);
      expect(await states()).toEqual(['reserved', 'unused', 'unused', 'unused', 'unused', 'unused']);
    });

    test('a reservation from an earlier browser session is released at unlock, though its tab id is open again', async () => {
      const first = await production();
      const tab = await fakeBrowser.tabs.create({ url: LOGIN });
      await fill(await nonceFor(contentSender(LOGIN, tab.id!)), first.insta.id, offerSender(tab.id!));
      expect(await first.states()).toEqual(['reserved', ...Array(5).fill('unused')]);

      // The browser quits and starts again: storage.session (the data key, the session id) and the tabs are
      // gone, IndexedDB stays; tab ids start over, so the new first tab has the old one's id.
      fakeBrowser.reset();
      muteIdle();
      const page = pageFakes();
      const service = wireBackground({
        deps: { command: page.deps.command, injectOffer: page.deps.injectOffer },
      });
      const again = await fakeBrowser.tabs.create({ url: LOGIN });
      expect(again.id).toBe(tab.id);
      expect(await value({ type: 'status' }, popup)).toEqual({ state: 'locked' });
      await value({ type: 'unlock', password: PASSWORD }, popup);
      const states = async () => (await service.getAccount(first.insta.id)).codes.map((c) => c.state);
      expect(await states()).toEqual(Array(6).fill('unused'));

      // A reservation of this session in an open tab survives the next lock and unlock.
      await fill(await nonceFor(contentSender(LOGIN, again.id!)), first.insta.id, offerSender(again.id!));
      await value({ type: 'lock' }, popup);
      await value({ type: 'unlock', password: PASSWORD }, popup);
      expect(await states()).toEqual(['reserved', ...Array(5).fill('unused')]);
    });
  });
});

// -----------------------------------------------------------------------------------------------------------

describe('idle lock: only what a person does restarts it', () => {
  test('content:load-offer, content:open-offer, offer:state, offer:close, content:confirm and content:release do not call onUse', async () => {
    const { insta, onUse } = await wired();
    const content = contentSender(LOGIN, 5);
    await send({ type: 'content:load-offer' }, content);
    const nonce = await nonceFor(content);
    await value({ type: 'offer:state', nonce }, offerSender(5));
    await value({ type: 'offer:close', nonce }, offerSender(5));
    expect(onUse).not.toHaveBeenCalled();

    await fill(nonce, insta.id, offerSender(5));
    onUse.mockClear();
    await value({ type: 'content:release', accountId: insta.id, codeId: insta.codes[0]!.id }, content);
    expect(onUse).not.toHaveBeenCalled();

    await fill(nonce, insta.id, offerSender(5));
    onUse.mockClear();
    await value({ type: 'content:confirm', accountId: insta.id, codeId: insta.codes[0]!.id }, content);
    expect(onUse).not.toHaveBeenCalled();
  });

  test('a page request and offer:fill (a trusted click in the offer) do', async () => {
    const { insta, onUse } = await wired();
    await value({ type: 'list-accounts' }, popup);
    expect(onUse).toHaveBeenCalledTimes(1);
    const nonce = await nonceFor(contentSender(LOGIN, 5));
    expect(onUse).toHaveBeenCalledTimes(1);
    await fill(nonce, insta.id, offerSender(5));
    expect(onUse).toHaveBeenCalledTimes(2);
  });
});

// -----------------------------------------------------------------------------------------------------------

describe('document lifecycle', () => {
  test.each(['prerender', 'cached', 'pending_deletion'])(
    'a %s document is refused, as a content script and as an offer page',
    async (lifecycle) => {
      const { insta, page, states } = await wired();
      const content = contentSender(LOGIN, 5, undefined, { documentLifecycle: lifecycle });
      expect(await refusal({ type: 'content:load-offer' }, content)).toBe('forbidden-sender');
      expect(await refusal({ type: 'content:open-offer', kind: 'backup-code' }, content)).toBe(
        'forbidden-sender',
      );
      expect(page.injected).toEqual([]);
      const nonce = await nonceFor(contentSender(LOGIN, 5));
      const offer = offerSender(5, LOGIN, 7, undefined, { documentLifecycle: lifecycle });
      expect(await refusal({ type: 'offer:state', nonce }, offer)).toBe('forbidden-sender');
      expect(await fill(nonce, insta.id, offer)).toEqual(refusedWith('forbidden-sender'));
      expect(page.sent).toEqual([]);
      expect(await states()).toEqual(Array(10).fill('unused'));
    },
  );

  test('an active document is served', async () => {
    const { insta } = await wired();
    const content = contentSender(LOGIN, 5, undefined, { documentLifecycle: 'active' });
    const nonce = await nonceFor(content);
    const offer = offerSender(5, LOGIN, 7, undefined, { documentLifecycle: 'active' });
    expect(await fill(nonce, insta.id, offer)).toEqual(filled(insta.id, 10, 10));
  });
});

// -----------------------------------------------------------------------------------------------------------

describe("a site's permission goes with its last account", () => {
  test('deleting the last account of a site calls releaseSites with that site', async () => {
    const { github, releaseSites } = await wired();
    await value({ type: 'delete-account', accountId: github.id }, popup);
    expect(releaseSites).toHaveBeenCalledWith(['github.com']);
  });

  test('deleting one of two accounts of a site does not; deleting the second does', async () => {
    const { service, insta, releaseSites } = await wired();
    const bob = await service.addAccount({ site: 'instagram.com', label: 'bob', codes: codes(2, 500) });
    await value({ type: 'delete-account', accountId: insta.id }, popup);
    expect(releaseSites.mock.calls.flat(2)).toEqual([]);
    await value({ type: 'delete-account', accountId: bob.id }, popup);
    expect(releaseSites.mock.calls.flat(2)).toEqual(['instagram.com']);
  });

  test("moving a site's last account to another site releases the old site", async () => {
    const { github, releaseSites } = await wired();
    await value({ type: 'update-account', accountId: github.id, changes: { site: 'gitlab.com' } }, popup);
    expect(releaseSites.mock.calls.flat(2)).toEqual(['github.com']);
  });

  // A 'replace' restore drops every current account: a site left without one gives up its permission and its
  // content script (design §3: sites with no codes pay nothing).
  test("a 'replace' import that drops a site's last account releases that site", async () => {
    const { releaseSites } = await wired();
    const plain = JSON.stringify({
      format: 'spare-plain',
      version: 1,
      accounts: [{ site: 'instagram.com', codes: [{ code: '9999 0000', used: false }] }],
    });
    await value({ type: 'import-plain', text: plain, mode: 'replace' }, popup);
    expect(releaseSites.mock.calls.flat(2)).toContain('github.com');
  });
});
