import type { AccessibleQuery } from '../support/accessible-query';
import type { ExtensionBrowser } from '../support/browsers';
import type { TestPage } from '../support/test-page';

export interface DownloadedFile {
  fileName: string;
  text: string;
}

/**
 * The popup's screens as a user drives them: by label and role (design §4.5), with real clicks and typing.
 * Each operation waits for the screen it leads to, so tests read as the story they prove.
 */
export class PopupPage {
  private constructor(
    readonly page: TestPage,
    private readonly origin: string,
  ) {}

  static async open(browser: ExtensionBrowser): Promise<PopupPage> {
    const popup = new PopupPage(await browser.newPage(), browser.extensionOrigin);
    await popup.page.open(`${browser.extensionOrigin}/popup.html`);
    return popup;
  }

  async reload(): Promise<void> {
    // Firefox's open() of the same URL may return before the old document is gone: mark it, then wait for a
    // document without the mark.
    await this.page.evaluate(
      () => ((window as unknown as { spareOld?: boolean }).spareOld = true),
      undefined,
    );
    await this.page.open(`${this.origin}/popup.html`);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const fresh = await this.page
        .evaluate(
          () => !(window as unknown as { spareOld?: boolean }).spareOld && document.readyState !== 'loading',
          undefined,
        )
        .catch(() => false);
      if (fresh) return;
      if (Date.now() > deadline) throw new Error('popup.html did not reload');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** First run on a new machine: "Restore from a backup" instead of inventing a master password. */
  async openFirstRunRestore(): Promise<void> {
    await this.page.click({ role: 'button', name: 'Restore from a backup' });
    await this.page.waitFor({ role: 'button', name: 'Restore backup' });
  }

  /** Picks the file, types its password and submits; the caller waits for the answer. */
  async submitFirstRunRestore(file: DownloadedFile, password: string): Promise<void> {
    await this.chooseFile('Backup file', file);
    await this.clear('Backup password');
    await this.page.type({ role: 'textbox', name: 'Backup password' }, password);
    await this.page.click({ role: 'button', name: 'Restore backup' });
  }

  async createVault(password: string): Promise<void> {
    await this.page.type({ role: 'textbox', name: 'Master password' }, password);
    await this.waitForStrengthVerdict();
    await this.page.type({ role: 'textbox', name: 'Confirm master password' }, password);
    await this.page.click({ role: 'button', name: 'Create vault' });
    await this.page.waitFor({ role: 'button', name: 'Add account' }, 30_000);
  }

  /** Types the password and clicks Unlock; resolves when the list shows or an error is announced. */
  async submitUnlock(password: string): Promise<void> {
    await this.page.waitFor({ role: 'button', name: 'Unlock' });
    // After a wrong password the field keeps its text; a click would put the caret inside it.
    await this.clear('Master password');
    await this.page.type({ role: 'textbox', name: 'Master password' }, password);
    await this.page.click({ role: 'button', name: 'Unlock' });
  }

  async unlock(password: string): Promise<void> {
    await this.submitUnlock(password);
    await this.page.waitFor({ role: 'button', name: 'Add account' }, 30_000);
  }

  async lock(): Promise<void> {
    await this.page.click({ role: 'button', name: 'Lock' });
    await this.page.waitFor({ role: 'button', name: 'Unlock' });
  }

  async addAccount(site: string, name: string, codes: string): Promise<void> {
    await this.page.click({ role: 'button', name: 'Add account' });
    await this.page.type({ role: 'textbox', name: 'Website' }, site);
    if (name) await this.page.type({ role: 'textbox', name: 'Account name' }, name);
    await this.page.type({ role: 'textbox', name: 'Backup codes' }, codes);
    await this.page.click({ role: 'button', name: 'Save' });
    await this.page.waitFor(this.accountItem(site));
  }

  accountItem(site: string): AccessibleQuery {
    return { role: 'listitem', name: site, exact: false };
  }

  /** The visible text of the account's list item. */
  async accountText(site: string): Promise<string> {
    await this.page.waitFor(this.accountItem(site));
    return this.page.evaluate(
      (wanted) =>
        Array.from(document.querySelectorAll('li'))
          .map((li) => {
            // Text nodes, not innerText: items below the fold are skipped by content-visibility: auto.
            const parts: string[] = [];
            const walker = document.createTreeWalker(li, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) parts.push(walker.currentNode.nodeValue ?? '');
            return parts.join(' ').replace(/\s+/g, ' ').trim();
          })
          .find((text) => text.includes(wanted)) ?? '',
      site,
    );
  }

  async openAccount(site: string): Promise<void> {
    await this.page.click({ role: 'button', name: site, exact: false });
    await this.page.waitFor({ role: 'heading', name: site });
  }

  async markCode(number: number, used: boolean): Promise<void> {
    const name = `Mark ${used ? 'used' : 'unused'}: code ${number}`;
    await this.page.click({ role: 'button', name });
    // The row moves (a used code goes into the collapsed "used codes"): wait for what the popup announces.
    await this.page.waitForText(`Code ${number} marked ${used ? 'used' : 'unused'}.`);
  }

  async backToList(): Promise<void> {
    await this.page.click({ role: 'button', name: '← All accounts' });
    await this.page.waitFor({ role: 'button', name: 'Add account' });
  }

  async openSettings(): Promise<void> {
    await this.page.click({ role: 'button', name: 'Settings' });
    await this.page.waitFor({ role: 'heading', name: 'Settings' });
  }

  /**
   * Settings are sections that open one at a time (issue 9): opens the one with this title, unless it is open.
   * A <summary> has no role the accessible query knows, so it is found by its text.
   */
  async openSettingsSection(title: string): Promise<void> {
    await this.page.evaluate((wanted) => {
      const summary = Array.from(document.querySelectorAll('summary')).find(
        (s) => s.textContent?.trim() === wanted,
      );
      if (!summary) throw new Error(`no settings section "${wanted}"`);
      if (!(summary.parentElement as HTMLDetailsElement).open) summary.click();
    }, title);
  }

  /** Exports, catching the file the popup hands to the browser's download (headless browsers drop it). */
  async exportBackup(password: string): Promise<DownloadedFile> {
    await this.page.evaluate(() => {
      const w = window as unknown as { spareDownloads: Promise<DownloadedFile>[] };
      w.spareDownloads = [];
      const original = HTMLAnchorElement.prototype.click;
      HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
        if (this.download && this.href.startsWith('blob:')) {
          const fileName = this.download;
          w.spareDownloads.push(
            fetch(this.href)
              .then((r) => r.text())
              .then((text) => ({ fileName, text })),
          );
          return;
        }
        original.call(this);
      };
    }, undefined);
    await this.openSettingsSection('Export backup');
    await this.page.type({ role: 'textbox', name: 'Master password' }, password);
    await this.page.click({ role: 'button', name: 'Export backup' });
    await this.page.waitForText('to your downloads', 30_000);
    return this.page.evaluate(async () => {
      const w = window as unknown as { spareDownloads: Promise<DownloadedFile>[] };
      return w.spareDownloads[0]!;
    }, undefined);
  }

  /** Puts a file into the file input with this label, as choosing it in the file dialog would. */
  async chooseFile(label: string, file: DownloadedFile): Promise<void> {
    await this.page.evaluate(
      ([wanted, name, text]) => {
        const labelElement = Array.from(document.querySelectorAll('label')).find(
          (l) => l.textContent?.trim() === wanted,
        );
        const input = labelElement?.control;
        if (!(input instanceof HTMLInputElement) || input.type !== 'file')
          throw new Error(`no file input "${wanted}"`);
        const transfer = new DataTransfer();
        transfer.items.add(new File([text], name, { type: 'application/json' }));
        input.files = transfer.files;
        input.dispatchEvent(new Event('change', { bubbles: true }));
      },
      [label, file.fileName, file.text] as const,
    );
  }

  async submitRestore(file: DownloadedFile, password: string, mode: 'merge' | 'replace'): Promise<void> {
    await this.openSettingsSection('Restore backup');
    await this.page.waitFor({ role: 'button', name: 'Restore backup' });
    await this.chooseFile('Backup file', file);
    await this.page.type({ role: 'textbox', name: 'Backup password' }, password);
    await this.page.evaluate((value) => {
      const radio = document.querySelector<HTMLInputElement>(`input[name="restore-mode"][value="${value}"]`);
      radio?.click();
    }, mode);
    await this.page.click({ role: 'button', name: 'Restore backup' });
  }

  /** Fills Settings → Change master password and submits it; the caller waits for the answer. */
  async submitChangePassword(current: string, next: string, confirmation = next): Promise<void> {
    await this.openSettingsSection('Change master password');
    await this.page.waitFor({ role: 'textbox', name: 'Current master password' });
    for (const label of ['Current master password', 'New master password', 'Confirm new master password'])
      await this.clear(label);
    await this.page.type({ role: 'textbox', name: 'Current master password' }, current);
    await this.page.type({ role: 'textbox', name: 'New master password' }, next);
    if (next.length > 0) await this.waitForStrengthVerdict();
    await this.page.type({ role: 'textbox', name: 'Confirm new master password' }, confirmation);
    await this.page.click({ role: 'button', name: 'Change master password' });
  }

  /**
   * The strength meter says "Checking…" until the lazily loaded rater arrives, then a verdict a line or two
   * longer, which moves everything below it: a click aimed before the verdict can land beside its target.
   */
  async waitForStrengthVerdict(): Promise<void> {
    await this.page.waitForText('Strength: ', 45_000);
  }

  /** Clears a text field so the next `type` replaces its value. */
  async clear(label: string): Promise<void> {
    await this.page.evaluate((wanted) => {
      const labelElement = Array.from(document.querySelectorAll('label')).find(
        (l) => l.textContent?.trim() === wanted,
      );
      const input = labelElement?.control as HTMLInputElement | null;
      if (!input) throw new Error(`no field "${wanted}"`);
      input.value = '';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, label);
  }

  /** The id of the focused element's label text, to check where focus went. */
  focusedLabel(): Promise<string | null> {
    return this.page.evaluate(() => {
      const active = document.activeElement;
      if (!(active instanceof HTMLInputElement) || !active.labels?.[0]) return null;
      return active.labels[0].textContent?.trim() ?? null;
    }, undefined);
  }

  alerts(): Promise<string[]> {
    return this.page.evaluate(
      () => Array.from(document.querySelectorAll('[role="alert"]')).map((el) => el.textContent?.trim() ?? ''),
      undefined,
    );
  }

  close(): Promise<void> {
    return this.page.close();
  }
}
