import { classify } from './classify';
import type { Detection, DetectorHints } from './types';

const MAX_NESTING = 6;

function scanInto(
  root: Document | ShadowRoot,
  hints: DetectorHints | undefined,
  out: Detection[],
  depth: number,
): void {
  const fields = root.querySelectorAll('input, textarea');
  for (let i = 0; i < fields.length; i++) {
    const detection = classify(fields[i]!, hints);
    if (detection) out.push(detection);
  }
  if (depth >= MAX_NESTING) return;
  // Open shadow roots can hang off any element, so every element is asked; reading `shadowRoot` is cheap.
  const all = root.querySelectorAll('*');
  for (let i = 0; i < all.length; i++) {
    const shadow = all[i]!.shadowRoot;
    if (shadow) scanInto(shadow, hints, out, depth + 1);
  }
  const frames = root.querySelectorAll('iframe, frame');
  for (let i = 0; i < frames.length; i++) {
    let doc: Document | null;
    try {
      // Null, or a SecurityError in some engines, for cross-origin frames: those are not ours to read.
      doc = (frames[i] as HTMLIFrameElement).contentDocument;
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
