import type { ContentScriptContext } from 'wxt/utils/content-script-context';

/**
 * Composes the content script's services. Every listener hangs on `ctx` so that an extension reload or
 * update leaves nothing behind in the page.
 */
export function startContentScript(ctx: ContentScriptContext): void {
  if (import.meta.env.MODE === 'e2e') {
    // Test builds only (compiled out of release builds): lets e2e tests see that the runtime
    // registration reached this page.
    document.documentElement.dataset.spareE2eContentScript = 'running';
    ctx.onInvalidated(() => delete document.documentElement.dataset.spareE2eContentScript);
  }
}
