import { classify } from './classify';
import type { Detection, DetectorHints } from './types';

const MAX_NESTING = 6;

function scanInto(
  root: Document | ShadowRoot,
  hints: DetectorHints | undefined,
  out: Detection[],
  depth: number,
): void {
  // One selector pass for fields and frames; a second over all elements for open shadow roots, which can hang
  // off any element (reading `shadowRoot` is the cheapest way to find them).
  const found = root.querySelectorAll('input, textarea, iframe, frame');
  const frames: HTMLIFrameElement[] = [];
  for (let i = 0; i < found.length; i++) {
    const el = found[i]!;
    const tag = el.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA') {
      const detection = classify(el, hints);
      if (detection) out.push(detection);
    } else frames.push(el as HTMLIFrameElement);
  }
  if (depth >= MAX_NESTING) return;
  const all = root.querySelectorAll('*');
  for (let i = 0; i < all.length; i++) {
    const shadow = all[i]!.shadowRoot;
    if (shadow) scanInto(shadow, hints, out, depth + 1);
  }
  for (const frame of frames) {
    let doc: Document | null;
    try {
      // Null, or a SecurityError in some engines, for cross-origin frames: those are not ours to read.
      doc = frame.contentDocument;
    } catch {
      doc = null;
    }
    if (doc?.documentElement) scanInto(doc, hints, out, depth + 1);
  }
}

/**
 * Every one-time-code and backup-code field under `root` (default: the current document), including open
 * shadow roots and same-origin frames.
 */
export function scan(root?: Document | ShadowRoot, hints?: DetectorHints): Detection[] {
  const start = root ?? globalThis.document;
  if (!start) return [];
  const out: Detection[] = [];
  scanInto(start, hints, out, 0);
  return out;
}
