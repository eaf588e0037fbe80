/**
 * Issue 9, "No restore at first run": in a fresh profile, the first-run screen restores a backup file with the
 * backup's own password, and the vault is made from it. The file is what Spare's core (the same code as the
 * CLI's `encrypt`) writes; a wrong password first leaves nothing behind, so the second try simply works.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encryptBackup } from '../../src/core/backup';
import type { KdfParams } from '../../src/core/crypto';
import { PopupPage, type DownloadedFile } from './pages/popup-page';
import { BROWSERS, type ExtensionBrowser } from './support/browsers';

const BACKUP_PASSWORD = 'pebble-harbour-violet-cedar';

/** The cheapest parameters Spare accepts (m = 19 MiB, t = 2): the browser derives the key quickly. */
function cheapKdf(): KdfParams {
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return { name: 'argon2id', memoryKiB: 19456, iterations: 2, parallelism: 1, salt };
}

async function backupFile(): Promise<DownloadedFile> {
  const text = await encryptBackup(
    {
      format: 'spare-plain',
      version: 1,
      accounts: [
        {
          site: 'instagram.com',
          label: 'alice',
          codes: [
            { code: '1234 5678', used: false },
            { code: '2345 6789', used: true, usedAt: '2026-11-20T10:00:00Z' },
          ],
        },
        { site: 'github.com', codes: [{ code: 'a1b2c-d3e4f', used: false }] },
      ],
    },
    BACKUP_PASSWORD,
    cheapKdf(),
  );
  return { fileName: 'spare-backup-2026-11-20.spare', text };
}

describe.each(BROWSERS)('first run in $name', ({ launch }) => {
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('"Restore from a backup" makes the vault from the file, with the backup’s password', async () => {
    const file = await backupFile();
    const popup = await PopupPage.open(browser);
    await popup.page.waitFor({ role: 'button', name: 'Create vault' }, 30_000);
    await popup.openFirstRunRestore();

    await popup.submitFirstRunRestore(file, 'not-the-backup-password');
    await popup.page.waitFor({ role: 'alert', name: 'Wrong password for this backup file.' }, 30_000);

    await popup.submitFirstRunRestore(file, BACKUP_PASSWORD);
    await popup.page.waitFor(popup.accountItem('instagram.com'), 30_000);
    expect(await popup.accountText('instagram.com')).toContain('1 of 2 left');
    expect(await popup.accountText('github.com')).toContain('1 of 1 left');

    // The backup's password is now the master password.
    await popup.lock();
    await popup.unlock(BACKUP_PASSWORD);
    expect(await popup.accountText('instagram.com')).toContain('alice');
    await popup.close();
  });
});
