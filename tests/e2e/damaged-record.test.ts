import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PopupPage } from './pages/popup-page';
import { BROWSERS, type ExtensionBrowser } from './support/browsers';
import { LabPage } from './support/lab';

const PASSWORD = 'cobalt-ferry-whistle-63';

// Issue 8, finding 2: one damaged record must not lock the whole vault.
describe.each(BROWSERS)('a damaged account record in $name', ({ launch }) => {
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('the popup opens the rest, says "1 account could not be read", and the export leaves it out', async () => {
    const lab = await LabPage.open(browser);
    await lab.request({ type: 'create-vault', password: PASSWORD });
    const ids: Record<string, string> = {};
    for (const site of ['github.com', 'gitlab.com', 'instagram.com']) {
      const account = await lab.request({
        type: 'add-account',
        account: { site, codes: [{ value: '1234 5678' }, { value: '2345 6789' }] },
      });
      ids[site] = account.id;
    }
    const damaged = await lab.damageAccountRecord(ids['gitlab.com']!);
    await lab.request({ type: 'lock' });

    const popup = await PopupPage.open(browser);
    await popup.unlock(PASSWORD);
    await popup.page.waitFor({ role: 'status', name: '1 account could not be read:', exact: false }, 10_000);
    await popup.page.waitFor(popup.accountItem('github.com'));
    expect(await popup.page.isPresent(popup.accountItem('instagram.com'))).toBe(true);
    expect(await popup.page.isPresent(popup.accountItem('gitlab.com'))).toBe(false);

    await popup.openSettings();
    const file = await popup.exportBackup(PASSWORD);
    expect(file.fileName).toMatch(/\.spare$/);
    await popup.page.waitFor({
      role: 'status',
      name: '1 account could not be read and was left out.',
      exact: false,
    });

    // Set aside, not repaired or removed: the record is still exactly as the damage left it.
    expect(await lab.accountRecord(ids['gitlab.com']!)).toEqual(damaged);
    await popup.close();
    await lab.close();
  });
});
