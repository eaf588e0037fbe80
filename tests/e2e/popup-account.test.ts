/**
 * Issue 9, "Copy marks the code off", in real browsers: a code copied on an account's screen is reserved; the
 * next time the popup opens, the list asks once "Did you use … on …?", and Used takes it off the count.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PopupPage } from './pages/popup-page';
import { BROWSERS, type ExtensionBrowser } from './support/browsers';
import { LabPage } from './support/lab';

const PASSWORD = 'copper-meadow-violet-42';
const CODES = Array.from({ length: 10 }, (_, i) => ({ value: `${2468 + i * 111} ${1357 + i * 37}` }));

describe.each(BROWSERS)('one account’s screen in $name', ({ launch }) => {
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    browser = await launch({ systemClipboard: true });
    const lab = await LabPage.open(browser);
    await lab.request({ type: 'create-vault', password: PASSWORD });
    await lab.request({ type: 'add-account', account: { site: 'localhost', label: 'alice', codes: CODES } });
    await lab.close();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('copy → reopen the popup → "Did you use …?" → Used → 9 of 10 left, asked once', async () => {
    const popup = await PopupPage.open(browser);
    await popup.openAccount('localhost');
    await popup.page.click({ role: 'button', name: 'Copy code 1' });
    await popup.page.waitForText('Code 1 copied.');
    const pressed = await popup.page.evaluate(
      () => document.querySelector('li.next button.primary')?.textContent?.trim(),
      undefined,
    );
    expect(pressed).toBe('Copied');

    await popup.reload();
    const question = `Did you use ${CODES[0]!.value} on localhost — alice?`;
    await popup.page.waitForText(question);
    // Until answered, the copied code still counts as left (design §4.6).
    expect(await popup.accountText('localhost')).toContain('10 of 10 left');
    await popup.page.click({ role: 'button', name: 'Used' });
    await popup.page.waitForText('9 of 10 left');
    expect(await popup.accountText('localhost')).toContain('9 of 10 left');

    await popup.reload();
    await popup.page.waitFor(popup.accountItem('localhost'));
    expect(await popup.accountText('localhost')).toContain('9 of 10 left');
    const asked = await popup.page.evaluate(
      () => document.body.textContent?.includes('Did you use'),
      undefined,
    );
    expect(asked).toBe(false);
    await popup.close();
  });
});
