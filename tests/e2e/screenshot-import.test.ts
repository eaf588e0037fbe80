/**
 * Issue 12 in real browsers: in Add account, a screenshot of Instagram backup codes is read on the device by
 * the packaged tesseract (worker, wasm core and English data from the extension), the preview shows the codes
 * beside the picture, Save stores them, and the list says "5 of 5 left". Every http(s) request either browser
 * makes goes through a recording proxy: none may be made while the screenshot is read.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ShotTruth } from '../fixtures/screenshots/generate';
import { PopupPage } from './pages/popup-page';
import { BROWSERS, type ExtensionBrowser } from './support/browsers';
import { LabPage } from './support/lab';

const PASSWORD = 'lantern-orchid-basalt-31';
const SHOT = 'instagram-light-phone.png';
const truth = (JSON.parse(readFileSync('tests/fixtures/screenshots/truth.json', 'utf8')) as ShotTruth[]).find(
  (shot) => shot.file === SHOT,
)!;

/**
 * Requests the browser makes for itself, whatever page is open: Chromium checks its Google sign-in at
 * start-up and now and then. Nothing a page or worker asks for is ever on this list.
 */
const BROWSER_OWN = new Set(['CONNECT accounts.google.com:443']);
const fromPages = (requests: string[]) => requests.filter((request) => !BROWSER_OWN.has(request));

/** Answers every request with 502 and remembers it (CONNECT for https, the URL for plain http). */
async function recordingProxy(): Promise<{ server: Server; port: number; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    response.writeHead(502).end();
  });
  server.on('connect', (request, socket) => {
    requests.push(`CONNECT ${request.url}`);
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, requests };
}

describe.each(BROWSERS)('screenshot import in $name', ({ launch }) => {
  let browser: ExtensionBrowser;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;

  beforeAll(async () => {
    proxy = await recordingProxy();
    browser = await launch({ proxyPort: proxy.port });
    const lab = await LabPage.open(browser);
    await lab.request({ type: 'create-vault', password: PASSWORD });
    await lab.close();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    proxy?.server.close();
  });

  test('pick a screenshot in Add account → preview beside the image → Save → 5 of 5 left, no request made', async () => {
    const popup = await PopupPage.open(browser);
    await popup.page.waitFor({ role: 'button', name: 'Add account' }, 30_000);
    await popup.page.click({ role: 'button', name: 'Add account' });
    await popup.page.type({ role: 'textbox', name: 'Website' }, 'instagram.com');

    const before = proxy.requests.length;
    const base64 = readFileSync(`tests/fixtures/screenshots/${SHOT}`).toString('base64');
    await popup.page.evaluate(
      ([name, data]) => {
        const label = Array.from(document.querySelectorAll('label')).find(
          (l) => l.textContent?.trim() === 'Or read the codes from a screenshot',
        );
        const input = label?.control;
        if (!(input instanceof HTMLInputElement) || input.type !== 'file')
          throw new Error('no screenshot input');
        const binary = atob(data);
        const bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name, { type: 'image/png' }));
        input.files = transfer.files;
        input.dispatchEvent(new Event('change', { bubbles: true }));
      },
      [SHOT, base64] as const,
    );
    // Done reading: the preview, or the sentence a failed reading shows. Requests are checked first, so a
    // reading that tried the network fails here, naming what it asked for.
    await popup.page.waitForText('codes found', 30_000).catch(() => undefined);
    expect(fromPages(proxy.requests.slice(before))).toEqual([]);
    await popup.page.waitForText('5 codes found', 1_000);
    const shown = await popup.page.evaluate(
      () => ({
        codes: Array.from(document.querySelectorAll('#add-preview li code')).map((c) => c.textContent),
        image: (document.querySelector('#add-preview img') as HTMLImageElement | null)?.src ?? null,
        field: (document.getElementById('add-codes') as HTMLTextAreaElement).value,
      }),
      undefined,
    );
    expect(shown.codes).toEqual(truth.codes);
    expect(shown.image).toMatch(/^blob:/);
    expect(shown.field.split('\n')).toEqual(truth.codes);
    expect(fromPages(proxy.requests.slice(before))).toEqual([]);

    await popup.page.click({ role: 'button', name: 'Save' });
    await popup.page.waitFor(popup.accountItem('instagram.com'));
    expect(await popup.accountText('instagram.com')).toContain('5 of 5 left');
    expect(fromPages(proxy.requests.slice(before))).toEqual([]);
    await popup.page.close();
  });
});
