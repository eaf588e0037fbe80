import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BROWSERS, type ExtensionBrowser } from './support/browsers';
import { LabPage } from './support/lab';
import { startSiteServer, type SiteServer } from './support/site-server';

describe.each(BROWSERS)('foundation in $name', ({ launch }) => {
  let browser: ExtensionBrowser;
  let site: SiteServer;

  beforeAll(async () => {
    site = await startSiteServer('localhost');
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  test('the popup page opens as a tab and renders its first screen', async () => {
    const page = await browser.newPage();
    await page.open(`${browser.extensionOrigin}/popup.html`);
    // A new profile has no vault, so the first screen creates one (design §4.5 names).
    await page.waitFor({ role: 'textbox', name: 'Master password' });
    await page.waitFor({ role: 'textbox', name: 'Confirm master password' });
    await page.waitFor({ role: 'button', name: 'Create vault' });
    await page.close();
  });

  test('the background answers a typed message and refuses a malformed one', async () => {
    const lab = await LabPage.open(browser);
    expect(await lab.request({ type: 'status' })).toEqual({ state: 'no-vault' });
    await expect(lab.request({ type: 'unlock' } as never)).rejects.toThrow(/invalid|malformed|not a valid/i);
    await lab.close();
  });

  test('the runtime-registered content script runs on a localhost page', async () => {
    const page = await browser.newPage();
    // Registration happens on install; it resolves within tens of milliseconds, so retry a fresh load.
    let marker: string | undefined;
    for (let attempt = 0; attempt < 20 && marker !== 'running'; attempt++) {
      await page.open(site.url('/login-backup-code.html'));
      // The script wakes on the first focus of a text field (src/content/index.ts).
      await page.click({ role: 'textbox', name: 'Backup code' });
      await new Promise((r) => setTimeout(r, 250));
      marker = await page.evaluate(() => document.documentElement.dataset.spareE2eContentScript, undefined);
    }
    expect(marker).toBe('running');
    // WXT's default start-up postMessage would hand every page the extension's id.
    const messages = await page.evaluate(
      () => (window as unknown as { receivedMessages: string[] }).receivedMessages,
      undefined,
    );
    expect(messages).toEqual([]);
    await page.close();
  });
});
