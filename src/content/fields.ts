/** Small DOM helpers shared by the eager content script and the offer runtime (no extension APIs). */

export type CodeField = HTMLInputElement | HTMLTextAreaElement;

// What a code can be typed into; the detector decides whether it is a code field. A literal inside the function,
// not a module-level Set: the eager script evaluates this module on every page load (src/content/index.ts).

/** An input or textarea a person types text into: the only focus worth waking the detector for. */
export function isTextField(target: unknown): target is CodeField {
  if (!(target instanceof Element)) return false;
  if (target.tagName === 'TEXTAREA') return true;
  if (target.tagName !== 'INPUT') return false;
  const type = (target.getAttribute('type') ?? '').toLowerCase();
  return /^(?:text|tel|number|password|)$/.test(type);
}

/** The focused element, inside open shadow roots too. */
export function deepActiveElement(doc: Document): Element | null {
  let active = doc.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}
