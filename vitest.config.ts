import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Three unit tiers, each in the environment where its code really runs. The e2e tier (real browsers,
// built extension) has its own config: vitest.e2e.config.ts.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'core',
          environment: 'node',
          include: ['tests/core/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['tests/dom/**/*.test.ts'],
          exclude: ['tests/dom/**/*.component.test.ts'],
          setupFiles: ['tests/support/i18n-setup.ts'],
        },
      },
      {
        // Popup components mounted as in the popup: compiled by Svelte, with its browser runtime. A project of
        // their own, so the plain DOM tests keep resolving modules exactly as before (no Svelte plugin, default
        // export conditions).
        plugins: [svelte()],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'dom-components',
          environment: 'happy-dom',
          include: ['tests/dom/**/*.component.test.ts'],
          setupFiles: ['tests/support/i18n-setup.ts'],
        },
      },
      {
        plugins: [WxtVitest()],
        test: {
          name: 'background',
          environment: 'node',
          include: ['tests/background/**/*.test.ts'],
          setupFiles: ['fake-indexeddb/auto'],
        },
      },
    ],
  },
});
