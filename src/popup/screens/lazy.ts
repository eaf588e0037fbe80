/**
 * The screens that only an unlocked vault shows, each in its own chunk: the locked screen's first paint must
 * not pay for the parser, the site adapters or the list (design §5: popup_interactive_ms ≤ 150).
 */
import type { Component } from 'svelte';
import type { LazyScreenName } from '../state/app.svelte';

const loaders: Record<LazyScreenName, () => Promise<{ default: Component }>> = {
  main: () => import('./MainView.svelte'),
  add: () => import('./AddAccount.svelte'),
  capture: () => import('./CapturePage.svelte'),
  detail: () => import('./AccountDetail.svelte'),
  settings: () => import('./Settings.svelte'),
  sheet: () => import('./PrintSheet.svelte'),
};

const loaded = new Map<LazyScreenName, Promise<Component>>();

export function loadScreen(name: LazyScreenName): Promise<Component> {
  let promise = loaded.get(name);
  if (!promise) {
    promise = loaders[name]().then((module) => module.default);
    // A failed load (e.g. the extension was updated under the popup) may be retried.
    promise.catch(() => loaded.delete(name));
    loaded.set(name, promise);
  }
  return promise;
}

/** Fetches the list while the user types the password, so unlocking does not wait for it. */
export function preloadAfterFirstPaint(names: LazyScreenName[]): void {
  const start = () => names.forEach((name) => void loadScreen(name).catch(() => undefined));
  if ('requestIdleCallback' in globalThis) requestIdleCallback(start, { timeout: 500 });
  else setTimeout(start, 200);
}
