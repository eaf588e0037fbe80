import { test } from 'vitest';
import { launchChromium } from './support/browsers';
import { LabPage } from './support/lab';
import { startSiteServer } from './support/site-server';
import { SitePage } from './pages/site-page';
test('scratch', async () => {
  const site = await startSiteServer('localhost');
  const browser = await launchChromium();
  try {
    const lab = await LabPage.open(browser);
    await lab.request({ type: 'create-vault', password: 'quiet-orchard-lantern-42' });
    await lab.request({
      type: 'add-account',
      account: { site: 'localhost', label: 'alice', codes: [{ value: '1234 5678' }, { value: '2345 6789' }] },
    });
    for (const run of [1, 2]) {
      const page = new SitePage(await browser.newPage());
      await page.open(site.url('/login-backup-code.html'));
      await page.page.click({ role: 'textbox', name: 'Backup code' });
      await new Promise((r) => setTimeout(r, 1500));
      console.log(run, 'open', JSON.stringify(await page.offerText()));
      await page.page.press('ArrowDown');
      await new Promise((r) => setTimeout(r, 300));
      console.log(
        run,
        'active',
        JSON.stringify(
          await page.page.evaluateInFrame(
            '/offer.html',
            () => [document.hasFocus(), document.activeElement?.outerHTML.slice(0, 80)],
            undefined,
          ),
        ),
      );
    }
  } finally {
    await browser.close();
    await site.close();
  }
}, 120000);
