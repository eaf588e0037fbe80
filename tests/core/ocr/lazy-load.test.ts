/**
 * Issue 12: the OCR code is loaded only when an image is picked. Nothing in the popup, the content script or
 * the background imports tesseract or the popup's OCR runner statically; the one way in is the picker's
 * dynamic import(), which the bundler turns into a chunk of its own.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const STATIC_IMPORT = /^\s*import\s[^;]*?from\s+'([^']+)'/gm;
const DYNAMIC_IMPORT = /import\(\s*'([^']+)'\s*\)/g;

describe('the OCR code loads only when an image is picked', () => {
  const files = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'entrypoints'))].filter(
    (file) => !file.includes(`${join('src', 'cli')}`),
  );

  test('no extension source imports tesseract.js or the OCR runner statically', () => {
    const offenders = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)]
        .map((match) => match[1]!)
        .filter((from) => from.startsWith('tesseract.js') || /lib\/screenshot$/.test(from))
        .map((from) => `${relative(ROOT, file)} → ${from}`),
    );
    expect(offenders).toEqual(['src/popup/lib/screenshot.ts → tesseract.js/dist/tesseract.esm.min.js']);
  });

  test('the picker is the one place that loads the runner, with import()', () => {
    const loaders = files.filter((file) =>
      [...readFileSync(file, 'utf8').matchAll(DYNAMIC_IMPORT)].some((match) =>
        /lib\/screenshot$/.test(match[1]!),
      ),
    );
    expect(loaders.map((file) => relative(ROOT, file))).toEqual([
      'src/popup/components/ScreenshotPicker.svelte',
    ]);
  });
});
