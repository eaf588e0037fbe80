/**
 * `npm run demo`: Spare on local look-alike login pages, in a Chromium a person can click. It builds the e2e
 * extension when the build is older than the sources, serves tests/e2e/site/, seeds a demo vault through the e2e
 * build's lab page, opens the Instagram-style page and waits until the browser is closed.
 *
 * `npm run demo -- --headless`: walks design §1 story 4 with no one at the keyboard and writes numbered
 * screenshots to .output/demo/; exits 1 with the failing step when one fails.
 *
 * Options: --headless, --build (rebuild even when the build looks fresh).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';
import {
  BUILD_DIRS,
  CHROMIUM_ARGS,
  findBinary,
  newChromiumProfile,
  type ExtensionBrowser,
} from '../tests/e2e/support/browsers';
import { LabPage } from '../tests/e2e/support/lab';
import { startSiteServer, type SiteServer } from '../tests/e2e/support/site-server';
import { PlaywrightTestPage } from '../tests/e2e/support/test-page';

const ROOT = resolve(import.meta.dirname, '..');
const SCREENSHOTS = join(ROOT, '.output/demo');
const BUILD = BUILD_DIRS.chromium;
/** What the build is made from: when any of these is newer than the build, the demo rebuilds. */
const SOURCES = [
  'src',
  'entrypoints',
  'public',
  'assets',
  'wxt.config.ts',
  'package.json',
  'package-lock.json',
];

const PASSWORD = 'looking-glass-1865';
const SITE = 'localhost';
const LABEL = 'alice.liddell';
/** Ten Instagram-style backup codes, written as Instagram shows them. */
const CODES = [
  '4831 2907',
  '7710 4526',
  '3059 8814',
  '6247 0193',
  '9182 3365',
  '0574 6621',
  '2896 1740',
  '5413 9058',
  '8360 2275',
  '1905 4487',
];
/** The offer's button for the demo account (design §4.6: "Fill code for <account label>"). */
const FILL_BUTTON = new RegExp(`^Fill code for ${LABEL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
/** Time the offer refuses input after it appears (anti-clickjacking, design §3), plus a margin. */
const OFFER_SETTLE_MS = 600;

const digits = (code: string) => code.replace(/\D/g, '');

class StepFailed extends Error {}

function fail(message: string): never {
  throw new StepFailed(message);
}

// ---------------------------------------------------------------------------------------------------------------
// build, browser, vault
// ---------------------------------------------------------------------------------------------------------------

async function newestMtime(path: string): Promise<number> {
  if (!existsSync(path)) return 0;
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path, { recursive: true })) {
    newest = Math.max(newest, (await stat(join(path, entry))).mtimeMs);
  }
  return newest;
}

async function ensureBuild(force: boolean): Promise<void> {
  const manifest = join(BUILD, 'manifest.json');
  if (!force && existsSync(manifest)) {
    const built = (await stat(manifest)).mtimeMs;
    const sources = Math.max(...(await Promise.all(SOURCES.map((s) => newestMtime(join(ROOT, s))))));
    if (built > sources) {
      console.log(`demo: the e2e build in ${relative(ROOT, BUILD)} is up to date`);
      return;
    }
  }
  console.log('demo: building the e2e extension (npm run build:e2e) …');
  const started = Date.now();
  const output: Buffer[] = [];
  const code = await new Promise<number | null>((done) => {
    const child = spawn('npm', ['run', 'build:e2e'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('close', done);
  });
  if (code !== 0) {
    process.stderr.write(Buffer.concat(output));
    throw new Error(`'npm run build:e2e' failed (exit ${code})`);
  }
  console.log(`demo: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

interface DemoBrowser {
  readonly context: BrowserContext;
  readonly extensionOrigin: string;
  /** The e2e harness's view of the same browser, for LabPage. */
  readonly extension: ExtensionBrowser;
  close(): Promise<void>;
}

/** Chromium with the e2e build and a fresh profile in the OS temp folder, as the e2e harness starts it. */
async function launchDemoChromium(headless: boolean): Promise<DemoBrowser> {
  const profile = await newChromiumProfile('spare-demo-');
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: findBinary('chromium'),
      headless,
      // Headful: the window's own size, and no "controlled by automated test software" bar.
      viewport: headless ? { width: 1000, height: 720 } : null,
      ...(headless ? {} : { ignoreDefaultArgs: ['--enable-automation'] }),
      args: [...CHROMIUM_ARGS, `--disable-extensions-except=${BUILD}`, `--load-extension=${BUILD}`],
      // The demo closes the browser itself on Ctrl+C, so that the profile is deleted after it.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionOrigin = `chrome-extension://${new URL(worker.url()).host}`;
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      // A browser the user closed is already gone; do not wait long for it.
      await Promise.race([context.close().catch(() => undefined), sleep(5_000)]);
      await rm(profile, { recursive: true, force: true });
    })());
  return {
    context,
    extensionOrigin,
    close,
    extension: {
      name: 'chromium',
      extensionOrigin,
      newPage: async () => new PlaywrightTestPage(await context.newPage()),
      close,
    },
  };
}

/** A new vault with one account for the demo site, through the e2e build's lab page. */
async function seedVault(browser: DemoBrowser): Promise<LabPage> {
  const lab = await LabPage.open(browser.extension);
  await lab.request({ type: 'create-vault', password: PASSWORD });
  await lab.request({
    type: 'add-account',
    account: { site: SITE, label: LABEL, codes: CODES.map((value) => ({ value })) },
  });
  return lab;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

// ---------------------------------------------------------------------------------------------------------------
// the offer, seen from outside (design §4.6)
// ---------------------------------------------------------------------------------------------------------------

/** The offer frame once it shows a button with this name; fails with what the page shows instead. */
async function waitForOffer(page: Page, button: RegExp, timeoutMs = 5_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  let seen = 'no <spare-offer> element in the page';
  for (;;) {
    const hosts = await page.locator('spare-offer').count();
    for (const frame of page.frames().filter((f) => f.url().includes('/offer.html'))) {
      if (await frame.getByRole('button', { name: button }).isVisible()) return frame;
      const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
      seen = `the offer shows "${text.replace(/\s+/g, ' ').trim()}"`;
    }
    if (hosts > 0 && seen.startsWith('no ')) seen = 'a <spare-offer> element but no offer.html frame in it';
    if (Date.now() > deadline) {
      fail(`no offer with a button named ${button} within ${timeoutMs / 1000} s: ${seen}`);
    }
    await sleep(100);
  }
}

async function waitForValue(page: Page, label: string, code: string, timeoutMs = 3_000): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  const deadline = Date.now() + timeoutMs;
  let value = '';
  while (Date.now() < deadline) {
    value = await field.inputValue();
    if (digits(value) === digits(code)) return;
    await sleep(50);
  }
  fail(`the ${label} field holds "${value}", not the first unused code ${code}`);
}

async function expectNoWindowMessages(page: Page): Promise<void> {
  const messages = await page.evaluate(
    () => (window as unknown as { receivedMessages?: string[] }).receivedMessages ?? [],
  );
  if (messages.length > 0) fail(`the page received window messages: ${messages.join(', ')}`);
}

async function leftOf(lab: LabPage): Promise<string> {
  const accounts = await lab.request({ type: 'list-accounts' });
  const account = accounts.find((a) => a.site === SITE && a.label === LABEL);
  return account ? `${account.left} of ${account.total} left` : 'no account';
}

// ---------------------------------------------------------------------------------------------------------------
// the headless walk
// ---------------------------------------------------------------------------------------------------------------

async function walk(browser: DemoBrowser, site: SiteServer, lab: LabPage): Promise<void> {
  await rm(SCREENSHOTS, { recursive: true, force: true });
  await mkdir(SCREENSHOTS, { recursive: true });
  const page = await browser.context.newPage();
  /** The page a step works on: the one its screenshot shows, also when it fails. */
  let current = page;
  let number = 0;
  const shots: string[] = [];
  const step = async (name: string, title: string, run: () => Promise<void>) => {
    number++;
    const file = (suffix: string) => join(SCREENSHOTS, `${String(number).padStart(2, '0')}-${suffix}.png`);
    try {
      current = page;
      await run();
      await current.screenshot({ path: file(name) });
      shots.push(relative(ROOT, file(name)));
      console.log(`  ✓ ${number}. ${title}`);
    } catch (error) {
      await current.screenshot({ path: file(`FAILED-${name}`) }).catch(() => undefined);
      console.error(`  ✗ ${number}. ${title}`);
      const message = error instanceof Error ? error.message : String(error);
      throw new StepFailed(
        `step ${number} (${title}) failed: ${message}\n  the page then: ${relative(ROOT, file(`FAILED-${name}`))}`,
      );
    }
  };

  console.log('demo: walking the story headlessly');
  const firstCode = CODES[0]!;
  const secondCode = CODES[1]!;
  let offer: Frame | undefined;

  await step('offer-open', 'the offer opens under the Backup code field of a React page', async () => {
    await page.goto(site.url('/instagram-two-factor.html'));
    await page.getByRole('button', { name: 'Use a backup code' }).click();
    // The swapped-in field takes focus itself; a person clicks it as well.
    await page.getByLabel('Backup code', { exact: true }).click();
    offer = await waitForOffer(page, FILL_BUTTON);
    const text = await offer.evaluate(() => document.body.innerText);
    if (!text.includes('10 of 10 left')) fail(`the offer does not say "10 of 10 left": "${text}"`);
    await sleep(OFFER_SETTLE_MS);
  });

  await step('filled', 'ArrowDown, then Enter fills the first unused code', async () => {
    await page.keyboard.press('ArrowDown');
    const deadline = Date.now() + 2_000;
    while (
      !(await offer!.evaluate(() => document.hasFocus() && document.activeElement?.tagName === 'BUTTON'))
    ) {
      if (Date.now() > deadline) fail('ArrowDown in the field did not move focus to a button in the offer');
      await sleep(25);
    }
    await page.keyboard.press('Enter');
    await waitForValue(page, 'Backup code', firstCode);
  });

  await step('logged-in', 'Confirm (a type=button, no form) logs in with that code', async () => {
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText("You're logged in").waitFor({ timeout: 3_000 });
    const submitted = await page.evaluate(() => window.submittedCodes);
    if (submitted.length !== 1 || digits(submitted[0]!) !== digits(firstCode)) {
      fail(`the page received ${JSON.stringify(submitted)}, not ${firstCode}`);
    }
    await expectNoWindowMessages(page);
  });

  await step('popup', 'the popup (unlocked) shows the code crossed off: 9 of 10 left', async () => {
    current = await browser.context.newPage();
    await current.setViewportSize({ width: 400, height: 600 });
    await current.goto(`${browser.extensionOrigin}/popup.html`);
    try {
      await current.getByText('9 of 10 left').waitFor({ timeout: 5_000 });
    } catch {
      fail(`the popup does not show "9 of 10 left" (the vault says ${await leftOf(lab)})`);
    }
  });
  if (current !== page) await current.close();

  await step('github-filled', 'a click on the offer fills a GitHub-style recovery form', async () => {
    await page.goto(site.url('/github-recovery.html'));
    await page.getByLabel('Recovery code', { exact: true }).click();
    const frame = await waitForOffer(page, FILL_BUTTON);
    await sleep(OFFER_SETTLE_MS);
    await frame.getByRole('button', { name: FILL_BUTTON }).click();
    await waitForValue(page, 'Recovery code', secondCode);
    await expectNoWindowMessages(page);
  });

  await step('github-verified', 'Verify submits the form and crosses that code off too', async () => {
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText("You're signed in").waitFor({ timeout: 3_000 });
    const deadline = Date.now() + 3_000;
    let left = await leftOf(lab);
    while (left !== '8 of 10 left' && Date.now() < deadline) {
      await sleep(100);
      left = await leftOf(lab);
    }
    if (left !== '8 of 10 left') fail(`after Verify the vault says ${left}, not 8 of 10 left`);
  });

  await step('locked-offer', 'with the vault locked, the offer asks to unlock', async () => {
    await lab.request({ type: 'lock' });
    await page.goto(site.url('/instagram-two-factor.html'));
    await page.getByRole('button', { name: 'Use a backup code' }).click();
    await page.getByLabel('Backup code', { exact: true }).click();
    await waitForOffer(page, /^Unlock Spare$/);
  });

  console.log(`demo: the walk passed; screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}`);
}

// ---------------------------------------------------------------------------------------------------------------
// the interactive demo
// ---------------------------------------------------------------------------------------------------------------

async function interactive(browser: DemoBrowser, site: SiteServer): Promise<void> {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.goto(site.url('/instagram-two-factor.html'));
  await page.bringToFront();
  const pages = [
    ['Instagram-style, React', '/instagram-two-factor.html'],
    ['… refusing the first code', '/instagram-two-factor.html?refuse=1'],
    ['GitHub-style recovery form', '/github-recovery.html'],
    ['plain form', '/login-backup-code.html'],
    ['plain form, same-site frame', '/frame-same-site.html'],
    ['plain form, cross-origin frame', '/frame-cross-origin.html'],
  ];
  console.log(`
Spare demo
  master password   ${PASSWORD}
  account           ${SITE} · ${LABEL} · ${CODES.length} backup codes (${CODES[0]}, ${CODES[1]}, …)
  popup as a tab    ${browser.extensionOrigin}/popup.html  (or the puzzle-piece menu → Spare)

  pages
${pages.map(([name, path]) => `    ${name!.padEnd(32)}${site.url(path!)}`).join('\n')}

  try
    1. Click "Use a backup code", then the Backup code field: Spare offers a code under it.
    2. Press ArrowDown, then Enter (or click "Fill code for ${LABEL}"): the next unused code is filled.
    3. Click Confirm: the page logs you in and Spare crosses the code off; the popup says 9 of 10 left.
    4. Fill a code, then reload without confirming: the next offer fills the same code (it was never used).
    5. Lock Spare in the popup, then focus the field again: the offer asks you to unlock.
    The Security code field (an SMS/app code) shows a small key icon instead: click it, or press ArrowDown there.

Close the browser, or press Ctrl+C here, to end the demo (the temporary profile is deleted).
`);
  await new Promise<void>((done) => browser.context.on('close', () => done()));
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !['--headless', '--build'].includes(a));
  if (unknown.length > 0) {
    console.error(
      `demo: unknown option ${unknown.join(' ')}\nusage: npm run demo [-- --headless] [-- --build]`,
    );
    return 2;
  }
  const headless = args.includes('--headless');
  if (!headless && process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.error(
      'demo: there is no display to show a browser on (DISPLAY is not set). Run `npm run demo -- --headless` ' +
        'for the screenshot walk, or run the demo under `xvfb-run` or in a desktop session.',
    );
    return 1;
  }
  await ensureBuild(args.includes('--build'));

  const site = await startSiteServer('localhost');
  let browser: DemoBrowser | undefined;
  const cleanUp = async () => {
    await browser?.close();
    await site.close();
  };
  // Ctrl+C reaches this process more than once (from the terminal and relayed by npm and tsx): clean up once.
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    console.log('\ndemo: stopping');
    void cleanUp().finally(() => process.exit(130));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

  try {
    browser = await launchDemoChromium(headless);
    const lab = await seedVault(browser);
    if (headless) {
      await walk(browser, site, lab);
    } else {
      await lab.close();
      await interactive(browser, site);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    console.error(`demo: ${error.message}`);
    return 1;
  } finally {
    await cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
