import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import {
  BUILD_DIRS,
  CHROMIUM_ARGS,
  findBinary,
  newChromiumProfile,
  type ExtensionBrowser,
} from '../../e2e/support/browsers';
import { PlaywrightTestPage } from '../../e2e/support/test-page';

/** A host name that resolves to loopback but for which the e2e build holds no host permission. */
export const UNGRANTED_HOST = 'spare-bench.test';

// The e2e harness's flags, plus a loopback alias that no extension is granted (the A/A control).
const ARGS = [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${UNGRANTED_HOST} 127.0.0.1`];

/**
 * A headless Chromium with a fresh profile in the OS temp folder. The bench needs the Playwright context
 * itself (CDP sessions, init scripts), which the e2e harness keeps private; the flags are the harness's.
 */
export interface BenchChromium {
  readonly context: BrowserContext;
  readonly version: string;
  close(): Promise<void>;
}

export interface BenchExtensionChromium extends BenchChromium {
  /** The e2e harness's view of the same browser, for LabPage. */
  readonly extension: ExtensionBrowser;
}

async function launch(
  withExtension: boolean,
): Promise<{ context: BrowserContext; profile: string; version: string }> {
  const binary = findBinary('chromium');
  const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  const profile = await newChromiumProfile('spare-bench-');
  const extensionDir = BUILD_DIRS.chromium;
  if (withExtension && !existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No extension build at ${extensionDir}: run 'npm run build:e2e' first.`);
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: binary,
    headless: true,
    args: withExtension
      ? [...ARGS, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`]
      : ARGS,
  });
  return { context, profile, version };
}

function closer(context: BrowserContext, profile: string) {
  return async () => {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  };
}

/** Chromium without any extension: the "B" side of every A/B. */
export async function launchPlainChromium(): Promise<BenchChromium> {
  const { context, profile, version } = await launch(false);
  return { context, version, close: closer(context, profile) };
}

/** Chromium with the e2e build of Spare (host access to localhost and 127.0.0.1). */
export async function launchExtensionChromium(): Promise<BenchExtensionChromium> {
  const { context, profile, version } = await launch(true);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionOrigin = `chrome-extension://${new URL(worker.url()).host}`;
  const close = closer(context, profile);
  return {
    context,
    version,
    close,
    extension: {
      name: 'chromium',
      extensionOrigin,
      newPage: async () => new PlaywrightTestPage(await context.newPage()),
      close,
    },
  };
}
