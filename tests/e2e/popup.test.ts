import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PopupPage, type DownloadedFile } from './pages/popup-page';
import { BROWSERS, type ExtensionBrowser } from './support/browsers';

const PASSWORD = 'lantern-quiet-orbit-mango';
const CODES = Array.from({ length: 10 }, (_, i) => `${1357 + i * 111} ${2468 + i * 37}`).join('\n');

describe.each(BROWSERS)('popup in $name', ({ launch }) => {
  let browser: ExtensionBrowser;
  let backup: DownloadedFile | undefined;

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('create vault, add an account by paste, lock, wrong password, unlock, mark a code used', async () => {
    const popup = await PopupPage.open(browser);
    await popup.createVault(PASSWORD);
    await popup.page.waitForText('No accounts yet');

    await popup.addAccount('localhost', 'alice', CODES);
    expect(await popup.accountText('localhost')).toContain('10 of 10 left');
    expect(await popup.accountText('localhost')).toContain('alice');

    await popup.lock();
    expect(await popup.page.isPresent(popup.accountItem('localhost'))).toBe(false);

    await popup.submitUnlock('not-the-password');
    await popup.page.waitFor({ role: 'alert', name: 'Wrong password. Try again.' }, 30_000);
    // The field keeps focus (and its text, selected) so the user can type again at once.
    expect(await popup.focusedLabel()).toBe('Master password');

    await popup.unlock(PASSWORD);
    expect(await popup.accountText('localhost')).toContain('10 of 10 left');

    await popup.openAccount('localhost');
    await popup.page.waitForText('10 of 10 left');
    await popup.markCode(1, true);
    await popup.page.waitForText('9 of 10 left');
    await popup.backToList();
    expect(await popup.accountText('localhost')).toContain('9 of 10 left');

    // A fresh popup on an unlocked vault goes straight to the list.
    await popup.reload();
    expect(await popup.accountText('localhost')).toContain('9 of 10 left');

    await popup.openSettings();
    backup = await popup.exportBackup(PASSWORD);
    expect(backup.fileName).toMatch(/\.(json|spare)$/);
    // The file is ciphertext: neither a code nor the site in the clear.
    expect(backup.text).not.toContain('1357');
    expect(backup.text).not.toContain('localhost');
    await popup.close();
  });

  test('restore the exported backup into a fresh vault (replace), after a wrong password changes nothing', async () => {
    expect(backup, 'the previous test exported a backup').toBeDefined();
    const fresh = await launch();
    try {
      const popup = await PopupPage.open(fresh);
      await popup.createVault('another-fresh-vault-password');
      await popup.openSettings();

      await popup.submitRestore(backup!, 'wrong-backup-password', 'replace');
      await popup.page.waitFor({ role: 'alert', name: 'Wrong password for this backup file.' }, 30_000);

      await popup.clear('Backup password');
      await popup.submitRestore(backup!, PASSWORD, 'replace');
      await popup.page.waitForText('Backup restored: 1 account added', 30_000);

      await popup.backToList();
      expect(await popup.accountText('localhost')).toContain('9 of 10 left');
      await popup.close();
    } finally {
      await fresh.close();
    }
  });
});
