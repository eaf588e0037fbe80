import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { defineConfig } from 'wxt';
import { bundleEagerScripts } from './scripts/eager-script';

const require = createRequire(import.meta.url);
const moduleDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/**
 * The OCR assets of the screenshot import (issue 12), copied from node_modules into `ocr/` at build time
 * rather than committed: tesseract's worker, its wasm core (the SIMD, LSTM-only build, which every supported
 * Chrome and Firefox runs; the core finds its .wasm beside the worker) and the English LSTM data (best_int). The popup
 * points tesseract at these, so it never fetches anything (src/popup/lib/screenshot.ts).
 */
const OCR_ASSETS = [
  [join(moduleDir('tesseract.js'), 'dist/worker.min.js'), 'ocr/worker.min.js'],
  [join(moduleDir('tesseract.js-core'), 'tesseract-core-simd-lstm.js'), 'ocr/tesseract-core-simd-lstm.js'],
  [
    join(moduleDir('tesseract.js-core'), 'tesseract-core-simd-lstm.wasm'),
    'ocr/tesseract-core-simd-lstm.wasm',
  ],
] as const;

/**
 * The English data, unpacked once into `.wxt/` (not committed): tesseract's worker would otherwise gunzip its
 * 2.9 MB in JavaScript on every reading, a few hundred milliseconds of the pick-to-preview time. The zip of the
 * extension compresses it about as well.
 */
function unpackedEnglishData(): string {
  const source = join(moduleDir('@tesseract.js-data/eng'), '4.0.0_best_int/eng.traineddata.gz');
  const { version } = JSON.parse(readFileSync(join(dirname(source), '../package.json'), 'utf8')) as {
    version: string;
  };
  // Named by the package's version, so a new pin never ships a stale copy.
  const target = join(import.meta.dirname, `.wxt/ocr/eng-${version}.traineddata`);
  if (!existsSync(target)) {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, gunzipSync(readFileSync(source)));
  }
  return target;
}

// Only the e2e build may grant host access at install: it stands in for the permission prompt that
// automation cannot click (design §6). Everything else is identical between release and e2e builds.
const E2E_HOSTS = ['http://localhost/*', 'http://127.0.0.1/*'];

// Test-only extension pages, built into the e2e build only (design §6: gate test paths at compile time).
const E2E_ONLY_ENTRYPOINTS = new Set(['lab']);

export default defineConfig({
  hooks: {
    'build:publicAssets': (wxt, files) => {
      // The eager content script is bundled apart from WXT's entrypoints (scripts/eager-script.ts).
      files.push(...bundleEagerScripts(wxt.config.root, wxt.config.command === 'build'));
      for (const [absoluteSrc, relativeDest] of OCR_ASSETS) files.push({ absoluteSrc, relativeDest });
      files.push({ absoluteSrc: unpackedEnglishData(), relativeDest: 'ocr/eng.traineddata' });
    },
    // The content script runs on every page of every enabled site, so it skips webextension-polyfill (~10 KB,
    // most of its size; design §5 budgets it at 6 KB gzip): in MV3 both Chrome's `chrome` and Firefox's
    // `browser` already return promises for the few calls it makes. So does its lazy part, offer-runtime.js
    // (an unlisted script the background injects). Extension pages keep the polyfill.
    'vite:build:extendConfig': (entrypoints, viteConfig) => {
      const alias = viteConfig.resolve?.alias;
      const inPages = (e: { type: string }) => e.type === 'content-script' || e.type === 'unlisted-script';
      if (entrypoints.every(inPages) && alias && !Array.isArray(alias)) {
        delete (alias as Record<string, string>)['wxt/browser'];
      }
    },
    'entrypoints:resolved': (wxt, entrypoints) => {
      if (wxt.config.mode === 'e2e') return;
      for (let i = entrypoints.length - 1; i >= 0; i--) {
        if (E2E_ONLY_ENTRYPOINTS.has(entrypoints[i]!.name)) entrypoints.splice(i, 1);
      }
    },
  },
  modules: ['@wxt-dev/module-svelte', '@wxt-dev/webextension-polyfill', '@wxt-dev/i18n/module'],
  i18n: { localesDir: 'src/locales' },
  manifestVersion: 3,
  imports: false,
  manifest: ({ mode, browser }) => ({
    // Translated like the rest of the UI (src/locales/*.yml).
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // clipboardWrite: the background clears a copied code from the clipboard without a user gesture (Firefox's
    // event page itself, Chrome's offscreen document, which is what `offscreen` is for; src/background/clipboard.ts).
    // activeTab: the popup reads the URL of the tab it was opened on (toolbar click or the shortcut below) to put
    // that site's account first, and "Capture codes from this page" reads that tab's text (with `scripting`);
    // no host permission, and only for that tab, only then.
    permissions: [
      'activeTab',
      'storage',
      'alarms',
      'idle',
      'scripting',
      'clipboardWrite',
      ...(browser === 'firefox' ? [] : ['offscreen']),
    ],
    // Opens the popup from the keyboard. Alt+Shift+S is free in Chrome and Firefox on Windows, Linux and macOS
    // (Option+Shift+S); ChromeOS keeps it for its status area. People change it in the browser's shortcut settings.
    commands: {
      _execute_action: { suggested_key: { default: 'Alt+Shift+S' } },
    },
    // Asked for from the popup, only if the user wants the clear to leave alone whatever they copied since.
    optional_permissions: ['clipboardRead'],
    // Asked for one site at a time when an account is added (src/popup/lib/permissions.ts). Plain http is
    // only ever requested for localhost and IP addresses (design §4.2), but a match pattern cannot say "any IP".
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    ...(mode === 'e2e' ? { host_permissions: E2E_HOSTS } : {}),
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
    // The offer page is the one thing a web page may frame. Chrome serves it under a per-session URL so pages
    // cannot probe for Spare (Firefox's moz-extension:// host is already random per profile). The background
    // binds each offer to a nonce, so framing it without one gets nothing (src/background/offers.ts).
    web_accessible_resources: [
      {
        resources: ['offer.html'],
        matches: ['https://*/*', 'http://*/*'],
        ...(browser === 'firefox' ? {} : { use_dynamic_url: true }),
      },
    ],
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'spare@spare-extension.org',
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
