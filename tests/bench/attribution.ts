import type { BrowserContext } from 'playwright-core';
import { CHURN_DONE_MESSAGE } from './fixtures/generate';
import { attributeLoad, type LoadAttribution, type TraceEvent } from './support/trace-analysis';

/**
 * The attributed page cost of design §5: each load of a fixture is traced (CDP Tracing on the page's target)
 * and the trace's renderer main thread is split between the extension and the page by
 * ./support/trace-analysis.ts. Needs no browser without the extension: the page's own CPU in the same load is
 * the reference, so a slow moment of the machine slows both sides of the ratio.
 */

/** The categories perf-attr records: timeline events with thread CPU, V8 script events and V8 samples. */
export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'v8',
  'v8.execute',
  'toplevel',
  '__metadata',
  'disabled-by-default-v8.cpu_profiler',
  'disabled-by-default-v8.cpu_profiler.hires',
];

export interface AttributedCase {
  key: string;
  /** Fixture file name under tests/bench/fixtures/. */
  fixture: string;
  host: string;
  /** The SPA churn page logs a message after its last frame; static pages are done at `load`. */
  waitForChurn: boolean;
  /** The content script must run in every load (a site with codes); a load without it fails the key. */
  requireContentScript: boolean;
}

export interface AttributedLoad extends LoadAttribution {
  /** Elements in the DOM once the page settled, and what the page declares (`<meta name="bench-elements">`). */
  elements: number;
  declaredElements: number;
}

/**
 * Loads `url` in a fresh tab with tracing on, waits for the page to be done (`load`, or the churn page's last
 * frame) and `idleMs` more for a `document_idle` content script and whatever follows it, then attributes.
 */
export async function measureAttributedLoad(
  context: BrowserContext,
  url: string,
  extensionOrigin: string,
  options: { waitForChurn: boolean; idleMs: number },
): Promise<AttributedLoad> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', ({ value }) => {
      for (const e of value) events.push(e as unknown as TraceEvent);
    });
    const complete = new Promise<void>((done) => cdp.once('Tracing.tracingComplete', () => done()));
    await cdp.send('Tracing.start', {
      transferMode: 'ReportEvents',
      traceConfig: { recordMode: 'recordAsMuchAsPossible', includedCategories: TRACE_CATEGORIES },
    });
    const churnDone = options.waitForChurn
      ? page.waitForEvent('console', { predicate: (m) => m.text() === CHURN_DONE_MESSAGE, timeout: 30_000 })
      : null;
    await page.goto(url, { waitUntil: 'load' });
    if (churnDone) await churnDone;
    await new Promise((r) => setTimeout(r, options.idleMs));
    await cdp.send('Tracing.end');
    await complete;
    // Read after the trace ended, so that this evaluation is not in it.
    const { elements, declaredElements } = await page.evaluate(() => ({
      elements: document.getElementsByTagName('*').length,
      declaredElements: Number(
        document.querySelector('meta[name="bench-elements"]')?.getAttribute('content'),
      ),
    }));
    await cdp.detach();
    return { ...attributeLoad(events, { pageUrl: url, extensionOrigin }), elements, declaredElements };
  } finally {
    await page.close();
  }
}

/** `loads` attributed loads of one case after `warmups` unmeasured ones, all in the same browser. */
export async function runAttributed(
  context: BrowserContext,
  url: string,
  extensionOrigin: string,
  attributedCase: AttributedCase,
  loads: number,
  warmups: number,
  idleMs: number,
): Promise<AttributedLoad[]> {
  const options = { waitForChurn: attributedCase.waitForChurn, idleMs };
  for (let i = 0; i < warmups; i++) await measureAttributedLoad(context, url, extensionOrigin, options);
  const results: AttributedLoad[] = [];
  for (let i = 0; i < loads; i++) {
    const load = await measureAttributedLoad(context, url, extensionOrigin, options);
    // A page that did not build what it declares would make the figure meaningless.
    if (load.elements < load.declaredElements) {
      throw new Error(
        `${url}: ${load.elements} elements in the DOM, the page declares ${load.declaredElements}`,
      );
    }
    results.push(load);
  }
  const withScript = results.filter((r) => r.ownEvents > 0).length;
  if (attributedCase.requireContentScript && withScript < loads) {
    throw new Error(
      `${attributedCase.key}: Spare's script ran in only ${withScript} of ${loads} loads of ${url}; ` +
        'the figure would not measure it',
    );
  }
  return results;
}
