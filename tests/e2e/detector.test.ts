import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findBinary } from './support/browsers';

// The standalone bundle (.output/detector.js, design §4.3) in real Chromium with layout: every labelled page of
// the shared and the project's own corpus, dynamic pages clicked and re-checked; shadow roots, same-origin
// frames and layout-only invisibility; and the performance budgets (classify ≤ 0.1 ms per field, scan of a
// 5,000-node page ≤ 2 ms p95). Run `npm run build:detector` first.

const repoRoot = path.resolve(import.meta.dirname, '../..');
const bundlePath = path.join(repoRoot, '.output/detector.js');
const corpora = {
  shared: path.join(path.resolve(repoRoot, '../shared'), 'fixtures/detection'),
  own: path.join(repoRoot, 'tests/fixtures/detection'),
};

interface TruthInput {
  selector: string;
  class: 'backup' | 'otp' | 'none';
  acceptsBackup?: boolean | 'unknown';
}
interface TruthEntry {
  file: string;
  inputs: TruthInput[];
  after_click: { selector: string; inputs: TruthInput[] } | null;
}
interface Row {
  selector: string;
  missing: boolean;
  kind: string | null;
  reasons: string[];
}
interface Judged {
  rows: Row[];
  stray: string[];
}

let browser: Browser;
let server: http.Server;
let base: string;
let bundle: string;

beforeAll(async () => {
  if (!existsSync(bundlePath)) throw new Error('no .output/detector.js: run `npm run build:detector` first');
  bundle = readFileSync(bundlePath, 'utf8');
  server = http.createServer((req, res) => {
    const [, corpus, file] =
      /^\/(shared|own)\/([\w.-]+\.html)$/.exec(new URL(req.url ?? '/', 'http://x').pathname) ?? [];
    const full = corpus && file ? path.join(corpora[corpus as keyof typeof corpora], 'pages', file) : '';
    if (!full || !existsSync(full)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(full));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: findBinary('chromium'),
    headless: true,
    args: CHROMIUM_ARGS,
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

function judge(page: Page, inputs: TruthInput[]): Promise<Judged> {
  return page.evaluate((inputs) => {
    type Found = { element: Element; kind: string; reasons: string[] };
    const D = (globalThis as unknown as { SpareDetector: { scan(): Found[] } }).SpareDetector;
    const byElement = new Map(D.scan().map((d) => [d.element, d]));
    const rows = inputs.map((t) => {
      const el = document.querySelector(t.selector);
      const d = el ? byElement.get(el) : undefined;
      if (el) byElement.delete(el);
      return { selector: t.selector, missing: !el, kind: d?.kind ?? null, reasons: d?.reasons ?? [] };
    });
    return { rows, stray: [...byElement.values()].map((d) => d.element.outerHTML.slice(0, 80)) };
  }, inputs);
}

for (const [name, dir] of Object.entries(corpora)) {
  describe(`${name} corpus in Chromium`, () => {
    const truth = JSON.parse(readFileSync(path.join(dir, 'truth.json'), 'utf8')) as TruthEntry[];
    const otp = { total: 0, hit: 0 };
    afterAll(() => console.log(`detector (Chromium) ${name} corpus: OTP recall ${otp.hit}/${otp.total}`));

    for (const entry of truth) {
      it(entry.file, async () => {
        const page = await browser.newPage();
        const failures: string[] = [];
        try {
          await page.goto(`${base}/${name}/${entry.file}`, { waitUntil: 'load' });
          await page.addScriptTag({ content: bundle });
          const states = [{ label: 'initial', inputs: entry.inputs, click: null as string | null }];
          if (entry.after_click)
            states.push({
              label: 'after click',
              inputs: entry.after_click.inputs,
              click: entry.after_click.selector,
            });
          for (const state of states) {
            if (state.click) {
              await page.click(state.click);
              await page.waitForTimeout(100);
            }
            const { rows, stray } = await judge(page, state.inputs);
            rows.forEach((row, i) => {
              const t = state.inputs[i]!;
              const where = `[${state.label}] ${row.selector}`;
              if (row.missing) failures.push(`${where}: selector matches nothing`);
              else if (t.class === 'backup' && row.kind !== 'backup-code')
                failures.push(`${where}: backup field -> ${row.kind ?? 'not detected'}`);
              else if (t.class === 'none' && row.kind)
                failures.push(`${where}: false positive ${row.kind} (${row.reasons.join('; ')})`);
              else if (t.class === 'otp') {
                otp.total++;
                if (row.kind) otp.hit++;
              }
              if (row.kind && row.reasons.length === 0) failures.push(`${where}: no reasons`);
            });
            failures.push(...stray.map((s) => `[${state.label}] false positive on unlabelled ${s}`));
          }
        } finally {
          await page.close();
        }
        expect(failures).toEqual([]);
      });
    }
  });
}

async function pageWith(html: string): Promise<Page> {
  const page = await browser.newPage();
  await page.setContent(html);
  await page.addScriptTag({ content: bundle });
  return page;
}

describe('layout and document structure in Chromium', () => {
  it('finds fields in open shadow roots and same-origin frames', async () => {
    const page = await pageWith(`<title>Sign in</title><h1>Two-factor authentication</h1>
      <div id="host"></div>
      <iframe id="frame" srcdoc="<form><label for=f>Backup code</label><input id=f></form>"></iframe>`);
    await page.waitForFunction(() =>
      (document.getElementById('frame') as HTMLIFrameElement).contentDocument?.getElementById('f'),
    );
    const ids = await page.evaluate(() => {
      const root = document.getElementById('host')!.attachShadow({ mode: 'open' });
      root.innerHTML = '<label for="rc">Recovery code</label><input id="rc">';
      const D = (
        globalThis as unknown as { SpareDetector: { scan(): Array<{ element: Element; kind: string }> } }
      ).SpareDetector;
      return D.scan().map((d) => `${d.element.id}:${d.kind}`);
    });
    await page.close();
    expect(ids.sort()).toEqual(['f:backup-code', 'rc:backup-code']);
  });

  it('never returns fields a person cannot see', async () => {
    const field = (id: string, style = '', wrap = '') =>
      `<div style="${wrap}"><label for="${id}">Backup code</label><input id="${id}" style="${style}"></div>`;
    const page = await pageWith(`<form>
      ${field('shown')}
      ${field('offscreen', '', 'position:absolute;left:-5000px')}
      ${field('tiny', 'width:1px;height:1px;padding:0;border:0')}
      ${field('transparent', 'opacity:0')}
      ${field('nodisplay', '', 'display:none')}
      ${field('clipped', '', 'height:0;overflow:hidden')}
      </form>`);
    const ids = await page.evaluate(() =>
      (
        globalThis as unknown as { SpareDetector: { scan(): Array<{ element: Element }> } }
      ).SpareDetector.scan().map((d) => d.element.id),
    );
    await page.close();
    expect(ids).toEqual(['shown']);
  });

  it('reads labels whatever characters a field id holds (a newline once made scan throw)', async () => {
    const page = await pageWith(`<form><label for="b">Backup code</label><input id="b"></form>`);
    const found = await page.evaluate(() => {
      const form = document.querySelector('form')!;
      for (const id of ['a\nb', 'c\\"d', 'e\rf\fg']) {
        const label = document.createElement('label');
        label.htmlFor = id;
        label.textContent = 'Recovery code';
        const input = document.createElement('input');
        input.id = id;
        form.append(label, input);
      }
      const D = (
        globalThis as unknown as { SpareDetector: { scan(): Array<{ element: Element; reasons: string[] }> } }
      ).SpareDetector;
      return D.scan().map((d) => [d.element.id, d.reasons[0]]);
    });
    await page.close();
    expect(found).toEqual([
      ['b', 'label: "Backup code"'],
      ['a\nb', 'label: "Recovery code"'],
      ['c\\"d', 'label: "Recovery code"'],
      ['e\rf\fg', 'label: "Recovery code"'],
    ]);
  });
});

describe('performance in Chromium', () => {
  // Reports the figures; the budgets (classify ≤ 0.1 ms, scan p95 ≤ 2 ms) are judged by `npm run bench`
  // (detect_scan_ms_5k_nodes): a timed assertion on a shared 2-core machine fails for reasons not the detector's.
  it('scans a 5,000-node login page and finds its one field (timings reported)', async () => {
    const figures = await measure();
    console.log(
      `detector (Chromium) performance: ${figures.nodes} nodes, first scan ${figures.firstScan.toFixed(1)} ms, scan p50 ` +
        `${figures.scanP50.toFixed(3)} ms, p95 ${figures.scanP95.toFixed(3)} ms; classify ` +
        `${(figures.perField * 1000).toFixed(1)} µs per field on average, ` +
        `${(figures.perDetectedField * 1000).toFixed(1)} µs for the detected OTP field`,
    );
    expect(figures.fieldsFound).toBe(1);
    expect(figures.nodes).toBeGreaterThanOrEqual(4500);
  });
});

async function measure() {
  const page = await browser.newPage();
  await page.setContent('<title>Sign in</title><body></body>');
  await page.addScriptTag({ content: bundle });
  const figures = await page.evaluate(() => {
    type D = { scan(): unknown[]; classify(el: Element): unknown };
    const det = (globalThis as unknown as { SpareDetector: D }).SpareDetector;
    // A login page of about 5,000 nodes: navigation, a long article, a footer and the two-factor form.
    const parts: string[] = ['<header><nav>'];
    for (let i = 0; i < 60; i++) parts.push(`<a href="/s${i}">Section ${i}</a>`);
    parts.push(
      '</nav><form role="search"><input type="search" name="q" aria-label="Search"></form></header><main>',
    );
    for (let i = 0; i < 640; i++)
      parts.push(
        `<section><h3>Topic ${i}</h3><p>Some <b>text</b> about item ${i}, <a href="#">more</a>.</p><ul><li>a</li><li>b</li></ul></section>`,
      );
    parts.push(`<div class="login"><h2>Two-factor authentication</h2><form>
        <input type="hidden" name="csrf" value="x"><label for="otp">Authentication code</label>
        <input id="otp" name="otp" autocomplete="one-time-code" inputmode="numeric" maxlength="6">
        <p>Lost your phone? <a href="#">Use a recovery code</a></p><button>Verify</button></form></div>`);
    parts.push(
      '</main><footer><form><input type="email" name="email"><button>Subscribe</button></form></footer>',
    );
    document.body.innerHTML = parts.join('');
    const nodes = document.getElementsByTagName('*').length + document.body.querySelectorAll('*').length * 0;
    void document.body.offsetHeight;

    // Warm-up first: the first call pays one-off costs (function and regex compilation), reported separately.
    const tFirst = performance.now();
    const fieldsFound = det.scan().length;
    const firstScan = performance.now() - tFirst;
    for (let i = 0; i < 20; i++) det.scan();
    const scans: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      det.scan();
      scans.push(performance.now() - t0);
    }
    scans.sort((a, b) => a - b);

    // Per-field classify, timed in batches because performance.now() is coarse outside isolated pages.
    const fields = Array.from(document.querySelectorAll('input, textarea'));
    const rounds = 400;
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++) for (const f of fields) det.classify(f);
    const perField = (performance.now() - t0) / (rounds * fields.length);
    const otp = document.getElementById('otp')!;
    const t1 = performance.now();
    for (let r = 0; r < 2000; r++) det.classify(otp);
    const perDetectedField = (performance.now() - t1) / 2000;
    const q = (p: number) => scans[Math.min(scans.length - 1, Math.floor(p * scans.length))]!;
    return { nodes, fieldsFound, firstScan, scanP50: q(0.5), scanP95: q(0.95), perField, perDetectedField };
  });
  await page.close();
  return figures;
}
