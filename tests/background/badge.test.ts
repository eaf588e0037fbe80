/**
 * The toolbar badge: while unlocked, each tab shows the codes left for its site (so the active tab shows its
 * own); fills and hand marks move it; locking clears it.
 */
import { beforeEach, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { wireBackground } from '../../src/background';
import {
  LOGIN,
  PASSWORD,
  codes,
  muteIdle,
  newService,
  popupSender as popup,
  resetEnvironment,
  value,
} from './support';

beforeEach(() => {
  resetEnvironment();
  muteIdle();
});

const badge = (tabId: number) => fakeBrowser.action.getBadgeText({ tabId });

test('each tab shows the codes left for its own site while unlocked, and nothing once locked', async () => {
  const service = newService();
  wireBackground({ service });
  await service.create(PASSWORD);
  const insta = await service.addAccount({ site: 'instagram.com', label: 'alice', codes: codes(10) });
  await service.addAccount({ site: 'instagram.com', label: 'bob', codes: codes(3, 50) });
  const onInstagram = await fakeBrowser.tabs.create({ url: LOGIN });
  const elsewhere = await fakeBrowser.tabs.create({ url: 'https://example.org/' });

  await value({ type: 'lock' }, popup);
  await value({ type: 'unlock', password: PASSWORD }, popup);
  // Both of the site's accounts count.
  await vi.waitFor(async () => expect(await badge(onInstagram.id!)).toBe('13'));
  expect(await badge(elsewhere.id!)).toBe('');

  await value({ type: 'mark-code', accountId: insta.id, codeId: insta.codes[0]!.id, used: true }, popup);
  await vi.waitFor(async () => expect(await badge(onInstagram.id!)).toBe('12'));

  await value({ type: 'lock' }, popup);
  await vi.waitFor(async () => expect(await badge(onInstagram.id!)).toBe(''));
});
