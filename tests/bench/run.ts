/**
 * `npm run bench`: the benchmark suite of design §5. Builds what it measures, runs every benchmark in
 * headless Chromium, writes `.output/bench.json` and prints a table. A figure over budget is reported as
 * OVER and does not fail the run; the exit code is non-zero only when a benchmark could not run.
 *
 * Flags: --skip-build (reuse .output/), --only=<key>[,<key>…] (run the benchmarks behind those keys).
 * How each figure is taken: docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { PageRequest } from '../../src/messaging';
import { launchChromium, launchFirefox } from '../e2e/support/browsers';
import { LabPage } from '../e2e/support/lab';
import { runAttributed, type AttributedCase, type AttributedLoad } from './attribution';
import { BUDGETS, METRIC_KEYS, type MetricKey } from './budgets';
import { generateFixtures } from './fixtures/generate';
import { runAb, type AbCase, type AbResult } from './page-load';
import { timeOffer } from './offer';
import { readPhoneScreenshot, timeScreenshotImport } from './ocr';
import { timeListRender, timePopupInteractive, timeUnlockToList } from './popup';
import {
  launchExtensionChromium,
  launchPlainChromium,
  UNGRANTED_HOST,
  type BenchChromium,
  type BenchExtensionChromium,
} from './support/chromium';
import { startFixtureServer, type FixtureServer } from './support/fixture-server';
import { max, median, medianConfidenceInterval, min, percentile, round } from './support/stats';

const ROOT = resolve(import.meta.dirname, '../..');
const OUTPUT = join(ROOT, '.output/bench.json');
const CONTENT_SCRIPT = join(ROOT, '.output/chrome-mv3/content-script.js');
const DETECTOR = join(ROOT, '.output/detector.js');

const ATTRIBUTED_LOADS = 15;
const ATTRIBUTED_WARMUP = 1;
const WORLD_LOADS = 5;
// Quiet time after the page is done, inside the trace: a document_idle script and what it schedules next.
const ATTRIBUTED_IDLE_MS = 1_000;
const AB_PAIRS = 15;
const AB_WARMUP_PAIRS = 1;
const SETTLE_MS = 250;
const POPUP_RUNS = 5;
const KDF_RUNS = 5;
const SCAN_WARMUP = 30;
const SCAN_RUNS = 250;
const PASSWORD = 'bench-orchard-lantern-42';
const OFFER_RUNS = 9;
const OFFER_WARMUP = 2;
const OCR_RUNS = 3;

/** The attributed page cost (design §5): Spare's share of each load's main-thread CPU, on a site with codes. */
const ATTRIBUTED_CASES: AttributedCase[] = [
  {
    key: 'script_pct_noform_page',
    fixture: 'article.html',
    host: 'localhost',
    waitForChurn: false,
    requireContentScript: true,
  },
  {
    key: 'script_pct_login_5k_nodes',
    fixture: 'login-5k.html',
    host: 'localhost',
    waitForChurn: false,
    requireContentScript: true,
  },
  {
    key: 'script_pct_many_inputs',
    fixture: 'many-inputs.html',
    host: 'localhost',
    waitForChurn: false,
    requireContentScript: true,
  },
  {
    key: 'script_pct_spa_churn',
    fixture: 'spa-churn.html',
    host: 'localhost',
    waitForChurn: true,
    requireContentScript: true,
  },
];

/**
 * Spare's isolated worlds on a site without codes: 127.0.0.1 has no account but is granted in the e2e build
 * (as a site whose account was deleted, or that the user enabled, is in a release build); the ungranted
 * loopback name is the control, where no world of Spare's can appear.
 */
const WORLD_CASE: AttributedCase = {
  key: 'injected_worlds_site_without_codes',
  fixture: 'login-5k.html',
  host: '127.0.0.1',
  waitForChurn: false,
  requireContentScript: false,
};
const WORLD_CONTROL_CASE: AttributedCase = {
  ...WORLD_CASE,
  key: 'control_worlds_ungranted_host',
  host: UNGRANTED_HOST,
};

const AB_CASES: AbCase[] = [
  // No account for 127.0.0.1; whether the script runs there at all is the content script's business.
  {
    key: 'added_task_ms_site_without_codes',
    fixture: 'login-5k.html',
    host: '127.0.0.1',
    waitForChurn: false,
    requireContentScript: false,
  },
  {
    key: 'added_task_ms_noform_page',
    fixture: 'article.html',
    host: 'localhost',
    waitForChurn: false,
    requireContentScript: true,
  },
  {
    key: 'added_task_ms_login_5k_nodes',
    fixture: 'login-5k.html',
    host: 'localhost',
    waitForChurn: false,
    requireContentScript: true,
  },
  {
    key: 'added_task_ms_many_inputs',
    fixture: 'many-inputs.html',
    host: 'localhost',
    waitForChurn: false,
    requireContentScript: true,
  },
  {
    key: 'added_task_ms_spa_churn',
    fixture: 'spa-churn.html',
    host: 'localhost',
    waitForChurn: true,
    requireContentScript: true,
  },
];

/**
 * The A/A control: the same 5,000-node page on a loopback name the extension holds no permission for, so
 * nothing of Spare runs in the page. Its median is what "no added work" looks like on this machine.
 */
const CONTROL_CASE: AbCase = {
  key: 'control_ungranted_host_login_5k_nodes',
  fixture: 'login-5k.html',
  host: UNGRANTED_HOST,
  waitForChurn: false,
  requireContentScript: false,
};

interface MetricRecord {
  value: number;
  unit: string;
  budget: number | null;
  /** Everything below is extra detail; the contract is value, unit and budget. */
  samples?: number[];
  min?: number;
  max?: number;
  /** Distribution-free 95 % confidence interval of the median (page-load A/B figures). */
  medianCi95?: [number, number];
  /** Attributed keys: medians per load, in ms of main-thread CPU (ev, hyb as perf-attr names them). */
  attribution?: { evMs: number; hybMs: number; worldMs: number; pageMs: number };
  note?: string;
}

const metrics: Partial<Record<MetricKey, MetricRecord>> = {};
const failures: Partial<Record<MetricKey | 'build' | 'control', string>> = {};
const control: {
  value?: number;
  min?: number;
  max?: number;
  medianCi95?: [number, number];
  samples?: number[];
} = {};

const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',')
  .filter(Boolean) as MetricKey[] | undefined;
const unknownKeys = only?.filter((key) => !(key in BUDGETS)) ?? [];
if (unknownKeys.length > 0) {
  console.error(`Unknown key(s) for --only: ${unknownKeys.join(', ')}. Keys: ${METRIC_KEYS.join(', ')}`);
  process.exit(2);
}
const wanted = (key: MetricKey) => !only || only.includes(key);

function record(
  key: MetricKey,
  value: number,
  extra: Omit<MetricRecord, 'value' | 'unit' | 'budget'> = {},
): void {
  const { unit, budget } = BUDGETS[key];
  metrics[key] = { value: round(value), unit, budget, ...extra };
  // The table judges the reported (rounded) value; so does this line.
  const over = budget !== null && round(value) > budget;
  console.log(`  ${key}: ${round(value)} ${unit}${over ? '  (OVER budget ' + budget + ')' : ''}`);
}

function fail(key: MetricKey | 'build' | 'control', error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  failures[key] = message;
  console.error(`  ${key}: could not run: ${message}`);
}

/** Runs `fn` for each of `keys` still wanted; a throw marks every one of them as failed. */
async function attempt(keys: MetricKey[], fn: () => Promise<void>): Promise<void> {
  if (!keys.some(wanted)) return;
  try {
    await fn();
  } catch (error) {
    for (const key of keys) if (wanted(key) && !metrics[key]) fail(key, error);
  }
}

const rounded = (xs: number[]) => xs.map(round);

function build(): void {
  for (const script of ['build', 'build:e2e', 'build:detector']) {
    const started = Date.now();
    const result = spawnSync('npm', ['run', script], { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0) {
      process.stderr.write(result.stdout + result.stderr);
      throw new Error(`npm run ${script} failed (exit ${result.status})`);
    }
    console.log(`  npm run ${script}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

async function contentScriptSize(): Promise<void> {
  const bytes = await readFile(CONTENT_SCRIPT);
  record('content_script_gzip_bytes', gzipSync(bytes, { level: 9 }).length, {
    note: `${bytes.length} bytes before gzip -9 (.output/chrome-mv3/content-script.js)`,
  });
}

async function detectorScan(plain: BenchChromium, server: FixtureServer): Promise<void> {
  const page = await plain.context.newPage();
  try {
    await page.goto(server.url('localhost', 'login-5k.html'), { waitUntil: 'load' });
    await page.addScriptTag({ content: await readFile(DETECTOR, 'utf8') });
    const result = await page.evaluate(
      ({ warmup, runs }) => {
        const detector = (globalThis as { SpareDetector?: { scan(root?: Document): { element: Element }[] } })
          .SpareDetector;
        if (!detector) throw new Error('.output/detector.js did not define SpareDetector');
        for (let i = 0; i < warmup; i++) detector.scan(document);
        const times: number[] = [];
        let found: string[] = [];
        for (let i = 0; i < runs; i++) {
          const start = performance.now();
          const detections = detector.scan(document);
          times.push(performance.now() - start);
          if (i === 0) found = detections.map((d) => d.element.id || d.element.tagName);
        }
        return { times, found, elements: document.getElementsByTagName('*').length };
      },
      { warmup: SCAN_WARMUP, runs: SCAN_RUNS },
    );
    record('detect_scan_ms_5k_nodes', percentile(result.times, 95), {
      min: round(min(result.times)),
      max: round(max(result.times)),
      note:
        `p95 of ${SCAN_RUNS} scans after ${SCAN_WARMUP} warm-up, median ${round(median(result.times))} ms, ` +
        `${result.elements} elements, detections: ${result.found.join(', ') || 'none'}`,
    });
  } finally {
    await page.close();
  }
}

function accountsToSeed(count: number, firstSite: string): PageRequest[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'add-account' as const,
    account: {
      site: i === 0 ? firstSite : `example${i}.com`,
      label: `user${i}`,
      codes: Array.from({ length: 10 }, (_, j) => ({ value: String(10_000_000 + i * 10 + j) })),
    },
  }));
}

function recordAb(result: AbResult, runs: number): void {
  const key = result.key as MetricKey;
  record(key, result.medianDifference, {
    samples: rounded(result.differences),
    min: round(result.minDifference),
    max: round(result.maxDifference),
    medianCi95: rounded(medianConfidenceInterval(result.differences)) as [number, number],
    note:
      `median of ${runs} paired differences (with − without); TaskDuration median with ` +
      `${round(median(result.withMs))} ms, without ${round(median(result.withoutMs))} ms; ` +
      `content script ran in ${result.pairsWithContentScript}/${runs} loads`,
  });
}

const medianOf = (loads: AttributedLoad[], pick: (l: AttributedLoad) => number) =>
  round(median(loads.map(pick)));

function recordAttributed(key: MetricKey, url: string, loads: AttributedLoad[]): void {
  const pct = loads.map((l) => l.scriptPct);
  const ev = medianOf(loads, (l) => l.ownMs);
  const hyb = medianOf(loads, (l) => l.scriptMs);
  const world = medianOf(loads, (l) => l.worldMs);
  const page = medianOf(loads, (l) => l.pageMs);
  record(key, median(pct), {
    samples: rounded(pct),
    min: round(min(pct)),
    max: round(max(pct)),
    medianCi95: rounded(medianConfidenceInterval(pct)) as [number, number],
    attribution: { evMs: ev, hybMs: hyb, worldMs: world, pageMs: page },
    note:
      `median of ${loads.length} traced loads of ${url} (after ${ATTRIBUTED_WARMUP} warm-up), vault unlocked: ` +
      `Spare's main-thread CPU (hyb = own events + apportioned samples) as % of the rest of the load's. ` +
      `Medians: ev ${ev} ms, hyb ${hyb} ms, world creation ${world} ms (not in the figure; ` +
      `${medianOf(loads, (l) => l.worldsCreated)} world per load), page ${page} ms`,
  });
}

/** Worlds per load and the median cost, for the note of the worlds key. */
function describeWorlds(host: string, loads: AttributedLoad[]): string {
  const withScript = loads.filter((l) => l.ownEvents > 0).length;
  return (
    `${host}: worlds per load [${loads.map((l) => l.worldsCreated).join(', ')}], Spare's script in ` +
    `${withScript}/${loads.length} loads, medians: world creation ${medianOf(loads, (l) => l.worldMs)} ms, ` +
    `ev ${medianOf(loads, (l) => l.ownMs)} ms, hyb ${medianOf(loads, (l) => l.scriptMs)} ms ` +
    `(${medianOf(loads, (l) => l.scriptPct)} % of the page's ${medianOf(loads, (l) => l.pageMs)} ms)`
  );
}

async function attributedPageCost(ext: BenchExtensionChromium, server: FixtureServer): Promise<void> {
  const origin = ext.extension.extensionOrigin;
  for (const attributedCase of ATTRIBUTED_CASES) {
    const key = attributedCase.key as MetricKey;
    await attempt([key], async () => {
      const url = server.url(attributedCase.host, attributedCase.fixture);
      const loads = await runAttributed(
        ext.context,
        url,
        origin,
        attributedCase,
        ATTRIBUTED_LOADS,
        ATTRIBUTED_WARMUP,
        ATTRIBUTED_IDLE_MS,
      );
      recordAttributed(key, url, loads);
    });
  }
  await attempt(['injected_worlds_site_without_codes'], async () => {
    const worlds = (c: AttributedCase) =>
      runAttributed(
        ext.context,
        server.url(c.host, c.fixture),
        origin,
        c,
        WORLD_LOADS,
        1,
        ATTRIBUTED_IDLE_MS,
      );
    const siteLoads = await worlds(WORLD_CASE);
    const controlLoads = await worlds(WORLD_CONTROL_CASE);
    // A world counts as Spare's when Spare's script ran in that load; on the control host nothing of Spare's
    // may run, so a world there means the count is picking up someone else's.
    if (controlLoads.some((l) => l.worldsCreated > 0 || l.ownEvents > 0)) {
      throw new Error(
        `the control ${UNGRANTED_HOST} shows a world or Spare's script: ${describeWorlds(UNGRANTED_HOST, controlLoads)}`,
      );
    }
    const spareWorlds = siteLoads.map((l) => (l.ownEvents > 0 ? l.worldsCreated : 0));
    record('injected_worlds_site_without_codes', max(spareWorlds), {
      samples: spareWorlds,
      note:
        `most Spare isolated worlds in one of ${WORLD_LOADS} traced loads of login-5k.html on 127.0.0.1 ` +
        `(no account; a granted host in the e2e build, so the content script is registered there). ` +
        `${describeWorlds('127.0.0.1', siteLoads)}. Control, ${describeWorlds(UNGRANTED_HOST, controlLoads)}`,
    });
  });
}

async function popupAndPageLoad(plain: BenchChromium, server: FixtureServer): Promise<void> {
  const popupKeys: MetricKey[] = [
    'kdf_ms',
    'popup_interactive_ms',
    'unlock_to_list_ms',
    'ocr_ms_phone_screenshot',
  ];
  const abKeys = AB_CASES.map((c) => c.key as MetricKey);
  const attributedKeys = [...ATTRIBUTED_CASES.map((c) => c.key), 'injected_worlds_site_without_codes'];
  if (![...popupKeys, ...abKeys, ...(attributedKeys as MetricKey[])].some(wanted)) return;
  const ext = await launchExtensionChromium();
  try {
    const popupUrl = `${ext.extension.extensionOrigin}/popup.html`;
    const lab = await LabPage.open(ext.extension);
    const accounts = 50;

    await attempt(['kdf_ms'], async () => {
      const times = await lab.timeDefaultKdf(KDF_RUNS);
      record('kdf_ms', median(times), {
        samples: rounded(times),
        note: `median of ${KDF_RUNS} Argon2id derivations, default parameters, in an extension page`,
      });
    });

    // One account is for `localhost`, the "site with codes" of the page-cost keys; none is for 127.0.0.1.
    await lab.request({ type: 'create-vault', password: PASSWORD });
    await lab.requestAll(accountsToSeed(accounts, 'localhost'));
    const listed = await lab.request({ type: 'list-accounts' });
    if (listed.length !== accounts) throw new Error(`seeded ${listed.length} accounts, wanted ${accounts}`);

    await attempt(['popup_interactive_ms'], async () => {
      await lab.request({ type: 'lock' });
      const runs = [];
      for (let i = 0; i < POPUP_RUNS; i++) runs.push(await timePopupInteractive(ext.context, popupUrl));
      const times = runs.map((r) => r.ms);
      const byFrame = runs.filter((r) => r.seenBy === 'frame').length;
      const appMarks = runs.flatMap((r) => (r.appMarkMs === null ? [] : [r.appMarkMs]));
      const app = appMarks.length > 0 ? `${round(median(appMarks))} ms` : 'none';
      record('popup_interactive_ms', median(times), {
        samples: rounded(times),
        note:
          `median of ${POPUP_RUNS} fresh popup.html tabs, vault locked; focus seen by focusin in ` +
          `${POPUP_RUNS - byFrame}, by the per-frame check in ${byFrame}; the popup's own ` +
          `spare:popup-interactive mark: ${app}`,
      });
    });

    await attempt(['unlock_to_list_ms'], async () => {
      const times: number[] = [];
      for (let i = 0; i < POPUP_RUNS; i++) {
        await lab.request({ type: 'lock' });
        times.push(await timeUnlockToList(ext.context, popupUrl, PASSWORD, accounts));
      }
      record('unlock_to_list_ms', median(times), {
        samples: rounded(times),
        note: `median of ${POPUP_RUNS}; ${accounts} accounts; includes Argon2id`,
      });
    });

    // Page loads run with the vault unlocked, the state in which a site with codes gets its offer.
    if ((await lab.request({ type: 'status' })).state !== 'unlocked') {
      await lab.request({ type: 'unlock', password: PASSWORD });
    }

    await attempt(['ocr_ms_phone_screenshot'], async () => {
      const png = await readPhoneScreenshot();
      const times: number[] = [];
      for (let i = 0; i < OCR_RUNS; i++)
        times.push(await timeScreenshotImport(ext.context, popupUrl, png, 5));
      record('ocr_ms_phone_screenshot', median(times), {
        samples: rounded(times),
        note: `median of ${OCR_RUNS} fresh popup tabs: pick of a 1170×2532 Instagram-style PNG to the preview painted, OCR chunk load and tesseract start included`,
      });
    });
    await lab.close();

    await attributedPageCost(ext, server);

    for (const abCase of AB_CASES) {
      await attempt([abCase.key as MetricKey], async () => {
        const url = server.url(abCase.host, abCase.fixture);
        const result = await runAb(
          ext.context,
          plain.context,
          url,
          abCase,
          AB_PAIRS,
          AB_WARMUP_PAIRS,
          SETTLE_MS,
        );
        recordAb(result, AB_PAIRS);
      });
    }
    if (!only) {
      try {
        const url = server.url(CONTROL_CASE.host, CONTROL_CASE.fixture);
        const result = await runAb(ext.context, plain.context, url, CONTROL_CASE, AB_PAIRS, 0, SETTLE_MS);
        if (result.pairsWithContentScript > 0)
          throw new Error('the content script ran on the ungranted host');
        control.value = round(result.medianDifference);
        control.min = round(result.minDifference);
        control.max = round(result.maxDifference);
        control.medianCi95 = rounded(medianConfidenceInterval(result.differences)) as [number, number];
        control.samples = rounded(result.differences);
        console.log(
          `  A/A control (${UNGRANTED_HOST}): ${control.value} ms [${control.min} … ${control.max}]`,
        );
      } catch (error) {
        fail('control', error);
      }
    }
  } finally {
    await ext.close();
  }
}

async function listRender(): Promise<void> {
  const accounts = 1_000;
  const ext = await launchExtensionChromium();
  try {
    const lab = await LabPage.open(ext.extension);
    await lab.request({ type: 'create-vault', password: PASSWORD });
    await lab.requestAll(accountsToSeed(accounts, 'localhost'));
    await lab.close();
    const popupUrl = `${ext.extension.extensionOrigin}/popup.html`;
    const times = await timeListRender(ext.context, popupUrl, accounts, POPUP_RUNS);
    const app = times.appMeasureMs === null ? 'none' : `${round(times.appMeasureMs)} ms`;
    record('list_render_ms_1000_accounts', median(times.rerenderMs), {
      samples: rounded(times.rerenderMs),
      note:
        `median of ${POPUP_RUNS} re-renders (clearing a Search that matched nothing) after one warm-up; ` +
        `all items in the DOM after ${round(median(times.rerenderInDomMs))} ms (median), the rest is the wait ` +
        `for the frame and its style, layout and paint; ` +
        `${accounts} accounts × 10 codes, vault unlocked. First load: ${round(times.coldMs)} ms from navigation ` +
        `start to the end of the list's first frame; the popup's own spare:list-render measure: ${app}`,
    });
  } finally {
    await ext.close();
  }
}

function printTable(): void {
  const budgetText = (budget: number | null) => (budget === null ? 'report' : String(budget));
  const rows = METRIC_KEYS.map((key) => {
    const m = metrics[key];
    const budget = BUDGETS[key].budget;
    if (!m) return [key, failures[key] ? 'FAILED' : 'skipped', '', '', '', budgetText(budget), ''];
    const range = m.min !== undefined ? `${m.min} … ${m.max}` : '';
    const ci = m.medianCi95 ? `${m.medianCi95[0]} … ${m.medianCi95[1]}` : '';
    const verdict = budget === null ? 'report' : m.value <= budget ? 'ok' : 'OVER';
    return [key, String(m.value), m.unit, range, ci, budgetText(budget), verdict];
  });
  const header = ['key', 'value', 'unit', 'min … max', '95% CI of median', 'budget', 'ok/over'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log('\n' + line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  if (control.value !== undefined) {
    console.log(
      `\nA/A control, the page-load noise floor (${UNGRANTED_HOST}: Spare installed, not allowed on the site): ` +
        `median ${control.value} ms, min ${control.min}, max ${control.max}, 95% CI of median ` +
        `${control.medianCi95![0]} … ${control.medianCi95![1]}, ${AB_PAIRS} pairs`,
    );
  }
}

async function runBenchmarks(): Promise<string> {
  await generateFixtures();
  await attempt(['content_script_gzip_bytes'], contentScriptSize);
  const server = await startFixtureServer();
  let plain: BenchChromium | undefined;
  let chromiumVersion = 'unknown';
  try {
    plain = await launchPlainChromium();
    chromiumVersion = plain.version;
    const plainBrowser = plain;
    await attempt(['detect_scan_ms_5k_nodes'], () => detectorScan(plainBrowser, server));
    await popupAndPageLoad(plainBrowser, server);
  } catch (error) {
    // Chromium would not start, or the vault could not be seeded: this browser's figures are missing.
    const inThisBrowser = (key: MetricKey) =>
      key !== 'content_script_gzip_bytes' && key !== 'list_render_ms_1000_accounts';
    for (const key of METRIC_KEYS) {
      if (wanted(key) && inThisBrowser(key) && !metrics[key] && !failures[key]) fail(key, error);
    }
  } finally {
    await plain?.close();
  }
  await attempt(['list_render_ms_1000_accounts'], listRender);
  await server.close();
  await attempt(['offer_visible_ms', 'fill_roundtrip_ms'], () => offerTimings('chromium'));
  await attempt(['offer_visible_ms_firefox', 'fill_roundtrip_ms_firefox'], () => offerTimings('firefox'));
  return chromiumVersion;
}

/** The offer's two timings in one browser, each in a fresh tab after warm-up tabs (tests/bench/offer.ts). */
async function offerTimings(name: 'chromium' | 'firefox'): Promise<void> {
  const browser = name === 'chromium' ? await launchChromium() : await launchFirefox();
  try {
    const { visibleMs, fillMs } = await timeOffer(browser, PASSWORD, OFFER_RUNS, OFFER_WARMUP);
    const suffix = name === 'firefox' ? '_firefox' : '';
    const common = `${OFFER_RUNS} fresh tabs after ${OFFER_WARMUP} warm-up, plain login page on localhost, ${name}`;
    record(`offer_visible_ms${suffix}` as MetricKey, median(visibleMs), {
      samples: rounded(visibleMs),
      min: round(min(visibleMs)),
      max: round(max(visibleMs)),
      note: `median; first focus (a real click) to the offer's first frame with content; ${common}`,
    });
    record(`fill_roundtrip_ms${suffix}` as MetricKey, median(fillMs), {
      samples: rounded(fillMs),
      min: round(min(fillMs)),
      max: round(max(fillMs)),
      note: `median; Enter's key-down in the offer to the field's input event; ${common}`,
    });
  } finally {
    await browser.close();
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const loadBefore = loadavg();
  let chromiumVersion = 'unknown';
  let built = true;
  if (!process.argv.includes('--skip-build')) {
    console.log('Building');
    try {
      build();
    } catch (error) {
      fail('build', error);
      built = false;
    }
  }
  // Without a build there is nothing to measure; the report still replaces any earlier one.
  if (built) {
    console.log('Benchmarks');
    chromiumVersion = await runBenchmarks();
  }

  const ordered = Object.fromEntries(METRIC_KEYS.filter((k) => metrics[k]).map((k) => [k, metrics[k]]));
  const report = {
    metrics: ordered,
    ...(Object.keys(failures).length > 0 ? { failed: failures } : {}),
    control: control.value !== undefined ? { key: CONTROL_CASE.key, unit: 'ms', ...control } : null,
    machine: {
      date: new Date().toISOString(),
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      loadavgBefore: loadBefore.map(round),
      loadavgAfter: loadavg().map(round),
      node: process.version,
      chromium: chromiumVersion,
      durationS: Math.round((Date.now() - started) / 1000),
    },
  };
  await mkdir(join(ROOT, '.output'), { recursive: true });
  await writeFile(OUTPUT, JSON.stringify(report, null, 2) + '\n');
  printTable();
  console.log(`\nWrote .output/bench.json in ${report.machine.durationS} s.`);
  const failed = Object.keys(failures);
  if (failed.length > 0) console.error(`Could not run: ${failed.join(', ')}`);
  return failed.length > 0 ? 1 : 0;
}

process.exitCode = await main();
