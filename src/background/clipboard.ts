/**
 * Clearing a copied code from the clipboard (design §1 story 5). The popup copies (it has the user's click);
 * the background owns the clear, because the popup can close at any moment: 30 s after the copy, or at once
 * when the vault locks, whichever comes first.
 *
 * Timing. An MV3 service worker (or Firefox event page) may be stopped once it has been idle for about 30 s,
 * which is just when the clear is due, and a stopped worker takes its timers with it. So the pending clear is
 * kept in `storage.session` and armed twice: a timer, exact while the worker lives, and an alarm at the same
 * deadline that wakes a stopped worker (Chrome runs no alarm sooner than 30 s after it is set; that is never
 * later than the release deadline). A worker that starts with a clear overdue does it at once. Whichever
 * fires first clears; the others find nothing left to do.
 *
 * Reading. Clearing only what is still the code needs reading the clipboard, which the optional
 * `clipboardRead` permission allows. Without it Spare empties the clipboard whatever it holds, and the popup
 * says so. With it, a clipboard that holds anything else, or cannot be read, is left alone.
 *
 * Where. Firefox's event page writes the clipboard itself (`clipboardWrite`, no user gesture needed). Chrome's
 * service worker has no clipboard: an offscreen document (reason CLIPBOARD) does it with `execCommand`, which
 * needs `clipboardWrite` for the copy and `clipboardRead` for the paste; it is opened per clear and closed
 * after.
 */
import { browser, type Browser } from 'wxt/browser';
import {
  clearClipboard,
  fingerprintOf,
  type ClearOutcome,
  type ClipboardFingerprint,
  type ClipboardIo,
} from '../core/clipboard';
import { sendOffscreenCommand, type ClipboardClearPlan } from '../messaging';

export const CLIPBOARD_CLEAR_MS = 30_000;
export const CLIPBOARD_ALARM = 'spare-clipboard-clear';
const PENDING_KEY = 'spare.clipboardClear';
/** Chrome delays any alarm set for sooner than this. */
const MIN_ALARM_DELAY_MS = 30_000;
/** E2e builds only: tests shorten the delay with this `storage.local` key instead of waiting 30 s. */
export const E2E_DELAY_KEY = 'spare.e2e.clipboardClearMs';

interface PendingClear extends ClipboardFingerprint {
  /** Epoch milliseconds. */
  deadline: number;
}

export interface ClipboardClearDeps {
  /** Empties the system clipboard; with a fingerprint, only while it holds that text. */
  clear: (onlyIf: ClipboardFingerprint | null) => Promise<ClearOutcome>;
  /** Whether Spare may read the clipboard now. */
  canRead: () => Promise<boolean>;
  delayMs?: () => Promise<number>;
  now?: () => number;
}

export class ClipboardClear {
  private readonly now: () => number;
  private readonly delayMs: () => Promise<number>;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** One operation at a time: a copy, a clear and a lock never interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: ClipboardClearDeps) {
    this.now = deps.now ?? (() => Date.now());
    this.delayMs = deps.delayMs ?? (async () => CLIPBOARD_CLEAR_MS);
  }

  /** The popup copied `code`: clear it when the delay is over. A newer copy replaces an older one. */
  schedule(code: string): Promise<ClipboardClearPlan> {
    return this.exclusive(async () => {
      const delay = await this.delayMs();
      const pending: PendingClear = { ...(await fingerprintOf(code)), deadline: this.now() + delay };
      await browser.storage.session.set({ [PENDING_KEY]: pending });
      this.arm(pending.deadline);
      return { clearAfterMs: delay, checksFirst: await this.deps.canRead() };
    });
  }

  /** The vault locked: clear a pending copy now, not at its deadline. */
  clearNow(): Promise<void> {
    return this.exclusive(async () => {
      const pending = await this.pending();
      if (pending) await this.clear(pending);
    });
  }

  /** On start-up, on the alarm and on the timer: clear an overdue copy, or re-arm the timer for one to come. */
  resume(): Promise<void> {
    return this.exclusive(async () => {
      const pending = await this.pending();
      if (!pending) return;
      if (pending.deadline <= this.now()) await this.clear(pending);
      else this.arm(pending.deadline);
    });
  }

  private arm(deadline: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.resume();
      },
      Math.max(0, deadline - this.now()),
    );
    void browser.alarms.create(CLIPBOARD_ALARM, {
      when: Math.max(deadline, this.now() + MIN_ALARM_DELAY_MS),
    });
  }

  private async clear(pending: PendingClear): Promise<void> {
    try {
      const onlyIf = (await this.deps.canRead()) ? { salt: pending.salt, digest: pending.digest } : null;
      await this.deps.clear(onlyIf);
    } catch (error) {
      console.error('Spare: clearing the clipboard failed', error);
    } finally {
      // Done or failed, the fingerprint goes: it must not outlive this clear, nor the lock that asked for it.
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      await browser.alarms.clear(CLIPBOARD_ALARM);
      await browser.storage.session.remove(PENDING_KEY);
    }
  }

  private async pending(): Promise<PendingClear | null> {
    const value = (await browser.storage.session.get(PENDING_KEY))[PENDING_KEY] as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const { deadline, salt, digest } = value as Partial<PendingClear>;
    if (typeof deadline !== 'number' || typeof salt !== 'string' || typeof digest !== 'string') return null;
    return { deadline, salt, digest };
  }

  private exclusive<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

export const CLIPBOARD_READ: Browser.permissions.Permissions = { permissions: ['clipboardRead'] };

export function clipboardReadGranted(): Promise<boolean> {
  return Promise.resolve(browser.permissions.contains(CLIPBOARD_READ)).catch(() => false);
}

/** The event page's own clipboard (Firefox: allowed by `clipboardWrite` / `clipboardRead`). */
const navigatorClipboard: ClipboardIo = {
  readText: () => navigator.clipboard.readText(),
  writeText: (text) => navigator.clipboard.writeText(text),
};

const OFFSCREEN_PATH = '/offscreen.html';

/** Chrome: runs one command in a fresh offscreen document and closes it again. */
async function clearInOffscreenDocument(onlyIf: ClipboardFingerprint | null): Promise<ClearOutcome> {
  const offscreen = browser.offscreen;
  if (!(await offscreen.hasDocument())) {
    await offscreen.createDocument({
      url: OFFSCREEN_PATH,
      reasons: ['CLIPBOARD'],
      justification: 'Clear a copied backup code from the clipboard.',
    });
  }
  try {
    return await sendOffscreenCommand({ type: 'background:clear-clipboard', onlyIf });
  } finally {
    await offscreen.closeDocument().catch(() => undefined);
  }
}

/** How this browser's background clears the clipboard. */
export function systemClipboardClear(): (onlyIf: ClipboardFingerprint | null) => Promise<ClearOutcome> {
  // Chrome has the offscreen API and no clipboard in the worker; Firefox's event page has a clipboard.
  if ('offscreen' in browser && browser.offscreen) return clearInOffscreenDocument;
  return (onlyIf) => clearClipboard(navigatorClipboard, onlyIf);
}

/** The delay, which only an e2e build lets a test shorten. */
export async function clipboardClearDelay(): Promise<number> {
  if (import.meta.env.MODE === 'e2e') {
    const value = (await browser.storage.local.get(E2E_DELAY_KEY))[E2E_DELAY_KEY];
    if (typeof value === 'number' && value > 0) return value;
  }
  return CLIPBOARD_CLEAR_MS;
}
