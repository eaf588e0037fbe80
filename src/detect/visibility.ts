/**
 * Is a field something a person can see and type into? Works with real layout (browsers) and without it
 * (happy-dom has no layout: every rect is zero, so rect checks would hide everything there). Honeypots —
 * fields pushed off-screen, shrunk to a pixel or made transparent — count as invisible.
 */

type Field = HTMLInputElement | HTMLTextAreaElement;

const OFFSCREEN_PX = -999;

function hasLayout(doc: Document): boolean {
  const root = doc.documentElement;
  if (!root) return false;
  const rect = root.getBoundingClientRect();
  return rect.width > 0 || rect.height > 0;
}

function styleHides(style: CSSStyleDeclaration): boolean {
  return (
    style.display === 'none' ||
    style.visibility === 'hidden' ||
    style.visibility === 'collapse' ||
    style.opacity === '0' ||
    style.contentVisibility === 'hidden'
  );
}

function styleMovesOffscreen(style: CSSStyleDeclaration): boolean {
  if (style.position !== 'absolute' && style.position !== 'fixed') return false;
  const left = parseFloat(style.left);
  const top = parseFloat(style.top);
  return left <= OFFSCREEN_PX || top <= OFFSCREEN_PX;
}

/** Without layout: walk ancestors (across open shadow roots) and read their computed styles. */
function visibleByStyle(el: Element, view: Window): boolean {
  let node: Element | null = el;
  let depth = 0;
  while (node) {
    if (node.hasAttribute('hidden')) return false;
    const style = view.getComputedStyle(node);
    if (styleHides(style)) return false;
    if (depth < 4 && styleMovesOffscreen(style)) return false;
    const parent: Element | null = node.parentElement;
    if (parent) node = parent;
    else {
      const root = node.getRootNode();
      node = root && 'host' in root ? ((root as ShadowRoot).host ?? null) : null;
    }
    depth++;
  }
  return true;
}

/** With layout: the browser knows best; rects catch honeypots that styles alone hide well. */
function visibleByLayout(el: Element, view: Window): boolean {
  const check = (el as Element & { checkVisibility?: (o: object) => boolean }).checkVisibility;
  if (typeof check === 'function') {
    if (!check.call(el, { checkOpacity: true, checkVisibilityCSS: true, contentVisibilityAuto: false }))
      return false;
  } else if (!visibleByStyle(el, view)) return false;
  const rects = el.getClientRects();
  if (rects.length === 0) return false;
  const rect = el.getBoundingClientRect();
  if (rect.width < 4 || rect.height < 4) return false;
  const right = rect.right + view.scrollX;
  const bottom = rect.bottom + view.scrollY;
  if (right <= 0 || bottom <= 0) return false;
  return !clippedAway(el, view);
}

const CLIP_LEVELS = 8;

/** A collapsed ancestor that clips its overflow ("height: 0; overflow: hidden") hides the field inside it. */
function clippedAway(el: Element, view: Window): boolean {
  let node = el.parentElement;
  for (let level = 0; node && level < CLIP_LEVELS; level++, node = node.parentElement) {
    const rect = node.getBoundingClientRect();
    // Reading the style only for collapsed boxes keeps this cheap: layout is already clean here.
    if (rect.width >= 2 && rect.height >= 2) continue;
    const style = view.getComputedStyle(node);
    if (style.overflow !== 'visible' || style.overflowX !== 'visible' || style.overflowY !== 'visible')
      return true;
  }
  return false;
}

export function isUsable(el: Field): boolean {
  if (el.disabled || el.readOnly) return false;
  // `:disabled` covers a disabled <fieldset> in browsers; the explicit check covers DOMs that skip it.
  if (el.matches(':disabled') || el.closest('fieldset[disabled]')) return false;
  return true;
}

export function isVisible(el: Field): boolean {
  if (!el.isConnected) return false;
  const doc = el.ownerDocument;
  const view = doc.defaultView;
  if (!view) return false;
  return hasLayout(doc) ? visibleByLayout(el, view) : visibleByStyle(el, view);
}
