import type { ContentRequest } from '../messaging';
import { deepActiveElement, isTextField, type CodeField } from './fields';

/**
 * The eager content script: it runs on every page of every enabled site, so until a text field gets focus it
 * only listens, with one capture `focusin` listener on the window that removes itself when it fires. It
 * imports neither WXT's content-script context nor its `browser`, and touches neither the extension API nor
 * the document before that focus: a first touch builds bindings in the page's isolated world, which measured
 * ~4 ms (the extension API, which WXT's context touches as soon as its module is evaluated) and ~2 ms (the
 * document) per page load (design §5, docs/benchmarks.md). For the same reason its load runs nothing but
 * `addEventListener`: no module-level state, no wrapper (it is bundled on its own, scripts/eager-script.ts);
 * each of those measured a few tenths of a millisecond per load on an article page.
 *
 * It is registered to run at `document_start`, before any field can have focus; the copy injected into a tab
 * that was already open (`checkFocusNow`) checks once for a field that already has focus. At the first focus the
 * background injects the lazy part (detector, offer, fill; src/content/offer-runtime.ts) into this frame, which
 * creates WXT's context and hangs every later listener and timer on it.
 */
export function bootContentScript(checkFocusNow: boolean): void {
  addEventListener('focusin', onFirstFocus, true);
  if (checkFocusNow) {
    const active = deepActiveElement(document);
    if (isTextField(active)) wakeFor(active);
  }
}

function onFirstFocus(event: Event): void {
  const target = event.composedPath()[0];
  if (isTextField(target)) wakeFor(target);
}

function wakeFor(field: CodeField): void {
  removeEventListener('focusin', onFirstFocus, true);
  void wake(field).then((started) => {
    // The background could not be reached (a service worker starting, say): wait for the next focus.
    if (!started) addEventListener('focusin', onFirstFocus, true);
  });
}

interface RuntimeApi {
  runtime?: { id?: string; sendMessage(message: unknown): Promise<unknown> };
}

/** Asks the background to inject the offer runtime into this frame, then hands it the focused field. */
async function wake(field: CodeField): Promise<boolean> {
  const scope = globalThis as unknown as { browser?: RuntimeApi; chrome?: RuntimeApi };
  // Firefox has `browser`; Chrome has `chrome`, whose MV3 calls return promises too.
  const api = scope.browser?.runtime ? scope.browser : scope.chrome;
  // A script left behind by an extension reload or update has lost its extension: it stays quiet.
  if (!api?.runtime?.id) return true;
  const request: ContentRequest = { type: 'content:load-offer' };
  try {
    const answer = (await api.runtime.sendMessage(request)) as { ok?: boolean } | undefined;
    if (!answer?.ok || !globalThis.spareOfferRuntime) return false;
    globalThis.spareOfferRuntime(field);
    return true;
  } catch {
    return false;
  }
}
