import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

// The lint rule is the only thing keeping browser APIs out of the pure core, so prove it bites.
describe('the src/core import boundary', () => {
  const eslint = new ESLint();
  const lint = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  };

  test.each([
    ["import { browser } from 'wxt/browser';"],
    ["import browser from 'webextension-polyfill';"],
    ["import { openDB } from 'idb';"],
    ["import background from '../../entrypoints/background';"],
  ])('refuses %s in src/core', async (code) => {
    expect(await lint('src/core/codes/example.ts', `${code}\nexport const x = 1;\n`)).toHaveLength(1);
  });

  test('allows the same import outside src/core', async () => {
    expect(
      await lint('src/storage/example.ts', "import { openDB } from 'idb';\nexport const x = openDB;\n"),
    ).toEqual([]);
  });
});
