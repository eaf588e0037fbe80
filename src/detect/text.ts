/** Text helpers with fixed work limits: the detector must never walk a whole page (design §5). */

export function normaliseText(text: string): string {
  // Lowercasing Turkish "İ" leaves a combining dot (U+0307) that would split the word: drop it.
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\u0307/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "user[otp_attempt]" → "user otp attempt"; "recoveryCode" → "recovery code". ASCII words only. */
export function normaliseIdent(ident: string): string {
  return ident
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .toLowerCase()
    .trim();
}

/** Shortens text for a reason string, centred on the part that matched. */
export function excerpt(text: string, at = 0, max = 60): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const start = Math.max(0, Math.min(at - Math.floor(max / 3), clean.length - max));
  return (
    (start > 0 ? '…' : '') + clean.slice(start, start + max).trim() + (start + max < clean.length ? '…' : '')
  );
}

const SKIPPED = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'SVG',
  'SELECT',
  'OPTION',
  'TEXTAREA',
  'IFRAME',
]);
const ACTIONS = new Set(['A', 'BUTTON', 'SUMMARY']);

export interface TextBudget {
  nodes: number;
  chars: number;
}

export interface CollectedText {
  /** Prose: paragraphs, labels, headings, submit-button captions. */
  prose: string[];
  /** Links and non-submit buttons: usually "use a recovery code instead", i.e. another method. */
  actions: string[];
  /** Headings and legends, also included in prose. */
  headings: string[];
}

function isSubmitControl(el: Element): boolean {
  if (el.tagName === 'BUTTON') {
    const type = (el.getAttribute('type') ?? 'submit').toLowerCase();
    return type === 'submit';
  }
  return false;
}

/**
 * Visible-ish text of `node` and its subtree, in document order, until the budget runs out. Text inside
 * links and non-submit buttons goes to `actions`; submit-button captions ("Submit recovery code") describe
 * the form's own field and count as prose. Form fields contribute nothing (their values are user data).
 */
export function collectText(node: Node, out: CollectedText, budget: TextBudget, inAction = false): void {
  if (budget.nodes <= 0 || budget.chars <= 0) return;
  budget.nodes--;
  if (node.nodeType === 3) {
    const value = node.nodeValue ?? '';
    if (!value.trim()) return;
    const text = value.length > budget.chars ? value.slice(0, budget.chars) : value;
    budget.chars -= text.length;
    (inAction ? out.actions : out.prose).push(text);
    return;
  }
  if (node.nodeType !== 1) return;
  const el = node as Element;
  const tag = el.tagName.toUpperCase();
  if (SKIPPED.has(tag) || el.hasAttribute('hidden')) return;
  if (tag === 'INPUT') {
    const type = (el.getAttribute('type') ?? '').toLowerCase();
    if (type === 'submit' || type === 'button') {
      const caption = el.getAttribute('value') ?? '';
      if (caption) (type === 'submit' && !inAction ? out.prose : out.actions).push(caption);
    }
    return;
  }
  if (tag === 'IMG') {
    const alt = el.getAttribute('alt');
    if (alt) out.prose.push(alt);
    return;
  }
  const action =
    inAction || (ACTIONS.has(tag) && !isSubmitControl(el)) || el.getAttribute('role') === 'button';
  const isHeading = /^H[1-6]$/.test(tag) || tag === 'LEGEND';
  if (isHeading) {
    const before = out.prose.length;
    for (let child = el.firstChild; child; child = child.nextSibling) collectText(child, out, budget, action);
    out.headings.push(out.prose.slice(before).join(' '));
    return;
  }
  for (let child = el.firstChild; child; child = child.nextSibling) collectText(child, out, budget, action);
}

export function newCollected(): CollectedText {
  return { prose: [], actions: [], headings: [] };
}
