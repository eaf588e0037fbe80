/**
 * Where focus goes when the popup changes screen. The old screen's elements are removed with it, so focus would
 * fall back to <body>, where a keyboard or screen-reader user is lost. The convention:
 *
 * 1. A screen that knows where attention goes focuses it itself, on mount or once its data arrived (the first
 *    field of a form, the list after unlock, the row the user came from).
 * 2. Otherwise App puts focus on the element marked `data-autofocus`, else on the screen's first <h1> (made
 *    focusable with tabindex="-1"), one task after the screen mounted.
 *
 * The fallback never moves focus that is already on an element in the page: whatever a screen (or the user)
 * chose wins.
 */
const FOCUSABLE = 'a[href], button, input, select, textarea, summary, [tabindex]';

/** Focus is nowhere useful: on <body>, on nothing, or on an element that has left the page. */
export function focusIsLost(doc: Document): boolean {
  const active = doc.activeElement;
  return !active || active === doc.body || active === doc.documentElement || !active.isConnected;
}

/** Focuses the screen inside `container` (see the convention above) unless focus already sits somewhere. */
export function settleFocus(container: HTMLElement): void {
  const doc = container.ownerDocument;
  if (!container.isConnected || !focusIsLost(doc)) return;
  const target =
    container.querySelector<HTMLElement>('[data-autofocus]') ?? container.querySelector<HTMLElement>('h1');
  if (!target) return;
  if (!target.matches(FOCUSABLE)) target.tabIndex = -1;
  target.focus();
}

/**
 * An attachment for the element that holds one screen: settles focus one task after mounting, when the
 * screen's own onMount has run (a screen that focuses something then is left alone).
 */
export function focusScreenOnMount(container: HTMLElement): () => void {
  const timer = setTimeout(() => settleFocus(container), 0);
  return () => clearTimeout(timer);
}
