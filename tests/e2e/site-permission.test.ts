/**
 * Sites stay tied to accounts: adding an account asks for its site's permission and the content script runs
 * there, in a tab that was already open too; deleting the site's last account gives the permission up and the
 * content script stops. Firefox only: there a test can click through `permissions.request`
 * (`extensions.webextOptionalPermissionPrompts`), while Chromium shows a real prompt that automation cannot
 * accept (design §6). The background tier covers the same in both browsers' APIs (tests/background).
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PopupPage } from './pages/popup-page';
import { launchFirefox, type ExtensionBrowser } from './support/browsers';
import { LabPage } from './support/lab';
import { sleep } from './support/until';

// Not granted by the e2e build (only localhost and 127.0.0.1 are), and plain http is allowed for an IP (§4.2).
const HOST = '127.0.0.2';
const PASSWORD = 'quiet-orchard-lantern-42';

let browser: ExtensionBrowser;
let server: Server;
let origin: string;

beforeAll(async () => {
  const page = await readFile(join(import.meta.dirname, 'site/login-backup-code.html'));
  server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((ready) => server.listen(0, HOST, ready));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  origin = `http://${HOST}:${address.port}`;
  browser = await launchFirefox();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((done) => server?.close(done));
});

/** Focuses the field, which wakes Spare's script where it runs, then looks for its test-build mark. */
async function contentScriptIn(page: Awaited<ReturnType<ExtensionBrowser['newPage']>>): Promise<boolean> {
  await page.click({ role: 'textbox', name: 'Backup code' });
  await sleep(200);
  return page.evaluate(() => document.documentElement.dataset.spareE2eContentScript === 'running', undefined);
}

test('adding an account enables its site, an open tab included; deleting the last one disables it', async () => {
  const lab = await LabPage.open(browser);
  await lab.request({ type: 'create-vault', password: PASSWORD });
  const grantedNow = () => lab.grantedOrigins();

  // A tab already open on the site before it is enabled.
  const early = await browser.newPage();
  await early.open(`${origin}/login.html`);
  expect(await contentScriptIn(early)).toBe(false);

  const popup = await PopupPage.open(browser);
  await popup.page.waitFor({ role: 'button', name: 'Add account' });
  await popup.addAccount(HOST, 'carol', '1111 1111\n2222 2222');
  expect(await grantedNow()).toContain(`http://${HOST}/*`);

  // Without a reload, the open tab now runs the content script.
  let running = false;
  for (let i = 0; i < 40 && !running; i++) {
    await sleep(100);
    running = await contentScriptIn(early);
  }
  expect(running).toBe(true);

  await popup.openAccount(HOST);
  await popup.page.click({ role: 'button', name: 'Delete account' });
  await popup.page.click({ role: 'button', name: 'Yes, delete for good' });
  await popup.page.waitFor({ role: 'button', name: 'Add account' });

  let granted = await grantedNow();
  for (let i = 0; i < 40 && granted.includes(`http://${HOST}/*`); i++) {
    await sleep(100);
    granted = await grantedNow();
  }
  expect(granted).not.toContain(`http://${HOST}/*`);
  // The e2e build's own hosts stay: they come with the manifest.
  expect(granted).toContain('http://localhost/*');

  const later = await browser.newPage();
  await later.open(`${origin}/login.html`);
  await sleep(500);
  expect(await contentScriptIn(later)).toBe(false);
});
