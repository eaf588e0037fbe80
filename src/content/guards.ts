/**
 * Fill checks against DOM clickjacking (the 2025 attacks on password managers' in-page UI): the page may
 * make Spare's offer or the field invisible while the user clicks or presses Enter on it, cover it with its
 * own UI, or swap things just before the input. A fill is refused when
 * - the field is gone, hidden, disabled, not focused (nor the offer), or moved since the offer opened;
 * - the field, the offer host or any ancestor is transparent, filtered, clipped or transformed to nothing;
 * - something covers the offer or the field (hit testing, and open top-layer elements over the offer,
 *   which hit testing misses when they set `pointer-events: none`);
 * - the offer appeared less than half a second ago.
 * Chromium's offer page also checks IntersectionObserver v2 visibility inside the frame (src/offer).
 */
import { isVisible } from '../detect/visibility';
import { deepActiveElement, type CodeField } from './fields';

/** Input arriving sooner than this after the offer appeared is not trusted to be the user's intent. */
export const MIN_VISIBLE_MS = 500;
const MOVE_TOLERANCE_PX = 4;
const MIN_OPACITY = 0.9;

export interface OfferGeometry {
  field: CodeField;
  host: HTMLElement;
  frame: HTMLIFrameElement;
  /** `performance.now()` when the offer was shown. */
  shownAt: number;
  /** Where the field was in the document when the offer opened (`documentRect`). */
  fieldRect: DocumentRect;
}

export interface DocumentRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** An element's box in document coordinates: scrolling the window does not move it, the page moving it does. */
export function documentRect(el: Element): DocumentRect {
  const rect = el.getBoundingClientRect();
  const view = el.ownerDocument.defaultView;
  return {
    left: rect.left + (view?.scrollX ?? 0),
    top: rect.top + (view?.scrollY ?? 0),
    width: rect.width,
    height: rect.height,
  };
}

/** Walks from an element up to the root, crossing out of shadow roots. */
function* ancestry(el: Element): Generator<Element> {
  let node: Element | null = el;
  while (node) {
    yield node;
    if (node.parentElement) node = node.parentElement;
    else {
      const root = node.getRootNode();
      node = root instanceof ShadowRoot ? root.host : null;
    }
  }
}

/** A `filter` that can hide what is under it: opacity, blur, brightness or contrast near zero, SVG filters. */
function hidingFilter(filter: string): boolean {
  if (!filter || filter === 'none') return false;
  if (/url\(/.test(filter)) return true;
  for (const [, fn, arg] of filter.matchAll(/([a-z-]+)\(([^)]*)\)/g)) {
    const value = parseFloat(arg!);
    const amount = arg!.trim().endsWith('%') ? value / 100 : value;
    if ((fn === 'opacity' || fn === 'brightness' || fn === 'contrast') && amount < MIN_OPACITY) return true;
    if (fn === 'blur' && value > 1) return true;
  }
  return false;
}

/** Why an element (through its ancestors) is not plainly visible, or null. */
function styleRefusal(el: Element): string | null {
  const view = el.ownerDocument.defaultView;
  if (!view) return 'the page is gone';
  let opacity = 1;
  for (const node of ancestry(el)) {
    const style = view.getComputedStyle(node);
    opacity *= parseFloat(style.opacity) || 0;
    if (style.visibility === 'hidden' || style.visibility === 'collapse' || style.display === 'none')
      return 'it is hidden';
    if (hidingFilter(style.filter)) return 'a filter hides it';
    if (style.clipPath !== 'none' && style.clipPath !== '') return 'it is clipped';
    const mask = style.maskImage || style.getPropertyValue('-webkit-mask-image');
    if (mask && mask !== 'none') return 'a mask hides it';
    if (style.mixBlendMode && style.mixBlendMode !== 'normal') return 'it is blended into the page';
  }
  if (opacity < MIN_OPACITY) return 'it is transparent';
  return null;
}

function centre(rect: DOMRect): [number, number] {
  return [rect.left + rect.width / 2, rect.top + rect.height / 2];
}

/**
 * Is the element at this point `el` (or inside it)? With `seeThroughAllowed`, an element over it that paints
 * nothing opaque (a site's placeholder text laid over its input) does not count as a cover.
 */
function hits(doc: Document, point: [number, number], el: Element, seeThroughAllowed = false): boolean {
  const hit = doc.elementFromPoint(point[0], point[1]);
  if (hit === null) return false;
  if (hit === el || el.contains(hit) || hit.contains(el)) return true;
  return seeThroughAllowed && seeThrough(hit);
}

function seeThrough(el: Element): boolean {
  if (/^(IMG|VIDEO|CANVAS|IFRAME|OBJECT|EMBED|SVG)$/i.test(el.tagName)) return false;
  const style = el.ownerDocument.defaultView!.getComputedStyle(el);
  if (style.backgroundImage !== 'none') return false;
  // Computed colours serialise as rgb(r, g, b) (opaque) or rgba(r, g, b, a).
  const bg = style.backgroundColor;
  const alpha =
    bg === 'transparent' ? 0 : bg.startsWith('rgba(') ? parseFloat(bg.slice(bg.lastIndexOf(',') + 1)) : 1;
  return alpha < 0.1;
}

/**
 * Hit testing skips elements with `pointer-events: none`, which is exactly how a cover lets the user's click
 * through to what it hides. For the duration of the check every element takes pointer events, so a cover is
 * hit. The style never paints (nothing renders between adding and removing it), and by the time this runs
 * the user has asked for a fill, so the page learns nothing it would not learn from the filled code.
 */
function withAllPointerEvents<T>(doc: Document, run: () => T): T {
  const style = doc.createElement('style');
  style.textContent = '*,*::before,*::after{pointer-events:auto!important}';
  doc.documentElement.append(style);
  try {
    return run();
  } finally {
    style.remove();
  }
}

function intersects(a: DOMRect, b: DOMRect): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/** Open top-layer elements of the page (popovers, modal dialogs, fullscreen) that overlap the offer. */
function coveringTopLayer(doc: Document, host: HTMLElement, rect: DOMRect): boolean {
  let candidates: Element[];
  try {
    candidates = [...doc.querySelectorAll(':popover-open, dialog:modal, :fullscreen')];
  } catch {
    candidates = [...doc.querySelectorAll('[popover], dialog[open]')];
  }
  return candidates.some((el) => el !== host && intersects(el.getBoundingClientRect(), rect));
}

/**
 * Why a fill must not happen now, as a sentence for the offer to show, or null when it may. `now` is
 * `performance.now()`.
 */
export function fillRefusal(offer: OfferGeometry, now: number): string | null {
  const { field, host, frame } = offer;
  const doc = field.ownerDocument;
  if (!field.isConnected || !host.isConnected) return 'The field is gone. Click it again.';
  if (!host.matches(':popover-open')) return 'The offer is closed.';
  const active = deepActiveElement(doc);
  if (active !== field && active !== host) return 'The field no longer has focus. Click it again.';
  if (field.disabled || field.readOnly || !isVisible(field)) return 'The field is hidden. Click it again.';
  if (now - offer.shownAt < MIN_VISIBLE_MS) return 'The offer just appeared. Press Enter again.';
  const rect = field.getBoundingClientRect();
  const at = documentRect(field);
  const was = offer.fieldRect;
  if (
    Math.abs(at.left - was.left) > MOVE_TOLERANCE_PX ||
    Math.abs(at.top - was.top) > MOVE_TOLERANCE_PX ||
    Math.abs(at.width - was.width) > MOVE_TOLERANCE_PX ||
    Math.abs(at.height - was.height) > MOVE_TOLERANCE_PX
  ) {
    return 'The field moved. Click it again.';
  }
  for (const [what, el] of [
    ['field', field],
    ['offer', host],
    ['offer', frame],
  ] as const) {
    const why = styleRefusal(el);
    if (why) return `Spare will not fill: the ${what} is not plainly visible (${why}).`;
  }
  const hostRect = host.getBoundingClientRect();
  const frameRect = frame.getBoundingClientRect();
  if (
    frameRect.width < 0.9 * hostRect.width ||
    frameRect.height < 0.9 * hostRect.height ||
    hostRect.width < 40
  )
    return 'Spare will not fill: the offer is squeezed or transformed.';
  if (coveringTopLayer(doc, host, hostRect)) return 'Spare will not fill: something covers the offer.';
  return withAllPointerEvents(doc, () => {
    if (!hits(doc, centre(hostRect), host)) return 'Spare will not fill: something covers the offer.';
    if (!hits(doc, centre(rect), field, true)) return 'Spare will not fill: something covers the field.';
    return null;
  });
}
