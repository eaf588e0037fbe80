/**
 * The lazy part of the content script, run in a frame when one of its text fields first gets focus
 * (src/content/index.ts). It classifies the focused field, opens the offer for a backup-code field (or shows
 * the key icon in a one-time-code field), performs the fill the background sends after a gesture inside the
 * offer, and crosses the code off when the page submits it, or gives it back when the page is left.
 *
 * It never receives a code it did not ask for, never posts to the page, and performs every fill through
 * `fillCode` after `fillRefusal` said yes.
 */
import { browser } from 'wxt/browser';
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { classify, type Detection } from '../detect';
import {
  parseContentCommand,
  sendContentRequest,
  type CommandResult,
  type ContentCommand,
  type FieldKind,
} from '../messaging';
import { deliverUntilHeard } from './deliver';
import { deepActiveElement, isTextField, type CodeField } from './fields';
import { fillCode, sameCode } from './fill';
import { documentRect, fillRefusal, type DocumentRect } from './guards';
import { showFieldIcon, showOfferFrame, type FieldIcon, type OfferFrame } from './offer-host';
import { isSubmitOf } from './submit';

declare global {
  // Set by offer-runtime.js in the content scripts' isolated world (never the page's), called by the eager
  // script with the text field whose focus woke it.
  var spareOfferRuntime: ((first: CodeField) => void) | undefined;
}

/**
 * Starts the runtime: WXT's content-script context (a newer instance in the same frame ends an older one),
 * every focus of a text field from now on, and the one that woke the eager script.
 */
export function registerOfferRuntime(): void {
  globalThis.spareOfferRuntime = (first) => {
    const ctx = new ContentScriptContext('content-script', { noScriptStartedPostMessage: true });
    if (import.meta.env.MODE === 'e2e') {
      // Test builds only (compiled out of release builds): lets e2e tests see that the registered script
      // woke on a focus and the runtime started. Not in the eager script, whose cost per page is measured.
      document.documentElement.dataset.spareE2eContentScript = 'running';
      ctx.onInvalidated(() => delete document.documentElement.dataset.spareE2eContentScript);
    }
    const controller = new OfferController(ctx);
    // The target at document level is retargeted to a shadow host: the path's first entry is the field.
    ctx.addEventListener(
      document,
      'focusin',
      (event) => {
        const target = event.composedPath()[0];
        if (isTextField(target)) controller.focus(target);
      },
      { capture: true },
    );
    controller.focus(first);
  };
}

interface OpenOffer {
  nonce: string;
  detection: Detection;
  frame: OfferFrame;
  shownAt: number;
  fieldRect: DocumentRect;
}

/** A code Spare filled and the page has not submitted yet. */
interface Filled {
  detection: Detection;
  field: CodeField;
  value: string;
  accountId: string;
  codeId: string;
}

/**
 * The focused code field Spare may offer for. `nonce` is a fresh one the background issued for it, not yet
 * given to an offer frame: each frame gets its own, because the background binds a nonce to the first frame
 * that uses it.
 */
interface Candidate {
  field: CodeField;
  detection: Detection;
  nonce: string | null;
}

class OfferController {
  private offer: OpenOffer | null = null;
  private candidate: Candidate | null = null;
  /** The user closed the offer (Escape, Close): it stays closed until focus leaves the field or ArrowDown. */
  private dismissed = false;
  private filling = false;
  private icon: FieldIcon | null = null;
  private filled: Filled | null = null;
  /** The field whose focus is being handled, so a slow answer for an older focus is dropped. */
  private pendingFocus: CodeField | null = null;

  constructor(private readonly ctx: ContentScriptContext) {
    const onCommand = (message: unknown, sender: { id?: string; tab?: unknown }) => {
      // Only the background may command: never another content script's tab, never another extension.
      if (sender.id !== browser.runtime.id || sender.tab !== undefined) return undefined;
      const command = parseContentCommand(message);
      return command ? Promise.resolve(this.run(command)) : undefined;
    };
    browser.runtime.onMessage.addListener(onCommand);
    ctx.onInvalidated(() => {
      browser.runtime.onMessage.removeListener(onCommand);
      this.closeOffer();
      this.removeIcon();
    });

    const doc = document;
    ctx.addEventListener(doc, 'keydown', (e) => this.onKeyDown(e as KeyboardEvent), { capture: true });
    ctx.addEventListener(doc, 'focusin', (e) => this.onFocusElsewhere(e), { capture: true });
    ctx.addEventListener(doc, 'pointerdown', (e) => this.onFocusElsewhere(e), { capture: true });
    for (const type of ['submit', 'click'] as const) {
      ctx.addEventListener(doc, type, (e) => this.onMaybeSubmit(e), { capture: true });
    }
    const reposition = () => {
      this.offer?.frame.reposition();
      this.icon?.reposition();
    };
    ctx.addEventListener(window, 'scroll', reposition, { capture: true, passive: true });
    ctx.addEventListener(window, 'resize', reposition, { passive: true });
    // Leaving the page without a submit gives the code back (the background also releases it when the tab
    // closes, and after five minutes).
    ctx.addEventListener(window, 'pagehide', () => this.release());
  }

  /** A text field got focus. */
  focus(element: CodeField): void {
    if (this.filling) return;
    const candidate = this.candidate;
    if (element === candidate?.field) {
      // Focus coming back to the field: the offer reopens for a backup-code field, unless the user closed it
      // or the field holds the code just filled. ArrowDown always brings it back.
      if (
        !this.offer &&
        !this.dismissed &&
        candidate.detection.kind === 'backup-code' &&
        !this.holdsFill(element)
      )
        this.openOffer(candidate);
      return;
    }
    this.dismissed = false;
    this.closeOffer();
    this.removeIcon();
    this.candidate = null;
    const detection = classify(element);
    if (!detection) return;
    const field = detection.element;
    // A field that still holds the code Spare filled needs no second offer until it is submitted or changed.
    if (this.holdsFill(field)) return;
    this.pendingFocus = field;
    void this.ask(detection.kind).then((ticket) => {
      if (!ticket || this.pendingFocus !== field || deepActiveElement(document) !== field) return;
      this.pendingFocus = null;
      this.candidate = { field, detection, nonce: ticket.nonce };
      if (detection.kind === 'backup-code') this.openOffer(this.candidate);
      else this.showIcon(this.candidate);
    });
  }

  private holdsFill(field: CodeField): boolean {
    const filled = this.filled;
    return filled?.field === field && sameCode(currentValue(field, filled.detection), filled.value);
  }

  private async ask(kind: FieldKind) {
    try {
      return await sendContentRequest({ type: 'content:open-offer', kind });
    } catch {
      return null;
    }
  }

  /** Opens the offer for the candidate (asking for a fresh nonce when its own is spent); `focus` moves into it. */
  private openOffer(candidate: Candidate, focus = false): void {
    const nonce = candidate.nonce;
    candidate.nonce = null;
    if (nonce) {
      this.showOffer(candidate.detection, nonce, focus);
      return;
    }
    void this.ask(candidate.detection.kind).then((ticket) => {
      if (ticket && this.candidate === candidate && !this.offer)
        this.showOffer(candidate.detection, ticket.nonce, focus);
    });
  }

  private showOffer(detection: Detection, nonce: string, focus: boolean): void {
    this.closeOffer();
    const field = detection.element;
    const src = `${browser.runtime.getURL('/offer.html')}#${nonce}`;
    const frame = showOfferFrame(field, src, 'Spare: backup codes for this site');
    this.offer = {
      nonce,
      detection,
      frame,
      shownAt: performance.now(),
      fieldRect: documentRect(field),
    };
    if (focus) this.focusOffer(this.offer);
  }

  private showIcon(candidate: Candidate): void {
    this.icon = showFieldIcon(candidate.field, 'Spare: fill a backup code', () => {
      this.openOffer(candidate);
      candidate.field.focus();
    });
  }

  /** Moves the keyboard into the offer, once its frame can take focus. */
  private focusOffer(offer: OpenOffer): void {
    const frame = offer.frame.frame;
    // At once where the browser allows it (Chromium), so that an Enter right behind the ArrowDown already
    // lands in the offer; Firefox ignores a synchronous iframe.focus() inside a keydown handler (design §6).
    frame.focus();
    this.ctx.setTimeout(() => frame.focus(), 0);
    // A frame that takes focus while still loading hands it to its new document only when focused anew.
    frame.addEventListener(
      'load',
      () => {
        if (this.offer !== offer || deepActiveElement(document) !== offer.frame.host) return;
        frame.blur();
        frame.focus();
      },
      { once: true },
    );
  }

  private closeOffer(refocus = false): void {
    const offer = this.offer;
    if (!offer) return;
    this.offer = null;
    offer.frame.remove();
    if (refocus) offer.detection.element.focus();
  }

  private removeIcon(): void {
    this.icon?.remove();
    this.icon = null;
  }

  private onKeyDown(event: KeyboardEvent): void {
    this.onMaybeSubmit(event);
    const candidate = this.candidate;
    if (!candidate || event.composedPath()[0] !== candidate.field) return;
    if (event.key === 'ArrowDown' && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      this.dismissed = false;
      if (this.offer) this.focusOffer(this.offer);
      else this.openOffer(candidate, true);
    } else if (event.key === 'Escape' && this.offer) {
      this.dismissed = true;
      this.closeOffer();
    }
  }

  /** Focus or a press anywhere but the field, the offer and the icon closes the offer. */
  private onFocusElsewhere(event: Event): void {
    if (!this.candidate) return;
    const path = event.composedPath();
    const ours = [this.candidate.field, this.offer?.frame.host, this.icon?.host];
    if (path.some((node) => ours.includes(node as never))) return;
    this.closeOffer();
    if (event.type === 'focusin') {
      this.removeIcon();
      this.candidate = null;
      this.dismissed = false;
    }
  }

  private run(command: ContentCommand): CommandResult {
    const offer = this.offer;
    if (command.type === 'background:close-offer') {
      if (offer?.nonce === command.nonce) {
        this.dismissed = true;
        this.closeOffer(true);
      }
      return { ok: true };
    }
    if (!offer || offer.nonce !== command.nonce) {
      return { ok: false, reason: 'This offer is no longer open. Click the field again.' };
    }
    const refusal = fillRefusal(
      {
        field: offer.detection.element,
        host: offer.frame.host,
        frame: offer.frame.frame,
        shownAt: offer.shownAt,
        fieldRect: offer.fieldRect,
      },
      performance.now(),
    );
    if (refusal) return { ok: false, reason: refusal };
    if (command.type === 'background:check-fill') return { ok: true };

    this.closeOffer();
    this.release();
    // fillCode focuses the field (each box of a group in turn): those focus events must not reopen the offer.
    this.filling = true;
    let value: string;
    try {
      value = fillCode(offer.detection, command.code);
    } finally {
      this.filling = false;
    }
    const field = offer.detection.element;
    this.filled = {
      detection: offer.detection,
      field,
      value,
      accountId: command.accountId,
      codeId: command.codeId,
    };
    field.focus();
    return { ok: true };
  }

  private onMaybeSubmit(event: Event): void {
    const filled = this.filled;
    if (!filled || !event.isTrusted || !isSubmitOf(event, filled.field)) return;
    this.filled = null;
    // A field the user cleared or retyped no longer holds Spare's code: that code goes back to unused.
    const value = currentValue(filled.field, filled.detection);
    const request = sameCode(value, filled.value) ? 'content:confirm' : 'content:release';
    this.deliver(request, filled);
  }

  /** A code's outcome must reach the background even if its service worker stops meanwhile. */
  private deliver(type: 'content:confirm' | 'content:release', filled: Filled): void {
    const { accountId, codeId } = filled;
    const wait = (ms: number) => new Promise<void>((resolve) => this.ctx.setTimeout(resolve, ms));
    void deliverUntilHeard(() => sendContentRequest({ type, accountId, codeId }), wait);
  }

  /** Gives back a filled code that was never submitted. */
  private release(): void {
    const filled = this.filled;
    if (!filled) return;
    this.filled = null;
    this.deliver('content:release', filled);
  }
}

/** The code as the page holds it: a group of one-character boxes reads as one value. */
function currentValue(field: CodeField, detection: Detection): string {
  return detection.group ? detection.group.map((box) => box.value).join('') : field.value;
}
