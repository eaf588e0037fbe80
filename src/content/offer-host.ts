/**
 * The offer's frame in the page (design §3, §4.6): a `<spare-offer popover="manual">` host with a closed
 * shadow root holding an iframe of the extension's `offer.html`. The page sees only the host element; the
 * nonce in the frame's URL stays inside the closed root. The top layer keeps the page's own elements from
 * drawing over it, however high their z-index.
 *
 * The one-time-code icon uses the same kind of host, with a button instead of the frame.
 */
import type { CodeField } from './fields';

export const OFFER_WIDTH = 320;
export const OFFER_HEIGHT = 176;
const GAP = 4;
const ICON_SIZE = 22;

/** Inline and !important: the page's style sheets may style the host element, but cannot move it. */
function place(host: HTMLElement, left: number, top: number, width: number, height: number): void {
  host.setAttribute(
    'style',
    [
      'position:fixed',
      'inset:auto',
      `left:${Math.round(left)}px`,
      `top:${Math.round(top)}px`,
      `width:${width}px`,
      `height:${height}px`,
      'margin:0',
      'padding:0',
      'border:0',
      'background:transparent',
      'overflow:visible',
      'opacity:1',
      'transform:none',
      'filter:none',
      'display:block',
    ]
      .map((rule) => `${rule} !important`)
      .join(';'),
  );
}

/** Takes a host out of the top layer and the page. */
function removeHost(host: HTMLElement): void {
  if (host.matches(':popover-open')) host.hidePopover();
  host.remove();
}

/** Places a host, puts it in the top layer, and answers what both hosts give their caller. */
function mount(host: HTMLElement, reposition: () => void) {
  reposition();
  document.documentElement.append(host);
  host.showPopover();
  return { host, reposition, remove: () => removeHost(host) };
}

function newHost(tag: string): { host: HTMLElement; root: ShadowRoot } {
  const host = document.createElement(tag);
  host.setAttribute('popover', 'manual');
  const root = host.attachShadow({ mode: 'closed' });
  return { host, root };
}

export interface OfferFrame {
  host: HTMLElement;
  frame: HTMLIFrameElement;
  reposition(): void;
  remove(): void;
}

/** Below the field when it fits in the viewport, else above it; never over the field itself. */
function offerPosition(field: CodeField): [number, number] {
  const rect = field.getBoundingClientRect();
  const view = field.ownerDocument.defaultView!;
  const left = Math.max(GAP, Math.min(rect.left, view.innerWidth - OFFER_WIDTH - GAP));
  const below = rect.bottom + GAP;
  const above = rect.top - GAP - OFFER_HEIGHT;
  const top = below + OFFER_HEIGHT <= view.innerHeight || above < 0 ? below : above;
  return [left, top];
}

export function showOfferFrame(field: CodeField, src: string, title: string): OfferFrame {
  const { host, root } = newHost('spare-offer');
  const frame = document.createElement('iframe');
  frame.src = src;
  frame.title = title;
  frame.setAttribute(
    'style',
    'display:block;width:100%;height:100%;border:1px solid #8a8f98;border-radius:10px;' +
      'box-shadow:0 6px 24px rgba(0,0,0,.22);background:Canvas;color-scheme:light dark',
  );
  root.append(frame);
  return { frame, ...mount(host, () => place(host, ...offerPosition(field), OFFER_WIDTH, OFFER_HEIGHT)) };
}

export interface FieldIcon {
  host: HTMLElement;
  reposition(): void;
  remove(): void;
}

/** A small key button at the right end of a one-time-code field: the way to the offer there. */
export function showFieldIcon(field: CodeField, label: string, onActivate: () => void): FieldIcon {
  const { host, root } = newHost('spare-icon');
  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-label', label);
  button.title = label;
  // Drawn, not an emoji: not every system has an emoji font.
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('style', 'display:block;margin:3px');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('fill', '#0f5f57');
  path.setAttribute(
    'd',
    'M7 14a2 2 0 1 1 0-4 2 2 0 0 1 0 4zm5.65-4A6 6 0 1 0 12.65 14H15v3h3v-3h2v-4h-7.35z',
  );
  svg.append(path);
  button.append(svg);
  button.setAttribute(
    'style',
    `all:initial;cursor:pointer;display:block;width:${ICON_SIZE}px;height:${ICON_SIZE}px;` +
      'border-radius:4px;background:#e3f1ef',
  );
  // Keeps the focus in the field: the icon opens the offer beside it, it does not take over the typing.
  button.addEventListener('mousedown', (event) => event.preventDefault());
  button.addEventListener('click', (event) => {
    if (event.isTrusted) onActivate();
  });
  root.append(button);
  return mount(host, () => {
    const rect = field.getBoundingClientRect();
    place(host, rect.right - ICON_SIZE - 6, rect.top + (rect.height - ICON_SIZE) / 2, ICON_SIZE, ICON_SIZE);
  });
}
