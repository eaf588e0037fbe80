/**
 * "Capture codes from this page" (issue 10 §3): the function Spare injects into the tab the user clicked on,
 * with `scripting.executeScript` under `activeTab`, to read the text the user sees there. It runs once, in the
 * page's top frame only, when the user asks, and returns only text; it changes nothing in the page and leaves
 * no listener or global behind.
 *
 * It must be self-contained: the browser sends its source to the page, without this module around it. So no
 * imports, no module constants and no named inner functions (a build helper for them would not exist there);
 * `tests/dom/popup/page-text.test.ts` runs it from its source alone.
 *
 * Why not `document.body.innerText`: innerText runs a button's label into the text beside it
 * ("K7M2P9X4QDCopy" when the markup has no space between a code and its Copy button), which would make the
 * label part of a code. Here every block, table cell and control (button, field) is a line or cell of its own,
 * and otherwise it follows innerText: hidden elements, scripts and styles are left out, whitespace collapses
 * except where the page keeps it (`<pre>`), CSS capitals are applied, and open shadow roots and their slots
 * are read as rendered. Values of read-only text fields and textareas count; password fields never do.
 * A selection, when there is one, is read the same way, within the selected ranges only.
 */

/**
 * At most this much text leaves the page: the bound of an imported file (preview.ts), far beyond any page of
 * codes, and well within what the parser takes in a blink.
 */
export const MAX_PAGE_TEXT_CHARS = 1024 * 1024;
/** A page of codes is read in milliseconds; a page built to stall the walk is cut off after this. */
export const MAX_PAGE_TEXT_MS = 2000;

export interface PageText {
  text: string;
  /** True when the text is the user's selection rather than the whole page. */
  fromSelection: boolean;
}

export function readPageText(maxChars: number, maxMs: number): PageText {
  const deadline = performance.now() + maxMs;
  const parts: string[] = [];
  let length = 0;
  const push = (piece: string) => {
    if (length >= maxChars || piece === '') return;
    const kept = piece.slice(0, maxChars - length);
    parts.push(kept);
    length += kept.length;
  };
  const lineBreak = () => push('\n');
  const isControl = (element: Element) =>
    /^(BUTTON|INPUT|TEXTAREA|SUMMARY)$/.test(element.tagName) ||
    /^(button|link|tab|menuitem|switch|checkbox)$/.test(element.getAttribute('role') ?? '');

  /** Walks `root`'s rendered content in order; `range`, when given, limits it to what that range covers. */
  const walk = (root: Node, range: Range | null) => {
    // An explicit stack, not recursion: a deeply nested page must not overflow the call stack.
    const stack: { node: Node; after?: string }[] = [{ node: root }];
    while (stack.length > 0 && length < maxChars && performance.now() <= deadline) {
      const { node, after } = stack.pop()!;
      if (after !== undefined) {
        push(after);
        continue;
      }
      if (range && !range.intersectsNode(node)) continue;
      if (node.nodeType === Node.TEXT_NODE) {
        const parent = node.parentElement;
        if (!parent) continue;
        const style = getComputedStyle(parent);
        if (style.visibility === 'hidden' || style.visibility === 'collapse') continue;
        let data = (node as Text).data;
        if (range && node === range.endContainer) data = data.slice(0, range.endOffset);
        if (range && node === range.startContainer) data = data.slice(range.startOffset);
        const keepsLines = /^pre/.test(style.whiteSpace) || parent.closest('pre') !== null;
        if (!keepsLines) data = data.replace(/[ \t\n\r\f]+/g, ' ');
        // As the user sees it (and innerText reads it): a code shown in capitals is saved in capitals.
        if (style.textTransform === 'uppercase') data = data.toUpperCase();
        else if (style.textTransform === 'lowercase') data = data.toLowerCase();
        push(data);
        continue;
      }
      const children: Node[] = [];
      let close = '';
      if (node.nodeType === Node.ELEMENT_NODE) {
        const element = node as Element;
        if (/^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE|HEAD|TITLE|IFRAME|OBJECT|SELECT|SVG)$/i.test(element.tagName))
          continue;
        const display = getComputedStyle(element).display;
        // An element with display: contents has no box of its own (checkVisibility says false) but shows its
        // children.
        if (display === 'none' || (display !== 'contents' && !element.checkVisibility())) continue;
        if (element.tagName === 'BR') {
          lineBreak();
          continue;
        }
        const field = element as HTMLTextAreaElement | HTMLInputElement;
        // A field's text is its value: a textarea, or a read-only text field (some sites show a code in one).
        // Never a password field, and never a field the user is typing in.
        if (element.tagName === 'TEXTAREA' || (element.tagName === 'INPUT' && field.type === 'text')) {
          if (element.tagName === 'TEXTAREA' || field.readOnly) {
            const start = range ? (field.selectionStart ?? 0) : 0;
            const end = range ? (field.selectionEnd ?? field.value.length) : field.value.length;
            lineBreak();
            push(field.value.slice(start, end));
            lineBreak();
          }
          continue;
        }
        if (element.tagName === 'INPUT') continue;
        const cell = display === 'table-cell';
        const block = !cell && (isControl(element) || !/^(inline|contents|none)/.test(display));
        if (block) lineBreak();
        close = cell ? '\t' : block ? '\n' : '';
        if (element.tagName === 'SLOT')
          children.push(...(element as HTMLSlotElement).assignedNodes({ flatten: true }));
        else children.push(...(element.shadowRoot ?? element).childNodes);
      } else {
        children.push(...node.childNodes);
      }
      if (close) stack.push({ node, after: close });
      for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i]! });
    }
  };

  const selection = getSelection();
  const active = document.activeElement;
  const inField =
    active instanceof HTMLTextAreaElement || (active instanceof HTMLInputElement && active.type === 'text');
  if (inField && active.selectionStart !== null && active.selectionStart !== active.selectionEnd) {
    // A selection inside a field is not in the document's selection.
    push(active.value.slice(active.selectionStart, active.selectionEnd ?? undefined));
  } else if (selection && !selection.isCollapsed) {
    for (let i = 0; i < selection.rangeCount; i++) {
      const range = selection.getRangeAt(i);
      walk(range.commonAncestorContainer, range);
      lineBreak();
    }
  }
  const selected = parts.join('');
  if (selected.trim() !== '') return { text: selected, fromSelection: true };

  parts.length = 0;
  length = 0;
  if (document.body) walk(document.body, null);
  return { text: parts.join(''), fromSelection: false };
}
