import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BROWSERS, type ExtensionBrowser } from './support/browsers';
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

  test('the runtime-registered content script runs on a localhost page', async () => {
    const page = await browser.newPage();
    // Registration happens on install; it resolves within tens of milliseconds, so retry a fresh load.
    let marker: string | undefined;
    for (let attempt = 0; attempt < 20 && marker !== 'running'; attempt++) {
      await page.open(site.url('/login-backup-code.html'));
      await new Promise((r) => setTimeout(r, 250));
      marker = await page.evaluate(() => document.documentElement.dataset.spareE2eContentScript, undefined);
    }
    expect(marker).toBe('running');
    await page.close();
  });
});
