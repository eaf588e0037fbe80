import { defineConfig } from 'wxt';

// Only the e2e build may grant host access at install: it stands in for the permission prompt that
// automation cannot click (design §6). Everything else is identical between release and e2e builds.
const E2E_HOSTS = ['http://localhost/*', 'http://127.0.0.1/*'];

export default defineConfig({
  modules: ['@wxt-dev/module-svelte', '@wxt-dev/webextension-polyfill'],
  manifestVersion: 3,
  imports: false,
  manifest: ({ mode, browser }) => ({
    name: 'Spare',
    description: 'Keeps your 2FA backup codes encrypted and offers the right one on the login page.',
    permissions: ['storage', 'alarms', 'idle', 'scripting'],
    optional_host_permissions: ['https://*/*', 'http://localhost/*', 'http://127.0.0.1/*'],
    ...(mode === 'e2e' ? { host_permissions: E2E_HOSTS } : {}),
    content_security_policy: {
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
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
