/**
 * Issue 9 in real browsers: the popup reads the page it belongs to and puts that site's account first, with a
 * Copy button for its next code; and the keyboard shortcut that opens the popup is registered.
 *
 * A test cannot click the toolbar button (which is what grants `activeTab`), so the popup is opened as a tab
 * of its own, where it takes the tab the user was on just before (entrypoints/popup/main.ts); the e2e build's
 * host permission for localhost stands in for `activeTab` and lets the browser tell that tab's URL.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BROWSERS, type ExtensionBrowser } from './support/browsers';
import { LabPage } from './support/lab';
import { startSiteServer, type SiteServer } from './support/site-server';

const PASSWORD = 'amber-kettle-horizon-88';

describe.each(BROWSERS)('the popup on a page in $name', ({ name, launch }) => {
  let browser: ExtensionBrowser;
  let site: SiteServer;

  beforeAll(async () => {
    [browser, site] = await Promise.all([launch(), startSiteServer()]);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  test('the page’s account is on top, with a Copy button for its next code', async () => {
    const lab = await LabPage.open(browser);
    await lab.request({ type: 'create-vault', password: PASSWORD });
    // Alphabetically both come before localhost: only the current site can put localhost on top.
    await lab.request({
      type: 'add-account',
      account: { site: 'github.com', codes: [{ value: '1111 1111' }] },
    });
    await lab.request({
      type: 'add-account',
      account: { site: 'instagram.com', codes: [{ value: '2222 2222' }] },
    });
    await lab.request({
      type: 'add-account',
      account: { site: 'localhost', label: 'alice', codes: [{ value: '3333 3333' }, { value: '4444 4444' }] },
    });

    const page = await browser.newPage();
    await page.open(site.url('/login-backup-code.html'));
    const popup = await browser.newPage();
    await popup.open(`${browser.extensionOrigin}/popup.html`);
    await popup.waitFor({ role: 'button', name: 'Copy the next code for alice on localhost' }, 30_000);
    const items = await popup.evaluate(
      () =>
        Array.from(document.querySelectorAll('ul.accounts > li'), (li) => ({
          site: li.querySelector('.site')?.textContent ?? '',
          copy: li.querySelector('button.copy')?.textContent ?? null,
        })),
      undefined,
    );
    expect(items).toEqual([
      { site: 'localhost', copy: 'Copy' },
      { site: 'github.com', copy: null },
      { site: 'instagram.com', copy: null },
    ]);

    if (name === 'chromium') {
      // chrome://extensions/shortcuts cannot be scripted; the extension's own view of its commands can.
      const commands = await popup.evaluate(
        () =>
          (
            globalThis as unknown as {
              chrome: { commands: { getAll(): Promise<{ name?: string; shortcut?: string }[]> } };
            }
          ).chrome.commands.getAll(),
        undefined,
      );
      expect(commands).toContainEqual(
        expect.objectContaining({ name: '_execute_action', shortcut: 'Alt+Shift+S' }),
      );
    }
    await popup.close();
    await page.close();
    await lab.close();
  });
});
