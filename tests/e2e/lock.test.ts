import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BROWSERS, type ExtensionBrowser } from './support/browsers';
import { LabPage } from './support/lab';

const PASSWORD = 'amber-kettle-horizon-88';

describe.each(BROWSERS)('locking in $name', ({ launch }) => {
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('an open popup leaves the codes at once when the vault locks elsewhere', async () => {
    const lab = await LabPage.open(browser);
    await lab.request({ type: 'create-vault', password: PASSWORD });
    await lab.request({
      type: 'add-account',
      account: { site: 'instagram.com', codes: [{ value: '1234 5678' }, { value: '2345 6789' }] },
    });

    const popup = await browser.newPage();
    await popup.open(`${browser.extensionOrigin}/popup.html`);
    await popup.click({ role: 'button', name: 'instagram.com', exact: false });
    await popup.waitForText('2 of 2 left');

    // As the idle timer or the OS would: the lock comes from outside the popup, which sends nothing.
    await lab.request({ type: 'lock' });
    await popup.waitFor({ role: 'button', name: 'Unlock' }, 3_000);
    expect(await popup.isPresent({ role: 'button', name: 'Lock' })).toBe(false);
    expect(await popup.evaluate(() => document.body.innerText.includes('2 of 2 left'), undefined)).toBe(
      false,
    );
    await popup.close();
    await lab.close();
  });
});
