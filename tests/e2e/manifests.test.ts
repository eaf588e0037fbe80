import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

const OUTPUT = resolve(import.meta.dirname, '../../.output');
const E2E_HOSTS = ['http://localhost/*', 'http://127.0.0.1/*'];
const CSP = "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'";

type Manifest = Record<string, unknown> & {
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  content_scripts?: { matches?: string[] }[];
};
const manifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(OUTPUT, dir, 'manifest.json'), 'utf8'));

describe.each([
  { browser: 'chrome', release: 'chrome-mv3', e2e: 'chrome-mv3-e2e' },
  { browser: 'firefox', release: 'firefox-mv3', e2e: 'firefox-mv3-e2e' },
])('$browser manifests', ({ browser, release, e2e }) => {
  const releaseManifest = manifest(release);
  const e2eManifest = manifest(e2e);

  test('the release build is Manifest V3 with the extension-pages CSP', () => {
    expect(releaseManifest.manifest_version).toBe(3);
    expect(releaseManifest.name).toBe('__MSG_extName__');
    expect(releaseManifest.default_locale).toBe('en');
    expect(releaseManifest.content_security_policy).toEqual({ extension_pages: CSP });
    expect(releaseManifest.icons).toMatchObject({ '16': 'icon/16.png', '128': 'icon/128.png' });
  });

  test('the name and description are translated in every shipped locale', () => {
    expect(releaseManifest.description).toBe('__MSG_extDescription__');
    const locales = readdirSync(join(OUTPUT, release, '_locales')).sort();
    expect(locales).toEqual(['de', 'en', 'es', 'fr', 'ja', 'pt_BR']);
    const descriptions = new Set<string>();
    for (const locale of locales) {
      const messages = JSON.parse(
        readFileSync(join(OUTPUT, release, '_locales', locale, 'messages.json'), 'utf8'),
      );
      expect(messages.extName.message).toBe('Spare');
      descriptions.add(messages.extDescription.message);
    }
    expect(descriptions.size, 'each locale has its own description').toBe(locales.length);
  });

  test('the release build asks for no host permission and declares no content script', () => {
    expect(releaseManifest.host_permissions ?? []).toEqual([]);
    expect(releaseManifest.content_scripts ?? []).toEqual([]);
    expect(JSON.stringify(releaseManifest)).not.toContain('<all_urls>');
  });

  test('the e2e build differs from release only by the loopback host permissions', () => {
    const { host_permissions, ...rest } = e2eManifest;
    expect(host_permissions).toEqual(E2E_HOSTS);
    expect(rest).toEqual(releaseManifest);
  });

  test('the clipboard clear: clipboardWrite, reading only as an option, the offscreen document in Chrome only', () => {
    expect(releaseManifest.permissions).toContain('clipboardWrite');
    expect(releaseManifest.permissions).not.toContain('clipboardRead');
    expect(releaseManifest.optional_permissions).toEqual(['clipboardRead']);
    expect(releaseManifest.permissions?.includes('offscreen')).toBe(browser === 'chrome');
    expect(existsSync(join(OUTPUT, release, 'offscreen.html'))).toBe(browser === 'chrome');
  });

  test('only the offer page is web-accessible, to web pages only, under a per-session URL in Chrome (design §3)', () => {
    // Anything else a page could load would tell it that Spare is installed, or run Spare's code in its reach.
    expect(releaseManifest.web_accessible_resources).toEqual([
      {
        resources: ['offer.html'],
        matches: ['https://*/*', 'http://*/*'],
        ...(browser === 'chrome' ? { use_dynamic_url: true } : {}),
      },
    ]);
  });

  test('activeTab lets the popup read the page it was opened on, with no host permission (issue 9)', () => {
    expect(releaseManifest.permissions).toContain('activeTab');
    expect(releaseManifest.permissions).not.toContain('tabs');
    expect(releaseManifest.host_permissions ?? []).toEqual([]);
  });

  test('a keyboard shortcut opens the popup: Alt+Shift+S, changeable in the browser (issue 9)', () => {
    expect(releaseManifest.commands).toEqual({
      _execute_action: { suggested_key: { default: 'Alt+Shift+S' } },
    });
  });

  if (browser === 'firefox') {
    test('Firefox gets its add-on id and data-collection declaration', () => {
      expect(releaseManifest.browser_specific_settings).toMatchObject({
        gecko: { id: 'spare@spare-extension.org', data_collection_permissions: { required: ['none'] } },
      });
    });
  }
});

describe.each(['chrome-mv3', 'firefox-mv3'])('the %s release build', (dir) => {
  const contentScript = readFileSync(join(OUTPUT, dir, 'content-script.js'), 'utf8');

  test('compiles test-only paths out', () => {
    const runtime = (build: string) => readFileSync(join(OUTPUT, build, 'offer-runtime.js'), 'utf8');
    expect(runtime(dir)).not.toContain('spareE2eContentScript');
    expect(runtime(`${dir}-e2e`)).toContain('spareE2eContentScript');
    // The eager script has no test-only path at all (the bench measures the e2e build's); only WXT's own
    // start-up logger differs between the modes.
    expect(contentScript).not.toContain('spareE2eContentScript');
    expect(readFileSync(join(OUTPUT, `${dir}-e2e`, 'content-script.js'), 'utf8')).not.toContain(
      'spareE2eContentScript',
    );
    expect(() => readFileSync(join(OUTPUT, dir, 'lab.html'))).toThrow();
  });

  test('keeps webextension-polyfill out of the content script', () => {
    expect(contentScript).not.toMatch(/polyfill/i);
  });

  test('the content script is one anonymous function call: no global, no start-up wrapper (design §5)', () => {
    // A global `var` or WXT's unlisted-script wrapper each cost an article page a few tenths of a millisecond
    // per load (docs/benchmarks.md); the bundle is scripts/eager-script.ts.
    expect(contentScript).toMatch(/^\(\(\)=>\{.*\}\)\(\);\s*$/s);
    expect(contentScript).not.toMatch(/^var /);
    expect(contentScript).not.toContain('crashed on startup');
    expect(contentScript).toMatch(/\(!1\);\}\)\(\);\s*$/);
    // The copy for a tab already open differs only in looking once for a field with focus.
    const openTab = readFileSync(join(OUTPUT, dir, 'content-script-open-tab.js'), 'utf8');
    expect(openTab).toMatch(/\(!0\);\}\)\(\);\s*$/);
  });
});
