import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { ContentRequest } from '../messaging';
import { deepActiveElement, isTextField } from './fields';
import type { OfferRuntime } from './offer-runtime';

/**
 * The eager content script: it runs on every page of every enabled site, so it only listens. When a text
 * field first gets focus it asks the background to run the lazy part (detector, offer, fill) in this frame,
 * then hands it every focus. No document-wide observer, no detector, no extension call until a focus
 * (design §5); every listener hangs on `ctx` so that an extension reload leaves nothing behind.
 */
export function startContentScript(ctx: ContentScriptContext): void {
  if (import.meta.env.MODE === 'e2e') {
    // Test builds only (compiled out of release builds): lets e2e tests see that the runtime
    // registration reached this page.
    document.documentElement.dataset.spareE2eContentScript = 'running';
    ctx.onInvalidated(() => delete document.documentElement.dataset.spareE2eContentScript);
  }
  let runtime: Promise<OfferRuntime | null> | null = null;
  const load = () => (runtime ??= loadOfferRuntime(ctx));
  const focused = (target: EventTarget | null | undefined) => {
    if (!isTextField(target)) return;
    void load().then((offer) => offer?.focus(target));
  };
  // The target at document level is retargeted to a shadow host: the path's first entry is the field itself.
  ctx.addEventListener(document, 'focusin', (event) => focused(event.composedPath()[0]), { capture: true });
  focused(deepActiveElement(document));
}

/** Asks the background to inject `offer-runtime.js` into this frame, then starts it on `ctx`. */
async function loadOfferRuntime(ctx: ContentScriptContext): Promise<OfferRuntime | null> {
  const request: ContentRequest = { type: 'content:load-offer' };
  try {
    const answer = (await browser.runtime.sendMessage(request)) as { ok?: boolean } | undefined;
    if (!answer?.ok || ctx.isInvalid) return null;
    return globalThis.spareOfferRuntime?.(ctx) ?? null;
  } catch {
    // The extension was reloaded or the background refused: this page simply gets no offer.
    return null;
  }
}
