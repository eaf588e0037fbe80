import { expect, test } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
test('bg', async () => {
  fakeBrowser.reset();
  await browser.storage.session.set({ a: 1 });
  expect(await browser.storage.session.get('a')).toEqual({ a: 1 });
  expect(typeof indexedDB.open).toBe('function');
});
