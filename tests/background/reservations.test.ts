import { beforeEach, describe, expect, test } from 'vitest';
import { RESERVATION_TTL_MS } from '../../src/background/vault-service';
import { LOGIN, PASSWORD, caught, codes, fillTarget, newService, pageOf, resetEnvironment } from './support';

beforeEach(resetEnvironment);

const tab = (tabId: number, url = LOGIN) => fillTarget(tabId, url);

async function vaultWith(count: number, options: Parameters<typeof newService>[0] = {}) {
  const service = newService(options);
  await service.create(PASSWORD);
  const account = await service.addAccount({ site: 'instagram.com', label: 'alice', codes: codes(count) });
  return { service, account };
}

const states = async (service: ReturnType<typeof newService>, accountId: string) =>
  (await service.getAccount(accountId)).codes.map((c) => c.state);

describe('reservation is atomic', () => {
  test('100 concurrent fills from 100 tabs get 100 distinct codes, and the 101st finds none left', async () => {
    const { service, account } = await vaultWith(100);
    const reservations = await Promise.all(
      Array.from({ length: 100 }, (_, i) => service.reserveForFill(tab(i), account.id)),
    );
    expect(new Set(reservations.map((r) => r.codeId)).size).toBe(100);
    expect(new Set(reservations.map((r) => r.code)).size).toBe(100);
    expect(reservations.map((r) => r.code).sort()).toEqual(codes(100).map((c) => c.value));

    expect((await caught(service.reserveForFill(tab(100), account.id))).code).toBe('no-code-left');
    const stored = await service.getAccount(account.id);
    expect(stored.codes.every((c) => c.state === 'reserved')).toBe(true);
    // Reserved codes still count as left: none of them was submitted.
    expect((await service.listAccounts())[0]).toMatchObject({ left: 100, total: 100 });
  });

  test('100 concurrent fills into 100 frames of one tab also get distinct codes', async () => {
    const { service, account } = await vaultWith(120);
    const frames = Array.from({ length: 100 }, (_, i) =>
      fillTarget(1, LOGIN, { frameId: i + 1, url: 'https://www.instagram.com/challenge/frame' }),
    );
    const reservations = await Promise.all(frames.map((f) => service.reserveForFill(f, account.id)));
    expect(new Set(reservations.map((r) => r.code)).size).toBe(100);
  });
});

describe('reserve → confirm | release', () => {
  test('reserve hands out the first unused code, exactly one', async () => {
    const { service, account } = await vaultWith(10);
    const r = await service.reserveForFill(tab(1), account.id);
    expect(r).toEqual({
      accountId: account.id,
      codeId: account.codes[0]!.id,
      code: account.codes[0]!.value,
      site: 'instagram.com',
      left: 10,
      total: 10,
    });
    expect(await states(service, account.id)).toEqual(['reserved', ...Array(9).fill('unused')]);
  });

  test('the reservation records the tab, frame, origin and browser session that hold it', async () => {
    const { service, account } = await vaultWith(2);
    const target = fillTarget(4, LOGIN, { frameId: 3, url: 'https://help.instagram.com/2fa?x=1' });
    await service.reserveForFill({ ...target, session: 's-1' }, account.id);
    expect((await service.getAccount(account.id)).codes[0]!.reservedBy).toEqual({
      tabId: 4,
      frameId: 3,
      origin: 'https://help.instagram.com',
      session: 's-1',
    });
  });

  test('confirm marks the code used with the time and the page', async () => {
    const now = new Date('2026-11-20T10:00:00Z');
    const { service, account } = await vaultWith(3, { now: () => now });
    const r = await service.reserveForFill(tab(4), account.id);
    expect(await service.confirmForPage(pageOf(tab(4)), r.accountId, r.codeId)).toEqual({
      accountId: account.id,
      left: 2,
      total: 3,
    });
    const code = (await service.getAccount(account.id)).codes[0]!;
    expect(code).toMatchObject({ state: 'used', usedAt: '2026-11-20T10:00:00.000Z', usedOn: LOGIN });
    expect(code.history.map((e) => e.to)).toEqual(['unused', 'reserved', 'used']);
    // The next reservation moves on to the next code.
    expect((await service.reserveForFill(tab(4), account.id)).codeId).toBe(account.codes[1]!.id);
  });

  test('release puts the code back; it is offered again first', async () => {
    const { service, account } = await vaultWith(3);
    const r = await service.reserveForFill(tab(2), account.id);
    expect(await service.releaseForPage(pageOf(tab(2)), r.accountId, r.codeId)).toMatchObject({ left: 3 });
    expect((await service.getAccount(account.id)).codes[0]!.state).toBe('unused');
    expect((await service.reserveForFill(tab(3), account.id)).codeId).toBe(r.codeId);
  });

  test('a second fill in the same frame gets a different code; releaseHeld then gives the first back', async () => {
    const { service, account } = await vaultWith(3);
    const first = await service.reserveForFill(tab(2), account.id);
    const again = await service.reserveForFill(tab(2), account.id);
    expect(again.codeId).not.toBe(first.codeId);
    expect(await states(service, account.id)).toEqual(['reserved', 'reserved', 'unused']);
    // Another tab's reservation is not this frame's to release.
    const other = await service.reserveForFill(tab(3), account.id);
    expect(await service.releaseHeld(tab(2), again.codeId)).toBe(1);
    const after = (await service.getAccount(account.id)).codes;
    expect(after.map((c) => c.state)).toEqual(['unused', 'reserved', 'reserved']);
    expect(after.find((c) => c.id === other.codeId)!.reservedBy!.tabId).toBe(3);
  });

  test('releaseHeld leaves alone what another frame of the same tab holds', async () => {
    const { service, account } = await vaultWith(3);
    const frame = fillTarget(2, LOGIN, { frameId: 9, url: LOGIN });
    await service.reserveForFill(tab(2), account.id);
    await service.reserveForFill(frame, account.id);
    expect(await service.releaseHeld(frame)).toBe(1);
    expect(await states(service, account.id)).toEqual(['reserved', 'unused', 'unused']);
  });

  test('only the tab, frame and origin that hold a code may confirm or release it', async () => {
    const { service, account } = await vaultWith(3);
    const r = await service.reserveForFill(tab(2), account.id);
    const others = [
      pageOf(tab(9)),
      // Same tab, another frame of the same page.
      { ...pageOf(tab(2)), frameId: 4 },
      // Same tab and frame, but the frame now shows another origin of the same site.
      { ...pageOf(tab(2)), frameUrl: 'https://help.instagram.com/' },
    ];
    for (const sender of others) {
      expect((await caught(service.confirmForPage(sender, r.accountId, r.codeId))).code).toBe(
        'invalid-transition',
      );
      expect((await caught(service.releaseForPage(sender, r.accountId, r.codeId))).code).toBe(
        'invalid-transition',
      );
    }
    // A page of another site is refused before the code is even looked at.
    const evil = pageOf(fillTarget(2, 'https://evil.example/'));
    expect((await caught(service.confirmForPage(evil, r.accountId, r.codeId))).code).toBe('forbidden-sender');
    expect((await service.getAccount(account.id)).codes[0]!.state).toBe('reserved');
    // A code nobody holds cannot be confirmed either.
    expect(
      (await caught(service.confirmForPage(pageOf(tab(2)), account.id, account.codes[2]!.id))).code,
    ).toBe('invalid-transition');
    expect(await states(service, account.id)).toEqual(['reserved', 'unused', 'unused']);
  });

  test('confirming twice is refused and changes nothing', async () => {
    const { service, account } = await vaultWith(3);
    const r = await service.reserveForFill(tab(2), account.id);
    await service.confirmForPage(pageOf(tab(2)), r.accountId, r.codeId);
    const before = await service.getAccount(account.id);
    expect((await caught(service.confirmForPage(pageOf(tab(2)), r.accountId, r.codeId))).code).toBe(
      'invalid-transition',
    );
    expect(await service.getAccount(account.id)).toEqual(before);
  });

  test('closing a tab releases what it held, and nothing else', async () => {
    const { service, account } = await vaultWith(3);
    await service.reserveForFill(tab(2), account.id);
    await service.reserveForFill(tab(3), account.id);
    expect(await service.releaseTab(2)).toBe(1);
    expect(await states(service, account.id)).toEqual(['unused', 'reserved', 'unused']);
    expect((await service.getAccount(account.id)).codes[0]!.history.at(-1)!.by).toBe('tab-closed');
  });

  test('a fill for an account of another site, or an unknown account, is refused and reserves nothing', async () => {
    const { service, account } = await vaultWith(3);
    const github = await service.addAccount({ site: 'github.com', codes: codes(2, 50) });
    const refusedTargets = [
      fillTarget(1, 'https://github.com/sessions/two-factor'),
      fillTarget(1, 'https://evil-instagram.com/'),
      fillTarget(1, 'http://www.instagram.com/accounts/login/'),
      // The top page matches; the frame that asks does not.
      fillTarget(1, LOGIN, { frameId: 2, url: 'https://evil.example/frame' }),
      // The frame matches; the tab's top page does not.
      fillTarget(1, 'https://evil.example/', { frameId: 2, url: LOGIN }),
    ];
    for (const target of refusedTargets) {
      expect((await caught(service.reserveForFill(target, account.id))).code).toBe('forbidden-sender');
    }
    expect((await caught(service.reserveForFill(tab(1), github.id))).code).toBe('forbidden-sender');
    // An unknown id is refused the same way: the answer does not tell a page which ids exist.
    expect((await caught(service.reserveForFill(tab(1), 'no-such-account'))).code).toBe('forbidden-sender');
    expect(await states(service, account.id)).toEqual(['unused', 'unused', 'unused']);
    expect(await states(service, github.id)).toEqual(['unused', 'unused']);
  });

  test('localhost and 127.0.0.1 are different sites (design §4.2)', async () => {
    const service = newService();
    await service.create(PASSWORD);
    const local = await service.addAccount({ site: 'localhost', codes: codes(2) });
    const loopback = await service.addAccount({ site: '127.0.0.1', codes: codes(2, 10) });
    const onLocalhost = fillTarget(1, 'http://localhost:8080/login');
    const onLoopback = fillTarget(2, 'http://127.0.0.1:8080/login');
    expect((await caught(service.reserveForFill(onLoopback, local.id))).code).toBe('forbidden-sender');
    expect((await caught(service.reserveForFill(onLocalhost, loopback.id))).code).toBe('forbidden-sender');
    // Ports never matter.
    expect((await service.reserveForFill(onLocalhost, local.id)).accountId).toBe(local.id);
    expect((await service.reserveForFill(onLoopback, loopback.id)).accountId).toBe(loopback.id);
  });

  test('no code left is a typed error', async () => {
    const { service, account } = await vaultWith(1);
    await service.markCode(account.id, account.codes[0]!.id, true);
    expect((await caught(service.reserveForFill(tab(1), account.id))).code).toBe('no-code-left');
  });
});

describe('stale reservations', () => {
  test('sweepReservations releases a reservation at RESERVATION_TTL_MS, not before', async () => {
    let now = Date.parse('2026-11-20T10:00:00Z');
    const { service, account } = await vaultWith(3, { now: () => new Date(now) });
    await service.reserveForFill(tab(1), account.id);
    now += 60_000;
    await service.reserveForFill(tab(2), account.id);
    expect(await service.nextReservationExpiry()).toBe(
      Date.parse('2026-11-20T10:00:00Z') + RESERVATION_TTL_MS,
    );

    now = Date.parse('2026-11-20T10:00:00Z') + RESERVATION_TTL_MS - 1;
    expect(await service.sweepReservations()).toBe(0);
    expect(await states(service, account.id)).toEqual(['reserved', 'reserved', 'unused']);

    now += 1;
    expect(await service.sweepReservations()).toBe(1);
    const after = (await service.getAccount(account.id)).codes;
    expect(after.map((c) => c.state)).toEqual(['unused', 'reserved', 'unused']);
    expect(after[0]!.history.at(-1)).toMatchObject({ from: 'reserved', to: 'unused', by: 'tab-closed' });
    expect(await service.nextReservationExpiry()).toBe(
      Date.parse('2026-11-20T10:01:00Z') + RESERVATION_TTL_MS,
    );
  });

  test('a stale reservation is released at unlock too, and a sweep while locked does nothing', async () => {
    let now = Date.parse('2026-11-20T10:00:00Z');
    const { service, account } = await vaultWith(3, { now: () => new Date(now) });
    await service.reserveForFill(tab(1), account.id);
    await service.lock();
    now += RESERVATION_TTL_MS;
    expect(await service.sweepReservations()).toBe(0);
    await service.unlock(PASSWORD);
    expect(await states(service, account.id)).toEqual(['unused', 'unused', 'unused']);
  });

  test('after a service-worker restart, stale reservations are released before the first read', async () => {
    let now = Date.parse('2026-11-20T10:00:00Z');
    const { service, account } = await vaultWith(3, { now: () => new Date(now) });
    await service.reserveForFill(tab(1), account.id);
    now += 60_000;
    await service.reserveForFill(tab(2), account.id);
    // The worker sleeps past the first reservation's limit; a new service picks the key up from storage.session.
    now += RESERVATION_TTL_MS - 60_000;
    const restarted = newService({ now: () => new Date(now) });
    expect(await states(restarted, account.id)).toEqual(['unused', 'reserved', 'unused']);
  });

  test('liveHolders decides at unlock: a reservation no live page holds is released', async () => {
    const live = new Set<number>([1]);
    const { service, account } = await vaultWith(3, {
      liveHolders: async () => (holder) => holder.session === 'now' && live.has(holder.tabId!),
    });
    await service.reserveForFill({ ...tab(1), session: 'now' }, account.id);
    await service.reserveForFill({ ...tab(2), session: 'now' }, account.id);
    await service.reserveForFill({ ...tab(1, LOGIN), frameId: 5, session: 'earlier' }, account.id);
    await service.lock();
    await service.unlock(PASSWORD);
    expect(await states(service, account.id)).toEqual(['reserved', 'unused', 'unused']);
  });

  test('a tab closed while locked has its reservation released at the next unlock', async () => {
    const { service, account } = await vaultWith(3);
    await service.reserveForFill(tab(1), account.id);
    await service.reserveForFill(tab(2), account.id);
    await service.lock();
    expect(await service.releaseTab(1)).toBe(0);
    await service.unlock(PASSWORD);
    expect(await states(service, account.id)).toEqual(['unused', 'reserved', 'unused']);
    // Remembered once: a later unlock does not release what tab 1 (a new tab with the same id) holds then.
    await service.reserveForFill(tab(1), account.id);
    await service.lock();
    await service.unlock(PASSWORD);
    expect(await states(service, account.id)).toEqual(['reserved', 'reserved', 'unused']);
  });
});

describe('by hand', () => {
  test('mark used and unused by hand; a reserved code is released first', async () => {
    const { service, account } = await vaultWith(3);
    const [a, b] = account.codes;
    let next = await service.markCode(account.id, a!.id, true);
    expect(next.codes[0]).toMatchObject({ state: 'used' });
    next = await service.markCode(account.id, a!.id, false);
    expect(next.codes[0]!.state).toBe('unused');
    expect(next.codes[0]!.usedAt).toBeUndefined();

    await service.reserveForFill(tab(1), account.id); // holds code a
    next = await service.markCode(account.id, a!.id, true);
    expect(next.codes[0]!.history.slice(-2).map((e) => `${e.from}→${e.to}:${e.by}`)).toEqual([
      'reserved→unused:hand',
      'unused→used:hand',
    ]);
    expect((await caught(service.markCode(account.id, b!.id, false))).code).toBe('invalid-transition');

    await service.reserveForFill(tab(1), account.id); // holds code b
    next = await service.markCode(account.id, b!.id, false);
    expect(next.codes[1]!.state).toBe('unused');
    expect(next.codes[1]!.reservedBy).toBeUndefined();
    expect(next.codes[1]!.history.at(-1)).toMatchObject({ from: 'reserved', to: 'unused', by: 'hand' });
  });

  test('replace all codes: the old set is gone, the new one is unused', async () => {
    const { service, account } = await vaultWith(3);
    await service.markCode(account.id, account.codes[0]!.id, true);
    const next = await service.replaceCodes(account.id, codes(5, 500));
    expect(next.codes.map((c) => c.value)).toEqual(codes(5, 500).map((c) => c.value));
    expect(next.codes.every((c) => c.state === 'unused' && c.history[0]!.by === 'replace')).toBe(true);
    expect((await caught(service.replaceCodes(account.id, []))).code).toBe('no-codes-found');
  });
});

describe('accounts', () => {
  test('add trims, drops duplicate codes, and refuses an empty paste or a non-domain site', async () => {
    const service = newService();
    await service.create(PASSWORD);
    const account = await service.addAccount({
      site: ' Instagram.COM ',
      label: '  alice ',
      codes: [{ value: '1234 5678' }, { value: '12345678' }, { value: '2345-6789' }, { value: '  ' }],
    });
    expect(account).toMatchObject({ site: 'instagram.com', label: 'alice' });
    expect(account.codes.map((c) => c.value)).toEqual(['1234 5678', '2345-6789']);
    expect((await caught(service.addAccount({ site: 'github.com', codes: [] }))).code).toBe('no-codes-found');
    for (const site of [
      'https://github.com/login',
      'www.github.com',
      'not a site',
      'com',
      'http://localhost',
      'example.com:443',
      '[example.com]',
      '::ffff:127.0.0.1',
    ]) {
      expect((await caught(service.addAccount({ site, codes: codes(1) }))).code).toBe('invalid-input');
    }
    for (const site of ['localhost', '127.0.0.1', 'alice.github.io', 'example.co.uk', '::1']) {
      expect((await service.addAccount({ site, codes: codes(1) })).site).toBe(site);
    }
    // An IPv6 site is stored as the popup's normaliseSiteInput spells it, brackets or not.
    expect((await service.addAccount({ site: '[::1]', codes: codes(1) })).site).toBe('::1');
  });

  test('update and delete; an unknown account is not-found', async () => {
    const { service, account } = await vaultWith(2);
    const updated = await service.updateAccount(account.id, { label: '', note: 'work phone' });
    expect(updated.label).toBeUndefined();
    expect(updated.note).toBe('work phone');
    await service.deleteAccount(account.id);
    expect(await service.listAccounts()).toEqual([]);
    expect((await caught(service.deleteAccount(account.id))).code).toBe('not-found');
    expect((await caught(service.updateAccount(account.id, { note: 'x' }))).code).toBe('not-found');
  });
});
