import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { BrowserContext } from 'playwright-core';

/**
 * `ocr_ms_phone_screenshot` (issue 12): in a fresh popup.html tab, vault unlocked, Add account with the Website
 * filled, a 1170×2532 Instagram-style screenshot is picked; the time runs from the file input's change event to
 * the first frame painted after the preview holds the codes. It includes what a first pick pays: loading the
 * OCR chunk, starting tesseract's worker with the packaged wasm core and English data, and the readings.
 */
export const PHONE_SCREENSHOT = resolve(
  import.meta.dirname,
  '../fixtures/screenshots/instagram-light-phone.png',
);

export async function timeScreenshotImport(
  context: BrowserContext,
  popupUrl: string,
  png: Buffer,
  wantedCodes: number,
): Promise<number> {
  const page = await context.newPage();
  try {
    await page.goto(popupUrl);
    await page.getByRole('button', { name: 'Add account' }).click();
    await page.getByRole('textbox', { name: 'Website' }).fill('instagram.com');
    // The picker comes with the preview's chunk: wait until it is there, outside the timed part.
    await page.locator('#add-screenshot').waitFor({ state: 'attached' });
    const ms = await page.evaluate(
      async ([data, wanted]) => {
        const binary = atob(data);
        const bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], 'screenshot.png', { type: 'image/png' }));
        const input = document.getElementById('add-screenshot') as HTMLInputElement;
        input.files = transfer.files;
        // No named functions in here: the page gets this as transpiled source text (see tests/e2e notes).
        const shown = new Promise<number>((done, fail) => {
          const timer = setTimeout(() => fail(new Error('no preview within 30 s')), 30_000);
          new MutationObserver((_, observer) => {
            if (document.querySelectorAll('#add-preview li').length < wanted) return;
            observer.disconnect();
            clearTimeout(timer);
            requestAnimationFrame(() => setTimeout(() => done(performance.now())));
          }).observe(document.body, { childList: true, subtree: true });
        });
        const start = performance.now();
        input.dispatchEvent(new Event('change', { bubbles: true }));
        return (await shown) - start;
      },
      [png.toString('base64'), wantedCodes] as const,
    );
    return ms;
  } finally {
    await page.close();
  }
}

export const readPhoneScreenshot = () => readFile(PHONE_SCREENSHOT);
