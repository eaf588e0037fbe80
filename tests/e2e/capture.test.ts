/**
 * Issue 10 §3 in real browsers: "Capture codes from this page" reads the page the popup belongs to with
 * `scripting.executeScript` and saves what it shows, on pages built like a site's "your new recovery codes"
 * page (tests/e2e/site/capture-*.html): codes in <li>s, in a <pre> block, and in a grid of <div>s each with a
 * Copy button; with a selection, only the selected codes; and on the browser's own error page, which no
 * extension may script, one sentence and nothing saved.
 *
 * As in popup-list.test.ts, the popup is opened as a tab of its own and takes the tab the user was on just
 * before; the e2e build's host permission for localhost stands in for the `activeTab` grant of a toolbar click.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PopupPage } from './pages/popup-page';
import { BROWSERS, type ExtensionBrowser } from './support/browsers';
import { LabPage } from './support/lab';
import { startSiteServer, type SiteServer } from './support/site-server';
import type { TestPage } from './support/test-page';

const PASSWORD = 'quartz-meadow-lantern-57';
const LIST_CODES = [
  'a1b2c-3d4e5',
  'f6a7b-8c9d0',
  '0e1f2-a3b4c',
  '5d6e7-f8091',
  '2a3b4-c5d6e',
  '7f809-1a2b3',
  'c4d5e-6f7a8',
  'b9c0d-1e2f3',
];
const GRID_CODES = ['K7M2P9X4QD', 'R3T8W6Z1JB', 'H5N4V2C8LF', 'P9Q3S7Y2MG', 'D4F8J1L6XW', 'Z2B5N9R3TC'];
const PRE_CODES = [
  '8604 1927',
  '4471 0358',
  '2290 8846',
  '7718 3052',
  '1139 6670',
  '3185 7726',
  '9052 6614',
  '6643 0197',
  '5526 9481',
  '0875 2314',
];
const CAPTURE = { role: 'button', name: 'Capture codes from this page' } as const;

describe.each(BROWSERS)('capture codes from a page in $name', ({ launch }) => {
  let browser: ExtensionBrowser;
  let site: SiteServer;
  let lab: LabPage;
  let page: TestPage;
  let popup: PopupPage;

  beforeAll(async () => {
    [browser, site] = await Promise.all([launch(), startSiteServer()]);
    lab = await LabPage.open(browser);
    await lab.request({ type: 'create-vault', password: PASSWORD });
    page = await browser.newPage();
    await page.open(site.url('/capture-list.html'));
    popup = await PopupPage.open(browser);
    await popup.page.waitFor({ role: 'button', name: 'Add account' }, 30_000);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  /** The user goes to `path`, then opens Spare there and clicks "Capture codes from this page". */
  async function openCapture(path: string, select?: (arg: undefined) => void): Promise<void> {
    if (!page.url().endsWith(path)) await page.open(site.url(path));
    await page.bringToFront();
    if (select) await page.evaluate(select, undefined);
    await popup.page.bringToFront();
    await popup.reload();
    await popup.page.click(CAPTURE);
    await popup.page.waitFor({ role: 'heading', name: 'Capture codes from this page' });
  }

  /** The codes the capture screen shows. */
  async function captureOn(path: string, select?: (arg: undefined) => void): Promise<string[]> {
    await openCapture(path, select);
    await popup.page.waitForText(' found', 20_000);
    return popup.page.evaluate(
      () =>
        Array.from(document.querySelectorAll('#capture-preview li code'), (code) => code.textContent ?? ''),
      undefined,
    );
  }

  async function storedCodes(label: string): Promise<string[]> {
    const accounts = await lab.request({ type: 'list-accounts' });
    const summary = accounts.find((account) => account.site === 'localhost' && account.label === label);
    if (!summary) throw new Error(`no account ${label} on localhost`);
    const account = await lab.request({ type: 'get-account', accountId: summary.id });
    return account.codes.map((code) => code.value);
  }

  test('codes in <li>s, hidden and scripted look-alikes left out, saved as a new account', async () => {
    expect(await captureOn('/capture-list.html')).toEqual(LIST_CODES);
    // No account on this site yet: nothing to replace, the name is asked.
    expect(await popup.page.isPresent({ role: 'button', name: 'Replace codes' })).toBe(false);
    await popup.page.type({ role: 'textbox', name: 'Account name' }, 'alice');
    await popup.page.click({ role: 'button', name: 'Save' });
    await popup.page.waitForText('Saved 8 codes for localhost.');
    expect(await popup.accountText('localhost')).toContain('8 of 8 left');
    expect(await storedCodes('alice')).toEqual(LIST_CODES);
  });

  test('a grid with a Copy button per code: the labels stay out, and the codes replace the account’s set', async () => {
    expect(await captureOn('/capture-grid.html')).toEqual(GRID_CODES);
    await popup.page.waitForText('Generating new codes at a site invalidates the old ones');
    await popup.page.waitForText('8 unused codes of alice on localhost will be discarded.');
    await popup.page.click({ role: 'button', name: 'Replace codes' });
    await popup.page.waitForText('Replaced the codes of alice on localhost: 6 new codes.');
    expect(await popup.accountText('localhost')).toContain('6 of 6 left');
    expect(await storedCodes('alice')).toEqual(GRID_CODES);
  });

  test('a <pre> block numbered in two columns: ten codes in order, saved as a second account', async () => {
    expect(await captureOn('/capture-pre.html')).toEqual(PRE_CODES);
    await popup.page.evaluate(() => {
      document.querySelector<HTMLInputElement>('input[name="capture-target"][value="new"]')!.click();
    }, undefined);
    await popup.page.type({ role: 'textbox', name: 'Account name' }, 'bob');
    await popup.page.click({ role: 'button', name: 'Save' });
    await popup.page.waitForText('Saved 10 codes for localhost.');
    const items = await popup.page.evaluate(
      () => Array.from(document.querySelectorAll('ul.accounts > li'), (li) => li.textContent ?? ''),
      undefined,
    );
    expect(items.find((text) => text.includes('bob'))).toContain('10 of 10 left');
    expect(items.find((text) => text.includes('alice'))).toContain('6 of 6 left');
    expect(await storedCodes('bob')).toEqual(PRE_CODES);
  });

  test('with part of the page selected, only the selected codes', async () => {
    const codes = await captureOn('/capture-list.html', () => {
      const items = document.querySelectorAll('ul.codes li');
      const range = document.createRange();
      range.setStartBefore(items[2]!);
      range.setEndAfter(items[4]!);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    expect(codes).toEqual(LIST_CODES.slice(2, 5));
    await popup.page.waitForText('Codes in your selection on localhost:');
    // Leaving saves nothing.
    await popup.page.click({ role: 'button', name: 'Cancel' });
    await popup.page.waitFor(CAPTURE);
    expect(await storedCodes('alice')).toEqual(GRID_CODES);
  });

  test('a page the browser keeps extensions out of (its error page): one sentence, nothing saved', async () => {
    // Nothing listens on port 1: the tab keeps the http URL (so the button shows) but holds the browser's own
    // error page, which no extension may script.
    await page.open('http://localhost:1/').catch(() => undefined);
    await page.bringToFront();
    await popup.page.bringToFront();
    await popup.reload();
    await popup.page.click(CAPTURE);
    await popup.page.waitFor({
      role: 'alert',
      name: 'Your browser does not let extensions read this page. Copy the codes and paste them in Add account instead.',
    });
    expect(await storedCodes('alice')).toEqual(GRID_CODES);
  });
});
