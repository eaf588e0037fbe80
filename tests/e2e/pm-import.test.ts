/**
 * Issue 10 §2 in real browsers: Settings → "Import from a password manager" turns each product's export
 * fixture (tests/fixtures/exports, all written from one fake vault) into accounts, refuses an encrypted export
 * with its sentence, and afterwards no storage area holds any of the export's passwords, TOTP secrets or other
 * discarded fields, in any encoding.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DISCARDED } from '../fixtures/exports/fake-vault';
import { PopupPage } from './pages/popup-page';
import { BROWSERS, type ExtensionBrowser } from './support/browsers';
import { findSecret } from './support/find-secrets';
import { LabPage } from './support/lab';

const PASSWORD = 'amber-kettle-harbour-58';
const SECTION = 'Import from a password manager';

/** Every fixture holds GitHub (16 codes, one used), Google (10) and an item without a URL (5). */
const FORMATS = [
  { file: 'bitwarden.json', product: 'Bitwarden' },
  { file: 'onepassword.1pux', product: '1Password' },
  { file: 'keepassxc.csv', product: 'KeePassXC' },
  { file: 'protonpass.zip', product: 'Proton Pass' },
  { file: 'lastpass.csv', product: 'LastPass' },
];

/** Puts a fixture into the file input labelled `label`, as choosing it in the file dialog would. */
async function chooseExport(popup: PopupPage, label: string, fileName: string): Promise<void> {
  const base64 = readFileSync(`tests/fixtures/exports/${fileName}`).toString('base64');
  await popup.page.evaluate(
    ([wanted, name, data]) => {
      const input = Array.from(document.querySelectorAll('label')).find(
        (l) => l.textContent?.trim() === wanted,
      )?.control;
      if (!(input instanceof HTMLInputElement) || input.type !== 'file')
        throw new Error(`no file input "${wanted}"`);
      const binary = atob(data);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name));
      input.files = transfer.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    [label, fileName, base64] as const,
  );
}

async function openImportSection(popup: PopupPage): Promise<void> {
  await popup.openSettings();
  await popup.openSettingsSection(SECTION);
  await popup.page.waitForText('Export file');
}

describe.each(BROWSERS)('password-manager import in $name', ({ launch }) => {
  let browser: ExtensionBrowser;
  let lab: LabPage;
  let popup: PopupPage;

  beforeAll(async () => {
    browser = await launch();
    lab = await LabPage.open(browser);
    await lab.request({ type: 'create-vault', password: PASSWORD });
    popup = await PopupPage.open(browser);
    await popup.page.waitFor({ role: 'button', name: 'Add account' }, 30_000);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  test('an encrypted export is refused; each format imports into accounts; no storage holds what the export must lose', async () => {
    await openImportSection(popup);
    await chooseExport(popup, 'Export file', 'bitwarden-encrypted-password.json');
    await popup.page.waitFor({ role: 'alert', name: 'This export is encrypted', exact: false });
    expect(await popup.alerts()).toEqual([
      expect.stringMatching(/^This export is encrypted, and Spare reads only/),
    ]);
    expect(
      await popup.page.evaluate(
        () => document.getElementById('pm-file')?.getAttribute('aria-invalid'),
        undefined,
      ),
    ).toBe('true');
    expect(await popup.page.isPresent({ role: 'button', name: 'Import' })).toBe(false);
    expect(await lab.request({ type: 'list-accounts' })).toEqual([]);
    await popup.reload();
    await popup.page.waitFor({ role: 'button', name: 'Add account' }, 30_000);

    for (const { file, product } of FORMATS) {
      await openImportSection(popup);
      await chooseExport(popup, 'Export file', file);
      await popup.page.waitForText(`${product} export:`);
      // The item without a URL is imported under the website the user types.
      await popup.page.type({ role: 'textbox', name: 'Website for Old forum' }, 'oldforum.net');
      await popup.page.click({ role: 'button', name: 'Import' });
      await popup.page.waitForText(
        'Imported 3 accounts (31 codes). Now delete these codes from your password manager',
        30_000,
      );
      expect(await popup.accountText('github.com'), file).toContain('alice@example.com');
      expect(await popup.accountText('github.com'), file).toContain('15 of 16 left');
      expect(await popup.accountText('google.com'), file).toContain('10 of 10 left');
      expect(await popup.accountText('oldforum.net'), file).toContain('5 of 5 left');
      const accounts = await lab.request({ type: 'list-accounts' });
      expect(accounts, file).toHaveLength(3);
      // The last import stays for the storage search; before the others the vault is emptied, so the next
      // format's accounts are new again (not "already in Spare").
      if (file === FORMATS.at(-1)!.file) break;
      for (const account of accounts) await lab.request({ type: 'delete-account', accountId: account.id });
      await popup.reload();
      await popup.page.waitFor({ role: 'button', name: 'Add account' }, 30_000);
    }

    for (const phase of ['unlocked', 'locked']) {
      if (phase === 'locked') await lab.request({ type: 'lock' });
      const dump = await lab.dumpStorage();
      expect(Object.keys(dump).some((area) => area.startsWith('indexedDB:'))).toBe(true);
      const leaks = DISCARDED.flatMap((secret) =>
        findSecret(dump, secret).map((hit) => `${secret} in ${hit}`),
      );
      expect(leaks, `while ${phase}`).toEqual([]);
    }
  }, 120_000);
});
