import { beforeEach, describe, expect, test } from 'vitest';
import { PASSWORD, caught, codes, newService, resetEnvironment } from './support';
import type { ContentSender } from '../../src/messaging';

beforeEach(resetEnvironment);

const LOGIN = 'https://www.instagram.com/accounts/login/two_factor/';
const tab = (tabId: number, url = LOGIN): ContentSender => ({
  tabId,
  frameId: 0,
  topUrl: url,
  frameUrl: url,
});

async function vaultWith(count: number) {
  const service = newService();
  await service.create(PASSWORD);
  const account = await service.addAccount({ site: 'instagram.com', label: 'alice', codes: codes(count) });
  return { service, account };
}

describe('reservation is atomic', () => {
  test('100 concurrent reservations return 100 distinct codes, and the 101st finds none left', async () => {
    const { service, account } = await vaultWith(100);
    const reservations = await Promise.all(
      Array.from({ length: 100 }, (_, i) => service.reserve(account.id, { tabId: i, origin: 'test' })),
    );
    expect(new Set(reservations.map((r) => r.codeId)).size).toBe(100);
    expect(new Set(reservations.map((r) => r.code)).size).toBe(100);
    expect(reservations.map((r) => r.code).sort()).toEqual(codes(100).map((c) => c.value));

    expect((await caught(service.reserve(account.id, { origin: 'test' }))).code).toBe('no-code-left');
    const stored = await service.getAccount(account.id);
    expect(stored.codes.every((c) => c.state === 'reserved')).toBe(true);
    // Reserved codes still count as left: none of them was submitted.
    expect((await service.listAccounts())[0]).toMatchObject({ left: 100, total: 100 });
  });

  test('100 concurrent content-script reservations from 100 tabs also get distinct codes', async () => {
    const { service } = await vaultWith(120);
    const reservations = await Promise.all(
      Array.from({ length: 100 }, (_, i) => service.reserveForPage(tab(i))),
    );
    expect(new Set(reservations.map((r) => r.code)).size).toBe(100);
  });
});

describe('reserve → confirm | release', () => {
  test('reserve hands out the first unused code, exactly one', async () => {
    const { service, account } = await vaultWith(10);
    const r = await service.reserveForPage(tab(1));
    expect(r).toEqual({
      accountId: account.id,
      codeId: account.codes[0]!.id,
      code: account.codes[0]!.value,
      site: 'instagram.com',
      left: 10,
      total: 10,
    });
  });

  test('confirm marks the code used with the time and the page', async () => {
    const now = new Date('2026-11-20T10:00:00Z');
    const service = newService({ now: () => now });
    await service.create(PASSWORD);
    const account = await service.addAccount({ site: 'instagram.com', codes: codes(3) });
    const r = await service.reserveForPage(tab(4));
    expect(await service.confirmForPage(tab(4), r.accountId, r.codeId)).toEqual({
      accountId: account.id,
      left: 2,
      total: 3,
    });
    const code = (await service.getAccount(account.id)).codes[0]!;
    expect(code).toMatchObject({ state: 'used', usedAt: '2026-11-20T10:00:00.000Z', usedOn: LOGIN });
    expect(code.history.map((e) => e.to)).toEqual(['unused', 'reserved', 'used']);
    // The next reservation moves on to the next code.
    expect((await service.reserveForPage(tab(4))).codeId).toBe(account.codes[1]!.id);
  });

  test('release puts the code back; it is offered again first', async () => {
    const { service, account } = await vaultWith(3);
    const r = await service.reserveForPage(tab(2));
    expect(await service.releaseForPage(tab(2), r.accountId, r.codeId)).toMatchObject({ left: 3 });
    expect((await service.getAccount(account.id)).codes[0]!.state).toBe('unused');
    expect((await service.reserveForPage(tab(3))).codeId).toBe(r.codeId);
  });

  test('a tab asking again gets the code it already holds, not a second one', async () => {
    const { service } = await vaultWith(3);
    const first = await service.reserveForPage(tab(2));
    const again = await service.reserveForPage(tab(2));
    expect(again.codeId).toBe(first.codeId);
    const other = await service.reserveForPage(tab(3));
    expect(other.codeId).not.toBe(first.codeId);
  });

  test('only the tab that holds a code may confirm or release it', async () => {
    const { service, account } = await vaultWith(3);
    const r = await service.reserveForPage(tab(2));
    expect((await caught(service.confirmForPage(tab(9), r.accountId, r.codeId))).code).toBe(
      'invalid-transition',
    );
    expect((await caught(service.releaseForPage(tab(9), r.accountId, r.codeId))).code).toBe(
      'invalid-transition',
    );
    expect((await service.getAccount(account.id)).codes[0]!.state).toBe('reserved');
  });

  test('confirming twice is refused and changes nothing', async () => {
    const { service, account } = await vaultWith(3);
    const r = await service.reserveForPage(tab(2));
    await service.confirmForPage(tab(2), r.accountId, r.codeId);
    const before = await service.getAccount(account.id);
    expect((await caught(service.confirmForPage(tab(2), r.accountId, r.codeId))).code).toBe(
      'invalid-transition',
    );
    expect(await service.getAccount(account.id)).toEqual(before);
  });

  test('closing a tab releases what it held, and nothing else', async () => {
    const { service, account } = await vaultWith(3);
    await service.reserveForPage(tab(2));
    await service.reserveForPage(tab(3));
    expect(await service.releaseTab(2)).toBe(1);
    const states = (await service.getAccount(account.id)).codes.map((c) => c.state);
    expect(states).toEqual(['unused', 'reserved', 'unused']);
    expect((await service.getAccount(account.id)).codes[0]!.history.at(-1)!.by).toBe('tab-closed');
  });

  test('no code left and unknown account are typed errors', async () => {
    const { service, account } = await vaultWith(1);
    await service.markCode(account.id, account.codes[0]!.id, true);
    expect((await caught(service.reserveForPage(tab(1)))).code).toBe('no-code-left');
    expect((await caught(service.reserve('no-such-account', { origin: 'x' }))).code).toBe('not-found');
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

    await service.reserve(account.id, { origin: 'x' }); // holds code a
    next = await service.markCode(account.id, a!.id, true);
    expect(next.codes[0]!.history.slice(-2).map((e) => `${e.from}→${e.to}:${e.by}`)).toEqual([
      'reserved→unused:hand',
      'unused→used:hand',
    ]);
    expect((await caught(service.markCode(account.id, b!.id, false))).code).toBe('invalid-transition');

    await service.reserve(account.id, { origin: 'x' }); // holds code b
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
