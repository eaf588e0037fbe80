import js from '@eslint/js';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

// What the pure core may not reach for: browser extension APIs, IndexedDB, or the entrypoints that wire
// them (design §2). Anything in src/core must run unchanged in Node, the CLI and every extension page.
const CORE_FORBIDDEN_IMPORTS = {
  patterns: [
    { group: ['wxt', 'wxt/*'], message: 'src/core is pure: no WXT or browser APIs.' },
    { group: ['webextension-polyfill'], message: 'src/core is pure: no browser APIs.' },
    { group: ['idb', 'idb/*'], message: 'src/core is pure: storage lives in src/storage.' },
    { group: ['**/entrypoints/**', '**/entrypoints'], message: 'src/core may not import entrypoints.' },
  ],
};

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', 'node_modules/**', 'tests/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    files: ['src/core/**'],
    rules: {
      'no-restricted-imports': ['error', CORE_FORBIDDEN_IMPORTS],
      'no-restricted-globals': [
        'error',
        { name: 'chrome', message: 'src/core is pure: no browser APIs.' },
        { name: 'browser', message: 'src/core is pure: no browser APIs.' },
        { name: 'indexedDB', message: 'src/core is pure: storage lives in src/storage.' },
        { name: 'document', message: 'src/core is pure: no DOM.' },
        { name: 'window', message: 'src/core is pure: no DOM.' },
      ],
    },
  },
);
