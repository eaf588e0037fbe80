export interface AccessibleQuery {
  role?: 'button' | 'textbox' | 'listitem' | 'heading' | 'link' | 'alert' | 'status' | 'checkbox' | 'dialog';
  /** The accessible name (or, for list items, alerts and status, the text content). */
  name: string;
  /** Match the name exactly (default) or as a substring. */
  exact?: boolean;
}

/**
 * Finds the first visible element with the given role and accessible name. It runs inside the page, so
 * it must stay self-contained (no imports, no closures): the tests ship it as source text.
 * It implements the parts of the accessible-name computation Spare's UI relies on: aria-labelledby,
 * aria-label, <label for> and wrapping labels, and text content for buttons, links and list items.
 */
export function findByRoleAndName(query: AccessibleQuery): Element | null {
  const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
  const roleOf = (el: Element): string | null => {
    const explicit = el.getAttribute('role');
    if (explicit) return explicit;
    const tag = el.tagName.toLowerCase();
    if (tag === 'button') return 'button';
    if (tag === 'a' && el.hasAttribute('href')) return 'link';
    if (tag === 'li') return 'listitem';
    if (/^h[1-6]$/.test(tag)) return 'heading';
    if (tag === 'textarea') return 'textbox';
    if (tag === 'input') {
      const type = (el.getAttribute('type') ?? 'text').toLowerCase();
      if (type === 'checkbox') return 'checkbox';
      if (['button', 'submit', 'reset'].includes(type)) return 'button';
      if (['text', 'password', 'search', 'email', 'tel', 'url', 'number'].includes(type)) return 'textbox';
    }
    return null;
  };
  const nameOf = (el: Element): string => {
    const labelledBy = el.getAttribute('aria-labelledby');
    if (labelledBy) {
      return squash(
        labelledBy
          .split(/\s+/)
          .map((id) => el.ownerDocument.getElementById(id)?.textContent ?? '')
          .join(' '),
      );
    }
    const ariaLabel = el.getAttribute('aria-label');
    if (ariaLabel) return squash(ariaLabel);
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
      const labels = el.labels ? Array.from(el.labels) : [];
      if (labels.length > 0) return squash(labels.map((l) => l.textContent).join(' '));
      if (el instanceof HTMLInputElement && ['button', 'submit'].includes(el.type)) return squash(el.value);
      return '';
    }
    // innerText follows rendering, so it is empty for list items the popup lets the browser skip
    // (content-visibility: auto, below the fold); their text nodes still name them.
    const rendered = (el as HTMLElement).innerText;
    if (rendered?.trim()) return squash(rendered);
    const parts: string[] = [];
    const walker = el.ownerDocument.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) parts.push(walker.currentNode.nodeValue ?? '');
    return squash(parts.join(' '));
  };
  const visible = (el: Element) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const wanted = squash(query.name);
  for (const el of Array.from(document.querySelectorAll('*'))) {
    if (query.role && roleOf(el) !== query.role) continue;
    if (!query.role && roleOf(el) === null) continue;
    const name = nameOf(el);
    const matches = query.exact === false ? name.includes(wanted) : name === wanted;
    if (matches && visible(el)) return el;
  }
  return null;
}
