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
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { classify, type Detection } from '../detect';
import {
  parseContentCommand,
  sendContentRequest,
  type CommandResult,
  type ContentCommand,
  type FieldKind,
} from '../messaging';
import { deepActiveElement, type CodeField } from './fields';
import { fillCode, sameCode } from './fill';
import { fillRefusal } from './guards';
import { showFieldIcon, showOfferFrame, type FieldIcon, type OfferFrame } from './offer-host';
import { isSubmitOf } from './submit';

export interface OfferRuntime {
  /** A text field got focus. */
  focus(field: CodeField): void;
}

declare global {
  // Set by offer-runtime.js in the content scripts' isolated world (never the page's), read by the eager script.
  var spareOfferRuntime: ((ctx: ContentScriptContext) => OfferRuntime) | undefined;
}

export function registerOfferRuntime(): void {
  globalThis.spareOfferRuntime = (ctx) => new OfferController(ctx);
}

interface OpenOffer {
  nonce: string;
  detection: Detection;
  frame: OfferFrame;
  shownAt: number;
  fieldRect: DOMRect;
}

/** A code Spare filled and the page has not submitted yet. */
interface Filled {
  detection: Detection;
  field: CodeField;
  value: string;
  accountId: string;
  codeId: string;
}

class OfferController implements OfferRuntime {
  private offer: OpenOffer | null = null;
  private icon: { field: CodeField; nonce: string; detection: Detection; ui: FieldIcon } | null = null;
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
      this.icon?.ui.reposition();
    };
    ctx.addEventListener(window, 'scroll', reposition, { capture: true, passive: true });
    ctx.addEventListener(window, 'resize', reposition, { passive: true });
    // Leaving the page without a submit gives the code back (the background also releases it when the tab
    // closes, and after five minutes).
    ctx.addEventListener(window, 'pagehide', () => this.release());
  }

  focus(element: CodeField): void {
    if (element === this.offer?.detection.element || element === this.icon?.field) return;
    this.closeOffer();
    this.removeIcon();
    const detection = classify(element);
    if (!detection) return;
    const field = detection.element;
    // A field that still holds the code Spare filled needs no second offer until it is submitted or changed.
    if (this.filled?.field === field && sameCode(currentValue(field, detection), this.filled.value)) return;
    this.pendingFocus = field;
    void this.ask(detection.kind).then((ticket) => {
      if (!ticket || this.pendingFocus !== field || deepActiveElement(document) !== field) return;
      this.pendingFocus = null;
      if (detection.kind === 'backup-code') this.openOffer(detection, ticket.nonce);
      else this.showIcon(detection, ticket.nonce);
    });
  }

  private async ask(kind: FieldKind) {
    try {
      return await sendContentRequest({ type: 'content:open-offer', kind });
    } catch {
      return null;
    }
  }

  private openOffer(detection: Detection, nonce: string): void {
    this.closeOffer();
    const field = detection.element;
    const src = `${browser.runtime.getURL('/offer.html')}#${nonce}`;
    const frame = showOfferFrame(field, src, 'Spare: backup codes for this site');
    this.offer = {
      nonce,
      detection,
      frame,
      shownAt: performance.now(),
      fieldRect: field.getBoundingClientRect(),
    };
  }

  private showIcon(detection: Detection, nonce: string): void {
    const field = detection.element;
    const ui = showFieldIcon(field, 'Spare: fill a backup code', () => {
      this.openOffer(detection, nonce);
      field.focus();
    });
    this.icon = { field, nonce, detection, ui };
  }

  private closeOffer(refocus = false): void {
    const offer = this.offer;
    if (!offer) return;
    this.offer = null;
    offer.frame.remove();
    if (refocus) offer.detection.element.focus();
  }

  private removeIcon(): void {
    this.icon?.ui.remove();
    this.icon = null;
  }

  private onKeyDown(event: KeyboardEvent): void {
    this.onMaybeSubmit(event);
    const target = event.composedPath()[0];
    const offer = this.offer;
    if (event.key === 'ArrowDown' && !event.altKey && !event.ctrlKey && !event.metaKey) {
      if (!offer && this.icon && target === this.icon.field) {
        event.preventDefault();
        this.openOffer(this.icon.detection, this.icon.nonce);
      }
      const open = this.offer;
      if (open && target === open.detection.element) {
        event.preventDefault();
        // Firefox ignores a synchronous iframe.focus() inside a keydown handler (design §6).
        this.ctx.setTimeout(() => open.frame.frame.focus(), 0);
      }
    } else if (event.key === 'Escape' && offer && target === offer.detection.element) {
      this.closeOffer();
    }
  }

  /** Focus or a press anywhere but the field, the offer and the icon closes the offer. */
  private onFocusElsewhere(event: Event): void {
    if (!this.offer && !this.icon) return;
    const path = event.composedPath();
    const ours = [
      this.offer?.detection.element,
      this.offer?.frame.host,
      this.icon?.field,
      this.icon?.ui.host,
    ];
    if (path.some((node) => ours.includes(node as never))) return;
    this.closeOffer();
    if (event.type === 'focusin') this.removeIcon();
  }

  private run(command: ContentCommand): CommandResult {
    const offer = this.offer;
    if (command.type === 'background:close-offer') {
      if (offer?.nonce === command.nonce) this.closeOffer(true);
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
    const value = fillCode(offer.detection, command.code);
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
    void sendContentRequest({ type: request, accountId: filled.accountId, codeId: filled.codeId }).catch(
      () => undefined,
    );
  }

  /** Gives back a filled code that was never submitted. */
  private release(): void {
    const filled = this.filled;
    if (!filled) return;
    this.filled = null;
    void sendContentRequest({
      type: 'content:release',
      accountId: filled.accountId,
      codeId: filled.codeId,
    }).catch(() => undefined);
  }
}

/** The code as the page holds it: a group of one-character boxes reads as one value. */
function currentValue(field: CodeField, detection: Detection): string {
  return detection.group ? detection.group.map((box) => box.value).join('') : field.value;
}
