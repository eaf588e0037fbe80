/**
 * Copying a code, and taking it back out of the clipboard 30 s later (design §1 story 5).
 *
 * Limits, by design of the platform: the timer lives in the popup, so closing the popup before 30 s leaves
 * the code on the clipboard; and without the `clipboardRead` permission Spare cannot check that the
 * clipboard still holds the code, so it then clears whatever is there (only after a copy from Spare, and
 * only if nothing else was copied inside the popup since).
 */
export const CLIPBOARD_CLEAR_MS = 30_000;

export interface ClipboardLike {
  writeText(text: string): Promise<void>;
  readText?(): Promise<string>;
}

export interface ClipboardDeps {
  clipboard: ClipboardLike;
  /** Whether reading the clipboard works without a prompt. */
  canRead: () => Promise<boolean>;
  setTimer: (run: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
}

export class ExpiringClipboard {
  private pending: unknown = null;

  constructor(private readonly deps: ClipboardDeps) {}

  /** Copies `text` and schedules its removal; a newer copy replaces the older one's timer. */
  async copy(text: string): Promise<void> {
    await this.deps.clipboard.writeText(text);
    this.cancel();
    this.pending = this.deps.setTimer(() => {
      this.pending = null;
      void this.clearIfStill(text);
    }, CLIPBOARD_CLEAR_MS);
  }

  /** Something else was copied: leave the clipboard alone. */
  cancel(): void {
    if (this.pending !== null) this.deps.clearTimer(this.pending);
    this.pending = null;
  }

  get waiting(): boolean {
    return this.pending !== null;
  }

  private async clearIfStill(text: string): Promise<void> {
    try {
      if (this.deps.clipboard.readText && (await this.deps.canRead())) {
        if ((await this.deps.clipboard.readText()) !== text) return;
      }
      await this.deps.clipboard.writeText('');
    } catch {
      // The page lost focus or the browser refused: nothing more the popup can do.
    }
  }
}

async function clipboardReadGranted(): Promise<boolean> {
  try {
    const status = await navigator.permissions.query({ name: 'clipboard-read' as PermissionName });
    return status.state === 'granted';
  } catch {
    // Firefox does not know this permission name.
    return false;
  }
}

let shared: ExpiringClipboard | null = null;

/** The popup's one clipboard; copying anything else in the popup cancels the pending clear. */
export function popupClipboard(): ExpiringClipboard {
  if (!shared) {
    const clipboard = new ExpiringClipboard({
      clipboard: navigator.clipboard,
      canRead: clipboardReadGranted,
      setTimer: (run, ms) => setTimeout(run, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    });
    document.addEventListener('copy', () => clipboard.cancel());
    document.addEventListener('cut', () => clipboard.cancel());
    shared = clipboard;
  }
  return shared;
}
