import { test } from 'vitest';
import { launchFirefox } from './support/browsers';
import { LabPage } from './support/lab';
import { startSiteServer } from './support/site-server';
import { SitePage } from './pages/site-page';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
test('scratch', async () => {
  const site = await startSiteServer('localhost');
  const browser = await launchFirefox();
  try {
    const lab = await LabPage.open(browser);
    await lab.request({ type: 'create-vault', password: 'quiet-orchard-lantern-42' });
    await lab.request({
      type: 'add-account',
      account: { site: 'localhost', label: 'alice', codes: [{ value: '1234 5678' }, { value: '2345 6789' }] },
    });
    await lab.request({ type: 'lock' });
    const page = new SitePage(await browser.newPage());
    await page.open(site.url('/login-backup-code.html'));
    await page.page.click({ role: 'textbox', name: 'Backup code' });
    await sleep(1500);
    console.log('A', JSON.stringify(await page.offerText()));
    await lab.request({ type: 'unlock', password: 'quiet-orchard-lantern-42' });
    await sleep(1500);
    console.log('B', JSON.stringify(await page.offerText()));
  } finally {
    await browser.close();
    await site.close();
  }
}, 120000);
