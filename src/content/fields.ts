/** Small DOM helpers shared by the eager content script and the offer runtime (no extension APIs). */

export type CodeField = HTMLInputElement | HTMLTextAreaElement;

// What a code can be typed into; the detector decides whether it is a code field.
const TEXT_TYPES = new Set(['text', 'tel', 'number', 'password', '']);

/** An input or textarea a person types text into: the only focus worth waking the detector for. */
export function isTextField(target: unknown): target is CodeField {
  if (!(target instanceof Element)) return false;
  if (target.tagName === 'TEXTAREA') return true;
  if (target.tagName !== 'INPUT') return false;
  const type = (target.getAttribute('type') ?? '').toLowerCase();
  return TEXT_TYPES.has(type);
}

/** The focused element, inside open shadow roots too. */
export function deepActiveElement(doc: Document): Element | null {
  let active = doc.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}
