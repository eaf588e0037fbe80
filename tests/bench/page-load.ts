import type { BrowserContext } from 'playwright-core';
import { CHURN_DONE_MESSAGE } from './fixtures/generate';
import { max, median, min } from './support/stats';

/** One page load: the renderer main thread's task time, and whether an extension's script ran in it. */
export interface LoadSample {
  taskMs: number;
  /** Execution contexts an extension created in the page (content-script worlds, all frames). */
  extensionWorlds: number;
  /** Elements in the DOM once the page settled. */
  elements: number;
  /** What the page says it holds (`<meta name="bench-elements">`). */
  declaredElements: number;
}

export interface LoadOptions {
  /** The SPA churn page logs a message after its last frame; static pages are done at `load`. */
  waitForChurn: boolean;
  /** Quiet time after the page is done, for a document_idle content script and its follow-up work. */
  settleMs: number;
}

/**
 * Loads `url` in a fresh tab and reads CDP `Performance.getMetrics` TaskDuration (thread ticks) once the
 * page is done and settled (design §5: not ScriptDuration, which misses work after an `await`).
 */
export async function measureLoad(
  context: BrowserContext,
  url: string,
  options: LoadOptions,
): Promise<LoadSample> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    let extensionWorlds = 0;
    cdp.on('Runtime.executionContextCreated', ({ context: created }) => {
      if (created.origin.startsWith('chrome-extension://')) extensionWorlds++;
    });
    await cdp.send('Runtime.enable');
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const churnDone = options.waitForChurn
      ? page.waitForEvent('console', { predicate: (m) => m.text() === CHURN_DONE_MESSAGE, timeout: 30_000 })
      : null;
    await page.goto(url, { waitUntil: 'load' });
    if (churnDone) await churnDone;
    await new Promise((r) => setTimeout(r, options.settleMs));
    const { metrics } = await cdp.send('Performance.getMetrics');
    const task = metrics.find((m) => m.name === 'TaskDuration');
    if (!task) throw new Error('CDP Performance.getMetrics returned no TaskDuration');
    // Read after the metrics so that this evaluation is not counted.
    const { elements, declaredElements } = await page.evaluate(() => ({
      elements: document.getElementsByTagName('*').length,
      declaredElements: Number(
        document.querySelector('meta[name="bench-elements"]')?.getAttribute('content'),
      ),
    }));
    await cdp.detach();
    return { taskMs: task.value * 1000, extensionWorlds, elements, declaredElements };
  } finally {
    await page.close();
  }
}

export interface AbCase {
  key: string;
  /** Fixture file name under tests/bench/fixtures/. */
  fixture: string;
  host: string;
  waitForChurn: boolean;
  /** The content script must run on this site; a run where it did not is a failed benchmark. */
  requireContentScript: boolean;
}

export interface AbResult {
  key: string;
  url: string;
  /** With minus without, per pair, in run order. */
  differences: number[];
  withMs: number[];
  withoutMs: number[];
  medianDifference: number;
  minDifference: number;
  maxDifference: number;
  /** Pairs in which the extension's content script ran in the page. */
  pairsWithContentScript: number;
}

/**
 * The A/B of design §5: the same fixture in a Chromium with the extension and one without, alternated run by
 * run (odd pairs load the plain browser first) so that drift in machine load falls on both sides.
 */
export async function runAb(
  withExtension: BrowserContext,
  without: BrowserContext,
  url: string,
  abCase: AbCase,
  pairs: number,
  warmups: number,
  settleMs: number,
): Promise<AbResult> {
  const options: LoadOptions = { waitForChurn: abCase.waitForChurn, settleMs };
  for (let i = 0; i < warmups; i++) {
    await measureLoad(withExtension, url, options);
    await measureLoad(without, url, options);
  }
  const withMs: number[] = [];
  const withoutMs: number[] = [];
  let pairsWithContentScript = 0;
  for (let i = 0; i < pairs; i++) {
    let a: LoadSample;
    let b: LoadSample;
    if (i % 2 === 0) {
      a = await measureLoad(withExtension, url, options);
      b = await measureLoad(without, url, options);
    } else {
      b = await measureLoad(without, url, options);
      a = await measureLoad(withExtension, url, options);
    }
    for (const sample of [a, b]) {
      // A page that did not build what it declares would make the figure meaningless.
      if (sample.elements < sample.declaredElements) {
        throw new Error(
          `${url}: ${sample.elements} elements in the DOM, the page declares ${sample.declaredElements}`,
        );
      }
    }
    if (b.extensionWorlds > 0)
      throw new Error(`${url}: an extension ran in the browser that should have none`);
    if (a.extensionWorlds > 0) pairsWithContentScript++;
    withMs.push(a.taskMs);
    withoutMs.push(b.taskMs);
  }
  if (abCase.requireContentScript && pairsWithContentScript < pairs) {
    throw new Error(
      `${abCase.key}: the content script ran in only ${pairsWithContentScript} of ${pairs} loads of ${url}; ` +
        'the difference would not measure it',
    );
  }
  const differences = withMs.map((w, i) => w - withoutMs[i]!);
  return {
    key: abCase.key,
    url,
    differences,
    withMs,
    withoutMs,
    medianDifference: median(differences),
    minDifference: min(differences),
    maxDifference: max(differences),
    pairsWithContentScript,
  };
}
