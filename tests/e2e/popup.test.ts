import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PopupPage, type DownloadedFile } from './pages/popup-page';
import { BROWSERS, type ExtensionBrowser } from './support/browsers';
import { LabPage } from './support/lab';

const PASSWORD = 'lantern-quiet-orbit-mango';
const REPO_ROOT = resolve(import.meta.dirname, '../..');
const GITHUB_FILE = resolve(REPO_ROOT, '../shared/fixtures/parse/cases/001-github-recovery-codes.txt');
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

  test('add-account errors, import a downloaded file, search, reveal, delete with confirmation', async () => {
    const lab = await ensureUnlocked(browser);
    await lab.request({
      type: 'add-account',
      account: { site: 'search-decoy.org', codes: [{ value: '11112222' }, { value: '33334444' }] },
    });
    await lab.close();
    const popup = await PopupPage.open(browser);
    await popup.page.waitFor({ role: 'button', name: 'Add account' }, 30_000);

    await popup.page.click({ role: 'button', name: 'Add account' });
    await popup.page.click({ role: 'button', name: 'Save' });
    await popup.page.waitFor({
      role: 'alert',
      name: 'Enter the website these codes are for, for example instagram.com.',
    });
    await popup.page.type({ role: 'textbox', name: 'Website' }, 'instagram.com');
    await popup.page.type({ role: 'textbox', name: 'Backup codes' }, 'Dear diary, nothing to see here.');
    await popup.page.waitFor({ role: 'alert', name: 'No backup codes found in this text.' });
    await popup.page.click({ role: 'button', name: 'Save' });
    await popup.page.waitFor({ role: 'alert', name: 'No backup codes found', exact: false });
    expect(await popup.focusedLabel()).toBe(null); // the textarea has focus, not an <input>
    expect(await popup.page.evaluate(() => document.activeElement?.id, undefined)).toBe('add-codes');

    // A downloaded file names its site: the Website field is filled from it when left empty.
    await popup.clear('Website');
    await popup.clear('Backup codes');
    await popup.chooseFile('Import file', {
      fileName: 'github-recovery-codes.txt',
      text: await readFile(GITHUB_FILE, 'utf8'),
    });
    await popup.page.waitForText('16 codes found');
    expect(
      await popup.page.evaluate(
        () => (document.getElementById('add-site') as HTMLInputElement).value,
        undefined,
      ),
    ).toBe('github.com');
    await popup.page.click({ role: 'button', name: 'Save' });
    await popup.page.waitFor(popup.accountItem('github.com'));
    expect(await popup.accountText('github.com')).toContain('16 of 16 left');

    await popup.page.type({ role: 'textbox', name: 'Search' }, 'git');
    await popup.page.waitForText(' accounts match');
    expect(await popup.page.isPresent(popup.accountItem('github.com'))).toBe(true);
    expect(await popup.page.isPresent(popup.accountItem('search-decoy.org'))).toBe(false);

    await popup.openAccount('github.com');
    const codeText = () =>
      popup.page.evaluate(() => document.querySelector('ol.codes li code')?.textContent ?? '', undefined);
    expect(await codeText()).toMatch(/^•+$/);
    await popup.page.click({ role: 'button', name: 'Reveal code 1' });
    expect(await codeText()).toMatch(/^[0-9a-f]{5}-[0-9a-f]{5}$/);
    await popup.page.click({ role: 'button', name: 'Hide code 1' });
    expect(await codeText()).toMatch(/^•+$/);

    await popup.page.click({ role: 'button', name: 'Delete account' });
    await popup.page.click({ role: 'button', name: 'Cancel' });
    await popup.page.click({ role: 'button', name: 'Delete account' });
    await popup.page.click({ role: 'button', name: 'Yes, delete for good' });
    await popup.page.waitForText('Deleted the account for github.com.');
    expect(await popup.page.isPresent(popup.accountItem('github.com'))).toBe(false);
    await popup.close();
  });

  test('restore the exported backup into a fresh vault (replace), after a wrong password changes nothing; change the password', async () => {
    expect(backup, 'the previous test exported a backup').toBeDefined();
    const fresh = await launch();
    try {
      const popup = await PopupPage.open(fresh);
      // The create screen refuses a weak password and a mismatch, each next to its field.
      await popup.page.type({ role: 'textbox', name: 'Master password' }, 'password123');
      // The meter rates it once the lazily loaded rater (a 1.6 MB chunk) arrives, which in a profile that has just
      // started beside another browser took over 15 s once (CI, load ~8). Its verdict is a line longer than
      // "Checking…" and moves the button down: a click aimed before it lands beside the button (CI, once).
      await popup.waitForStrengthVerdict();
      expect(
        await popup.page.evaluate(() => document.body.innerText.includes('Strength: weak'), undefined),
      ).toBe(true);
      await popup.page.click({ role: 'button', name: 'Create vault' });
      await popup.page.waitFor({ role: 'alert', name: 'This master password is too weak', exact: false });
      await popup.clear('Master password');
      await popup.page.type({ role: 'textbox', name: 'Master password' }, 'another-fresh-vault-password');
      await popup.page.type(
        { role: 'textbox', name: 'Confirm master password' },
        'another-fresh-vault-passwort',
      );
      await popup.page.click({ role: 'button', name: 'Create vault' });
      await popup.page.waitFor({ role: 'alert', name: 'The two passwords do not match.' });
      await popup.clear('Master password');
      await popup.clear('Confirm master password');
      await popup.createVault('another-fresh-vault-password');
      await popup.openSettings();

      await popup.submitRestore(backup!, 'wrong-backup-password', 'replace');
      await popup.page.waitFor({ role: 'alert', name: 'Wrong password for this backup file.' }, 30_000);

      await popup.clear('Backup password');
      await popup.submitRestore(backup!, PASSWORD, 'replace');
      await popup.page.waitForText('Backup restored: 1 account added', 30_000);

      await popup.backToList();
      expect(await popup.accountText('localhost')).toContain('9 of 10 left');

      // Changing the password checks the new one as the create screen does, each refusal on its field,
      // and then only the new one unlocks.
      const current = 'another-fresh-vault-password';
      const next = 'pebble-harbour-violet-cedar';
      await popup.openSettings();
      await popup.submitChangePassword(current, current);
      await popup.page.waitFor({ role: 'alert', name: 'The new password is the same as the current one.' });
      expect(await popup.focusedLabel()).toBe('New master password');
      await popup.submitChangePassword(current, 'short');
      await popup.page.waitFor({ role: 'alert', name: 'at least 10 characters', exact: false });
      await popup.submitChangePassword(current, next, `${next}x`);
      await popup.page.waitFor({ role: 'alert', name: 'The two passwords do not match.' });
      expect(await popup.focusedLabel()).toBe('Confirm new master password');
      await popup.submitChangePassword(current, next);
      await popup.page.waitForText('Master password changed.', 30_000);
      expect(await popup.alerts()).toEqual([]);
      await popup.lock();
      await popup.submitUnlock(current);
      await popup.page.waitFor({ role: 'alert', name: 'Wrong password. Try again.' }, 30_000);
      await popup.unlock(next);
      await popup.close();
    } finally {
      await fresh.close();
    }
  });

  test('1,000 accounts × 10 codes all render, flagged when low; a cold locked popup focuses its field', async () => {
    const lab = await ensureUnlocked(browser);
    const existing = (await lab.request({ type: 'list-accounts' })).length;
    await lab.requestAll(
      Array.from({ length: 1000 - existing }, (_, i) => ({
        type: 'add-account' as const,
        account: {
          site: `example${i}.com`,
          label: `user${i}`,
          codes: Array.from({ length: 10 }, (_, j) => ({
            value: String(20_000_000 + i * 10 + j),
            used: j < i % 11,
          })),
        },
      })),
    );
    await lab.close();

    const renders: number[] = [];
    const popup = await PopupPage.open(browser);
    for (let run = 0; run < 5; run++) {
      if (run > 0) await popup.reload();
      await popup.page.waitFor(popup.accountItem('example900.com'), 30_000);
      renders.push(await measure(popup, 'spare:list-render'));
    }
    expect(
      await popup.page.evaluate(() => document.querySelectorAll('ul.accounts > li').length, undefined),
    ).toBe(1000);
    // Accounts with few or no codes left are flagged in the list.
    expect(await popup.accountText('example10.com')).toContain('0 of 10 left');
    expect(await popup.accountText('example10.com')).toContain('No codes left — generate new ones');
    expect(await popup.accountText('example9.com')).toContain('Only 1 left');

    await popup.lock();
    const interactive: number[] = [];
    for (let run = 0; run < 5; run++) {
      await popup.reload();
      await popup.page.waitFor({ role: 'button', name: 'Unlock' });
      interactive.push(await mark(popup, 'spare:popup-interactive'));
      expect(await popup.focusedLabel()).toBe('Master password');
    }
    await popup.close();

    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    console.log(
      `[${browser.name}] list render, 1,000 accounts: median ${median(renders).toFixed(1)} ms (${renders
        .map((v) => v.toFixed(1))
        .join(', ')}); cold popup to focused field: median ${median(interactive).toFixed(1)} ms (${interactive
        .map((v) => v.toFixed(1))
        .join(', ')})`,
    );
    // The budgets (≤ 100 ms, ≤ 150 ms) are judged by `npm run bench` on a quiet machine, not here: a timed
    // assertion in a test on a shared 2-core machine fails for reasons that are not the popup's.
  }, 240_000);
});

async function measure(popup: PopupPage, name: string): Promise<number> {
  let duration: number | undefined;
  for (let attempt = 0; attempt < 100 && duration === undefined; attempt++) {
    duration = await popup.page.evaluate(
      (n) => performance.getEntriesByName(n, 'measure')[0]?.duration,
      name,
    );
    if (duration === undefined) await new Promise((r) => setTimeout(r, 50));
  }
  if (duration === undefined) throw new Error(`no performance measure ${name}`);
  return duration;
}

async function mark(popup: PopupPage, name: string): Promise<number> {
  const time = await popup.page.evaluate((n) => performance.getEntriesByName(n, 'mark')[0]?.startTime, name);
  if (time === undefined) throw new Error(`no performance mark ${name}`);
  return time;
}

/** Whatever state earlier tests left (or none, when run alone): an unlocked vault with PASSWORD. */
async function ensureUnlocked(browser: ExtensionBrowser): Promise<LabPage> {
  const lab = await LabPage.open(browser);
  const { state } = await lab.request({ type: 'status' });
  if (state === 'no-vault') await lab.request({ type: 'create-vault', password: PASSWORD });
  if (state === 'locked') await lab.request({ type: 'unlock', password: PASSWORD });
  return lab;
}
