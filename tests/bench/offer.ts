/**
 * The offer's two timings (design §5), in Chromium and Firefox with the e2e build, on the plain login page:
 * - `offer_visible_ms`: from the first focus of a backup-code field on a fresh page (a real click) to the frame
 *   that first shows the offer's content, the lazy detector's injection included;
 * - `fill_roundtrip_ms`: from Enter's key-down inside the offer to the field's `input` event (the value set),
 *   warm (after warm-up fills), median.
 * Each side stamps its own event with `performance.timeOrigin + performance.now()` (the page with listeners
 * installed before the click; the offer page in e2e builds only, on its root element and in storage.local),
 * so no automation round trip counts.
 */
import { SitePage } from '../e2e/pages/site-page';
import type { ExtensionBrowser } from '../e2e/support/browsers';
import { LabPage } from '../e2e/support/lab';
import { startSiteServer } from '../e2e/support/site-server';

export interface OfferTimings {
  visibleMs: number[];
  fillMs: number[];
}

const CODES = Array.from({ length: 40 }, (_, i) => {
  const n = String(20_000_000 + i);
  return { value: `${n.slice(0, 4)} ${n.slice(4)}` };
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function poll<T>(read: () => Promise<T | null | undefined>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read().catch(() => null);
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} never came`);
    await sleep(20);
  }
}

/** One fresh tab: focus, offer, fill. Returns both timings of that tab. */
async function oneRun(
  browser: ExtensionBrowser,
  lab: LabPage,
  url: string,
): Promise<{ visible: number; fill: number }> {
  const page = new SitePage(await browser.newPage());
  try {
    await page.open(url);
    // Spare's eager script was installed at document_start, before the page's own scripts.
    // No named functions inside evaluated code: tsx (which runs the bench) would wrap them in a helper the
    // page does not have.
    const field = await page.page.evaluate(() => {
      const stamps: Record<string, number> = {};
      (window as unknown as { spareStamps: Record<string, number> }).spareStamps = stamps;
      addEventListener('focusin', () => (stamps.focus ??= performance.timeOrigin + performance.now()), {
        capture: true,
      });
      addEventListener('input', () => (stamps.input ??= performance.timeOrigin + performance.now()), {
        capture: true,
      });
      const rect = document.getElementById('code')!.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }, undefined);
    await page.page.clickAt(field.x, field.y);
    const renderedAt = await poll(
      () =>
        page.page.evaluateInFrame(
          '/offer.html',
          () => Number(document.documentElement.dataset.spareRenderedAt) || null,
          undefined,
        ),
      'the offer',
    );
    const focusAt = await page.page.evaluate(
      () => (window as unknown as { spareStamps: Record<string, number> }).spareStamps.focus!,
      undefined,
    );
    // Past the half second in which the offer refuses input (clickjacking guard).
    await sleep(800);
    await page.page.press('ArrowDown');
    await sleep(150);
    await page.page.press('Enter');
    const inputAt = await poll(
      () =>
        page.page.evaluate(
          () => (window as unknown as { spareStamps: Record<string, number> }).spareStamps.input ?? null,
          undefined,
        ),
      'the filled value',
    );
    // The offer page keeps its Enter time in storage.local (e2e builds): its frame is gone by now.
    const enterAt = await poll(async () => {
      const value = await lab.localValue('spare-bench:enter-at');
      return typeof value === 'number' && value > focusAt ? value : null;
    }, "the offer's Enter stamp");
    return { visible: renderedAt - focusAt, fill: inputAt - enterAt };
  } finally {
    await page.page.close();
  }
}

export async function timeOffer(
  browser: ExtensionBrowser,
  password: string,
  runs: number,
  warmup: number,
): Promise<OfferTimings> {
  const site = await startSiteServer('localhost');
  try {
    const lab = await LabPage.open(browser);
    const status = (await lab.request({ type: 'status' })).state;
    if (status === 'no-vault') await lab.request({ type: 'create-vault', password });
    else if (status === 'locked') await lab.request({ type: 'unlock', password });
    await lab.request({ type: 'add-account', account: { site: 'localhost', label: 'bench', codes: CODES } });
    const url = site.url('/login-backup-code.html');
    const visibleMs: number[] = [];
    const fillMs: number[] = [];
    for (let i = 0; i < warmup + runs; i++) {
      const { visible, fill } = await oneRun(browser, lab, url);
      if (i < warmup) continue;
      visibleMs.push(visible);
      fillMs.push(fill);
    }
    await lab.close();
    return { visibleMs, fillMs };
  } finally {
    await site.close();
  }
}
