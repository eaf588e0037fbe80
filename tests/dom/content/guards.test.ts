import { beforeEach, expect, test } from 'vitest';
import { documentRect, fillRefusal, MIN_VISIBLE_MS, type OfferGeometry } from '../../../src/content/guards';

let offer: OfferGeometry;

beforeEach(() => {
  // Tests style the page; each starts from an unstyled one.
  document.body.removeAttribute('style');
  document.documentElement.removeAttribute('style');
  document.body.innerHTML = '<label for="f">Backup code</label><input id="f">';
  const field = document.getElementById('f') as HTMLInputElement;
  const host = document.createElement('spare-offer');
  host.setAttribute('popover', 'manual');
  const frame = document.createElement('div') as unknown as HTMLIFrameElement;
  host.attachShadow({ mode: 'closed' }).append(frame);
  document.documentElement.append(host);
  // happy-dom has no popover API: the host answers ':popover-open' while `open` is set.
  let open = true;
  const matches = host.matches.bind(host);
  host.matches = (selector: string) => (selector === ':popover-open' ? open : matches(selector));
  host.hidePopover = () => void (open = false);
  field.focus();
  offer = { field, host, frame, shownAt: 1000, fieldRect: documentRect(field) };
});

// happy-dom has no layout (nor popovers, nor frames), so these cover the checks that do not need one; real browsers run the rest
// (tests/e2e/offer.test.ts: every clickjacking variant).
test('input sooner than half a second after the offer appeared is refused', () => {
  expect(fillRefusal(offer, 1000 + MIN_VISIBLE_MS - 1)).toMatch(/just appeared/);
});

test('a field that lost focus to something else than the offer is refused', () => {
  const other = document.createElement('input');
  document.body.append(other);
  other.focus();
  expect(fillRefusal(offer, 5000)).toMatch(/no longer has focus/);
});

test('a field removed from the page, or a closed offer, is refused', () => {
  offer.host.hidePopover();
  expect(fillRefusal(offer, 5000)).toMatch(/offer is closed/);
  offer.field.remove();
  expect(fillRefusal(offer, 5000)).toMatch(/field is gone/);
});

test('a hidden or disabled field is refused', () => {
  offer.field.style.visibility = 'hidden';
  expect(fillRefusal(offer, 5000)).toMatch(/hidden/);
  offer.field.style.visibility = '';
  offer.field.disabled = true;
  expect(fillRefusal(offer, 5000)).toMatch(/focus|hidden/);
});

test('a transparent ancestor or a hiding filter is refused', () => {
  document.body.style.opacity = '0.05';
  expect(fillRefusal(offer, 5000)).toMatch(/transparent/);
  document.body.style.opacity = '';
  document.body.style.filter = 'opacity(0.1)';
  expect(fillRefusal(offer, 5000)).toMatch(/filter/);
});

test('an offer squeezed or scaled to nothing is refused', () => {
  // happy-dom computes no default opacity (''), which the style check reads as transparent: say it outright.
  const { field, host, frame } = offer;
  for (const el of [field, document.body, document.documentElement, host, frame]) el.style.opacity = '1';
  const rect = (width: number, height: number) => () => new DOMRect(10, 10, width, height);
  host.getBoundingClientRect = rect(320, 120);
  frame.getBoundingClientRect = rect(32, 12);
  expect(fillRefusal(offer, 5000)).toMatch(/squeezed or transformed/);
  // Scaled as a whole (a transform on the host): the frame fills the host, but the host is a speck.
  host.getBoundingClientRect = rect(6, 2);
  frame.getBoundingClientRect = rect(6, 2);
  expect(fillRefusal(offer, 5000)).toMatch(/squeezed or transformed/);
  // Full size passes this check (happy-dom then stops at the hit test, which it cannot do).
  host.getBoundingClientRect = rect(320, 120);
  frame.getBoundingClientRect = rect(320, 120);
  expect(fillRefusal(offer, 5000)).not.toMatch(/squeezed/);
});
