import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type CDPSession } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { PlaywrightTestPage, PuppeteerTestPage, type TestPage } from './test-page';

export type BrowserName = 'chromium' | 'firefox';

/** A real browser with the e2e build of Spare installed. */
export interface ExtensionBrowser {
  readonly name: BrowserName;
  /** `chrome-extension://<id>` or `moz-extension://<uuid>`, no trailing slash. */
  readonly extensionOrigin: string;
  newPage(): Promise<TestPage>;
  /**
   * Stops the extension's background at once, wherever it is in its work, as the browser may (the next message
   * starts it again). Absent where the browser gives a test no way to do that.
   */
  stopBackground?(): Promise<void>;
  close(): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '../../..');
export const BUILD_DIRS: Record<BrowserName, string> = {
  chromium: join(ROOT, '.output/chrome-mv3-e2e'),
  firefox: join(ROOT, '.output/firefox-mv3-e2e'),
};
// The id declared in wxt.config.ts (browser_specific_settings.gecko.id).
const FIREFOX_ADDON_ID = 'spare@spare-extension.org';
// Fixed so that tests know the moz-extension:// origin before the add-on starts.
const FIREFOX_INTERNAL_UUID = '5f0c1a7e-3b6d-4c2a-9e51-7d4b2a8c6e10';

/** Flags for every Chromium the tests and the bench start: headless as root on a machine with no network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The browser binary to test with: `CHROMIUM_PATH` / `FIREFOX_PATH`, else the usual Debian locations. A missing
 * browser fails with one line that names the Debian package to install.
 */
export function findBinary(
  name: BrowserName,
  env: Record<string, string | undefined> = process.env,
  exists: (path: string) => boolean = existsSync,
): string {
  const envVar = name === 'chromium' ? 'CHROMIUM_PATH' : 'FIREFOX_PATH';
  const candidates =
    name === 'chromium'
      ? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']
      : ['/usr/bin/firefox-esr', '/usr/bin/firefox'];
  const fromEnv = env[envVar];
  if (fromEnv) {
    if (!exists(fromEnv)) throw new Error(`${envVar}=${fromEnv} does not exist.`);
    return fromEnv;
  }
  const found = candidates.find((path) => exists(path));
  if (found) return found;
  const debianPackage = name === 'chromium' ? 'chromium' : 'firefox-esr';
  throw new Error(
    `No ${name} found (looked in ${candidates.join(', ')}): install it with 'apt-get install -y ${debianPackage}' or set ${envVar}.`,
  );
}

/** Chromium's id for an unpacked extension: the SHA-256 of its absolute path, first 32 hex digits as a–p. */
export function unpackedExtensionId(dir: string): string {
  const hex = createHash('sha256').update(realpathSync(dir)).digest('hex').slice(0, 32);
  return Array.from(hex, (digit) => String.fromCharCode(97 + parseInt(digit, 16))).join('');
}

/**
 * A fresh Chromium profile in the OS temp folder (never in the tree: `wxt zip` would pick it up), with developer
 * mode on, which keeps runtime.reload() from disabling an unpacked extension (design §6). `granted` optional
 * API permissions are written into the profile as already granted to the extension in `extensionDir`: Chromium
 * shows a prompt for `permissions.request` that automation cannot accept.
 */
export async function newChromiumProfile(
  prefix: string,
  granted?: { extensionDir: string; permissions: string[] },
): Promise<string> {
  const profile = await mkdtemp(join(tmpdir(), prefix));
  await mkdir(join(profile, 'Default'), { recursive: true });
  const settings = granted
    ? (() => {
        const permissions = {
          api: granted.permissions,
          explicit_host: [],
          manifest_permissions: [],
          scriptable_host: [],
        };
        const id = unpackedExtensionId(granted.extensionDir);
        return { [id]: { granted_permissions: permissions, active_permissions: permissions } };
      })()
    : undefined;
  await writeFile(
    join(profile, 'Default/Preferences'),
    JSON.stringify({ extensions: { ui: { developer_mode: true }, ...(settings ? { settings } : {}) } }),
  );
  return profile;
}

/** What a test may ask of the browser beyond the extension (both off by default). */
export interface LaunchOptions {
  /** Web pages may read and write the system clipboard without a prompt (the test's own view of it). */
  systemClipboard?: boolean;
  /** Chromium only: Spare starts with these optional permissions granted (Firefox: click through the prompt). */
  grantedPermissions?: string[];
  /**
   * Every http(s) request the browser makes, localhost included, goes through this proxy (`127.0.0.1:<port>`):
   * a test that must prove no request leaves the extension records what reaches it.
   */
  proxyPort?: number;
}

function assertBuilt(dir: string): void {
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new Error(`No extension build at ${dir}: run 'npm run build:e2e' first.`);
  }
}

export async function launchChromium(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  const extensionDir = BUILD_DIRS.chromium;
  assertBuilt(extensionDir);
  const profile = await newChromiumProfile(
    'spare-chromium-',
    options.grantedPermissions ? { extensionDir, permissions: options.grantedPermissions } : undefined,
  );
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findBinary('chromium'),
    headless: true,
    ...(options.systemClipboard ? { permissions: ['clipboard-read', 'clipboard-write'] } : {}),
    args: [
      ...CHROMIUM_ARGS,
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      ...(options.proxyPort
        ? [`--proxy-server=http://127.0.0.1:${options.proxyPort}`, '--proxy-bypass-list=<-loopback>']
        : []),
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  // Node gives non-special schemes an opaque "null" origin, so build it from the host.
  const extensionOrigin = `chrome-extension://${new URL(worker.url()).host}`;
  let devtools: CDPSession | null = null;
  return {
    name: 'chromium',
    extensionOrigin,
    async newPage() {
      return new PlaywrightTestPage(await context.newPage());
    },
    async stopBackground() {
      // DevTools' "Stop" on chrome://serviceworker-internals: answers once the worker has stopped. Any page of
      // the profile will do for the session; the one Chromium opens at launch stays unused by the tests.
      if (!devtools) {
        devtools = await context.newCDPSession(context.pages()[0] ?? (await context.newPage()));
        await devtools.send('ServiceWorker.enable');
      }
      await devtools.send('ServiceWorker.stopAllWorkers');
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

const FIREFOX_MAIN_WINDOW = 'chrome://browser/content/browser.xhtml';

/** The two raw WebDriver BiDi commands `stopBackground` sends, typed as far as it reads their answers. */
interface BidiCommands {
  send(
    method: 'browsingContext.getTree',
    params: { 'moz:scope': 'chrome' },
  ): Promise<{ result: { contexts: { context: string; url: string }[] } }>;
  send(
    method: 'script.evaluate',
    params: { expression: string; target: { context: string }; awaitPromise: boolean },
  ): Promise<{
    result: { type: 'success' | 'exception'; result?: { value?: unknown }; exceptionDetails?: unknown };
  }>;
}

export async function launchFirefox(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  const extensionDir = BUILD_DIRS.firefox;
  assertBuilt(extensionDir);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: findBinary('firefox'),
    headless: true,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_INTERNAL_UUID }),
      // Lets a test click through permissions.request (design §6).
      'extensions.webextOptionalPermissionPrompts': false,
      // Firefox's switch for testing the async clipboard: pages read it without the paste prompt.
      ...(options.systemClipboard ? { 'dom.events.testing.asyncClipboard': true } : {}),
      ...(options.proxyPort
        ? {
            'network.proxy.type': 1,
            'network.proxy.http': '127.0.0.1',
            'network.proxy.http_port': options.proxyPort,
            'network.proxy.ssl': '127.0.0.1',
            'network.proxy.ssl_port': options.proxyPort,
            'network.proxy.share_proxy_settings': true,
            'network.proxy.allow_hijacking_localhost': true,
            'network.proxy.no_proxies_on': '',
          }
        : {}),
    },
  });
  await browser.installExtension(extensionDir);
  // puppeteer-core 24 keeps the raw WebDriver BiDi session of a Firefox it drives on `connection`, outside its
  // public types; the chrome-scope commands below have no Puppeteer API.
  const bidi = (browser as unknown as { connection: BidiCommands }).connection;
  return {
    name: 'firefox',
    extensionOrigin: `moz-extension://${FIREFOX_INTERNAL_UUID}`,
    async newPage() {
      return new PuppeteerTestPage(await browser.newPage(), 'firefox');
    },
    async stopBackground() {
      // about:debugging's "Terminate background script": runs in the browser's own chrome window, which
      // `--remote-allow-system-access` opens to BiDi. `ignoreDevToolsAttached` stops it even with a debugger
      // attached; `disableResetIdleForTest` stops it even while it is handling a message, which is the point.
      const { result: tree } = await bidi.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
      const window = tree.contexts.find((c) => c.url === FIREFOX_MAIN_WINDOW) ?? tree.contexts[0];
      if (!window) throw new Error('WebDriver BiDi shows no Firefox chrome window to run the stop in.');
      // Answers whether the page that was running is gone (Firefox declines a stop in some states; a kill that
      // did not happen must not pass for one).
      const stop = `(async () => {
        const extension = WebExtensionPolicy.getByID(${JSON.stringify(FIREFOX_ADDON_ID)}).extension;
        const running = extension.backgroundContext;
        await extension.terminateBackground({ ignoreDevToolsAttached: true, disableResetIdleForTest: true });
        return running === undefined || running.unloaded === true;
      })()`;
      const { result } = await bidi.send('script.evaluate', {
        expression: stop,
        target: { context: window.context },
        awaitPromise: true,
      });
      if (result.type !== 'success') {
        throw new Error(`Firefox did not stop the background: ${JSON.stringify(result.exceptionDetails)}`);
      }
      if (result.result?.value !== true) throw new Error('Firefox left the background running.');
    },
    async close() {
      await browser.close();
    },
  };
}

export const BROWSERS: {
  name: BrowserName;
  launch: (options?: LaunchOptions) => Promise<ExtensionBrowser>;
}[] = [
  { name: 'chromium', launch: launchChromium },
  { name: 'firefox', launch: launchFirefox },
];
