/**
 * Is the offer plainly visible to the user right now, and has it been for half a second? Chromium answers
 * from inside the frame with IntersectionObserver v2 (`trackVisibility`): it reports the frame as not visible
 * when anything in the embedding page covers it or makes it transparent, filtered or transformed, which is
 * exactly the DOM-clickjacking of 2025. Firefox has no such observer; there the content script's checks
 * (src/content/guards.ts) stand alone, and they run in Chromium too.
 */
import { t } from '../i18n';

const MIN_VISIBLE_MS = 500;

interface VisibilityEntry extends IntersectionObserverEntry {
  isVisible?: boolean;
}

export class VisibilityGuard {
  private supported = false;
  private visibleSince: number | null = null;

  constructor(target: Element) {
    if (!('isVisible' in IntersectionObserverEntry.prototype)) return;
    this.supported = true;
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries as VisibilityEntry[]) {
          if (entry.isVisible) this.visibleSince ??= performance.now();
          else this.visibleSince = null;
        }
      },
      { threshold: [0], trackVisibility: true, delay: 100 } as IntersectionObserverInit,
    );
    observer.observe(target);
  }

  /** Why input must be refused now, or null. */
  refusal(now = performance.now()): string | null {
    if (!this.supported) return null;
    if (this.visibleSince === null) return t('offer.covered');
    if (now - this.visibleSince < MIN_VISIBLE_MS) return t('offer.tooSoon');
    return null;
  }
}
