import type { BrowserContext, Page } from 'playwright-core';

/**
 * Popup timings, taken inside the popup page with performance.now() (0 = the page's navigation start), so
 * that Playwright's round trips never count. The popup is opened as a tab (design §4.5 allows it).
 */

// Accessible names of design §4.5.
const MASTER_PASSWORD = 'Master password';
const UNLOCK = 'Unlock';
const SEARCH = 'Search';
const WAIT_MS = 20_000;

interface Stamps {
  /** First time the "Master password" field held the focus. */
  focusedAt?: number;
  /** Whether a focusin event or the per-frame check saw it first. */
  focusedBy?: 'focusin' | 'frame';
  /** The first trusted click (capture phase on window, before any of the popup's handlers). */
  clickAt?: number;
  /** When the DOM first held the wanted number of account list items. */
  listInDomAt?: number;
  /** The start of the first animation frame after that (its requestAnimationFrame callback). */
  listFrameAt?: number;
  /**
   * The end of that frame: a task posted from its requestAnimationFrame callback runs once the frame's style,
   * layout and paint are done. This is "the list is rendered".
   */
  listRenderedAt?: number;
  listItems?: number;
  /** The last trusted `input` event (capture phase on window). */
  inputAt?: number;
}

declare global {
  interface Window {
    __spareBench?: Stamps;
    /** Forgets the list and input stamps and watches for `wanted` account items again. */
    __spareBenchWatchList?: (wanted: number) => void;
  }
}

/**
 * Installed before any of the popup's own scripts (Playwright init script). It runs in the page, so it is
 * self-contained and passed as source text.
 */
function installStamps({ wantedItems }: { wantedItems: number }): void {
  const stamps: Stamps = {};
  window.__spareBench = stamps;
  const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
  // The accessible name of an input, as far as the popup names its fields (design §4.5).
  const isMasterPassword = (el: Element | null): boolean => {
    if (!(el instanceof HTMLInputElement)) return false;
    const labelledBy = el.getAttribute('aria-labelledby');
    const name = labelledBy
      ? labelledBy
          .split(/\s+/)
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' ')
      : (el.getAttribute('aria-label') ?? Array.from(el.labels ?? [], (l) => l.textContent).join(' '));
    return squash(name) === 'Master password';
  };

  addEventListener(
    'focusin',
    (event) => {
      const now = performance.now();
      if (stamps.focusedAt === undefined && isMasterPassword(event.target as Element)) {
        stamps.focusedAt = now;
        stamps.focusedBy = 'focusin';
      }
    },
    true,
  );
  // A focus set without a focus event (e.g. before the window had the focus) is caught on the next frame.
  const pollFocus = () => {
    if (stamps.focusedAt !== undefined) return;
    const now = performance.now();
    if (isMasterPassword(document.activeElement)) {
      stamps.focusedAt = now;
      stamps.focusedBy = 'frame';
    } else requestAnimationFrame(pollFocus);
  };
  requestAnimationFrame(pollFocus);

  addEventListener(
    'click',
    (event) => {
      if (event.isTrusted && stamps.clickAt === undefined) stamps.clickAt = performance.now();
    },
    true,
  );

  addEventListener(
    'input',
    (event) => {
      if (event.isTrusted) stamps.inputAt = performance.now();
    },
    true,
  );

  let observer: MutationObserver | null = null;
  const watchList = (wanted: number) => {
    observer?.disconnect();
    delete stamps.listInDomAt;
    delete stamps.listFrameAt;
    delete stamps.listRenderedAt;
    delete stamps.listItems;
    delete stamps.inputAt;
    const accountItems = () => {
      const items = document.querySelectorAll('li, [role="listitem"]');
      if (items.length < wanted) return items.length;
      return Array.from(items).filter((item) => /\b\d+ of \d+ left\b/.test(item.textContent ?? '')).length;
    };
    const watcher = new MutationObserver(() => {
      const count = accountItems();
      if (count < wanted) return;
      stamps.listInDomAt = performance.now();
      stamps.listItems = count;
      watcher.disconnect();
      requestAnimationFrame(() => {
        stamps.listFrameAt = performance.now();
        const channel = new MessageChannel();
        channel.port1.onmessage = () => (stamps.listRenderedAt = performance.now());
        channel.port2.postMessage(null);
      });
    });
    watcher.observe(document, { childList: true, subtree: true, characterData: true });
    observer = watcher;
  };
  window.__spareBenchWatchList = watchList;
  if (wantedItems > 0) watchList(wantedItems);
}

async function openInstrumented(context: BrowserContext, url: string, wantedItems: number): Promise<Page> {
  const page = await context.newPage();
  // tsx (esbuild keepNames) wraps named inner functions in __name(); the page has no such helper.
  await page.addInitScript({
    content: `(() => { const __name = (f) => f; (${installStamps.toString()})(${JSON.stringify({ wantedItems })}); })();`,
  });
  await page.goto(url);
  return page;
}

/** Polls from Node; the stamps themselves are taken in the page, so the polling interval does not count. */
async function waitForStamp(page: Page, stamp: keyof Stamps, what: string): Promise<Stamps> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const stamps = await page.evaluate(() => window.__spareBench);
    if (stamps?.[stamp] !== undefined) return stamps;
    if (Date.now() > deadline) throw new Error(`popup: ${what} within ${WAIT_MS / 1000} s (${page.url()})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** popup_interactive_ms: navigation start to the focused "Master password" field, vault locked. */
export async function timePopupInteractive(
  context: BrowserContext,
  popupUrl: string,
): Promise<{ ms: number; seenBy: 'focusin' | 'frame'; appMarkMs: number | null }> {
  const page = await openInstrumented(context, popupUrl, 0);
  try {
    const stamps = await waitForStamp(page, 'focusedAt', 'the "Master password" field never got the focus');
    const appMarkMs = await page.evaluate(
      () => performance.getEntriesByName('spare:popup-interactive', 'mark')[0]?.startTime ?? null,
    );
    return { ms: stamps.focusedAt!, seenBy: stamps.focusedBy!, appMarkMs };
  } finally {
    await page.close();
  }
}

/** unlock_to_list_ms: the Unlock click to the end of the first frame that shows every account's item. */
export async function timeUnlockToList(
  context: BrowserContext,
  popupUrl: string,
  password: string,
  accounts: number,
): Promise<number> {
  const page = await openInstrumented(context, popupUrl, accounts);
  try {
    // Playwright's own label and role engine: the e2e TestPage ships its finder as source text, which under
    // tsx carries esbuild's __name() helper calls that do not exist in the page.
    await page.getByLabel(MASTER_PASSWORD, { exact: true }).pressSequentially(password);
    await page.getByRole('button', { name: UNLOCK, exact: true }).click();
    const stamps = await waitForStamp(
      page,
      'listRenderedAt',
      `${accounts} account list items never appeared after Unlock`,
    );
    if (stamps.clickAt === undefined) throw new Error('popup: the Unlock click was not seen by the page');
    return stamps.listRenderedAt! - stamps.clickAt;
  } finally {
    await page.close();
  }
}

export interface ListRenderTimes {
  /** Per run: the trusted `input` that clears the search to the end of the first frame with every item. */
  rerenderMs: number[];
  /** Per run: the same start to the moment every item was in the DOM (before style, layout and paint). */
  rerenderInDomMs: number[];
  /** The first load: navigation start to the end of the first frame with every item. */
  coldMs: number;
  /** The popup's own `spare:list-render` measure of that first load, when it reports one. */
  appMeasureMs: number | null;
}

/**
 * list_render_ms_1000_accounts. In one popup tab (vault unlocked), the Search field first holds a query that
 * matches no account; then the user clears it (Ctrl+A, Backspace) and the whole list renders again. Timed from
 * that trusted `input` event to the end of the first frame with every account item (see listRenderedAt). The first
 * round is a warm-up. The cold first load is reported alongside.
 */
export async function timeListRender(
  context: BrowserContext,
  popupUrl: string,
  accounts: number,
  runs: number,
): Promise<ListRenderTimes> {
  const page = await openInstrumented(context, popupUrl, accounts);
  try {
    const cold = await waitForStamp(page, 'listRenderedAt', `${accounts} account list items never appeared`);
    const appMeasureMs = await page.evaluate(
      () => performance.getEntriesByName('spare:list-render', 'measure')[0]?.duration ?? null,
    );
    const search = page.getByLabel(SEARCH, { exact: true });
    const rerenderMs: number[] = [];
    const rerenderInDomMs: number[] = [];
    for (let i = 0; i <= runs; i++) {
      await search.fill('no account has this name');
      await waitForItemCount(page, 0);
      await page.evaluate((wanted) => window.__spareBenchWatchList!(wanted), accounts);
      await search.press('Control+A');
      await page.keyboard.press('Backspace');
      const stamps = await waitForStamp(
        page,
        'listRenderedAt',
        `the list did not come back after clearing Search`,
      );
      if (stamps.inputAt === undefined) throw new Error('popup: clearing Search fired no input event');
      if (i === 0) continue;
      rerenderMs.push(stamps.listRenderedAt! - stamps.inputAt);
      rerenderInDomMs.push(stamps.listInDomAt! - stamps.inputAt);
    }
    return { rerenderMs, rerenderInDomMs, coldMs: cold.listRenderedAt!, appMeasureMs };
  } finally {
    await page.close();
  }
}

async function waitForItemCount(page: Page, count: number): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while ((await page.locator('li').count()) !== count) {
    if (Date.now() > deadline) throw new Error(`popup: the list never showed ${count} items`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
