/**
 * The eager content script (src/content/index.ts): quiet until a text field gets focus, then it asks the
 * background for the offer runtime once and hands it the field. Every test ends with its listener gone (a woken
 * script, or one whose extension is gone), so the next starts from a page without it.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { bootContentScript } from '../../../src/content';

type Send = (message: unknown) => Promise<unknown>;
let sendMessage: ReturnType<typeof vi.fn<Send>>;
let offerRuntime: ReturnType<typeof vi.fn<(field: Element) => void>>;

function installExtension(send: Send, { orphaned = false } = {}) {
  // An extension reloaded or updated away leaves its old scripts with a runtime that has no id.
  const id = orphaned ? undefined : 'spare-test';
  sendMessage = vi.fn<Send>(send);
  offerRuntime = vi.fn<(field: Element) => void>();
  // Chrome's name; the script takes `browser` only where it has a runtime (Firefox).
  Object.assign(globalThis, { chrome: { runtime: { id, sendMessage } }, spareOfferRuntime: offerRuntime });
}

function focus(html: string, selector: string): HTMLElement {
  const holder = document.createElement('div');
  holder.innerHTML = html;
  document.body.append(holder);
  const element = holder.querySelector<HTMLElement>(selector)!;
  element.focus();
  return element;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  document.body.replaceChildren();
});
afterEach(() => {
  Reflect.deleteProperty(globalThis, 'chrome');
  Reflect.deleteProperty(globalThis, 'spareOfferRuntime');
});

test('quiet on load and on other focus; the first text field wakes it, once', async () => {
  installExtension(async () => ({ ok: true }));
  bootContentScript(false);
  focus('<button>Next</button>', 'button');
  focus('<input type="checkbox">', 'input');
  await settle();
  expect(sendMessage).not.toHaveBeenCalled();

  const field = focus('<input type="text" name="code">', 'input');
  await settle();
  expect(sendMessage.mock.calls).toEqual([[{ type: 'content:load-offer' }]]);
  expect(offerRuntime.mock.calls).toEqual([[field]]);

  // Awake: later focus is the offer runtime's business.
  focus('<textarea></textarea>', 'textarea');
  await settle();
  expect(sendMessage).toHaveBeenCalledTimes(1);
});

test('a field inside an open shadow root wakes it, with that field', async () => {
  installExtension(async () => ({ ok: true }));
  bootContentScript(false);
  const host = document.createElement('div');
  document.body.append(host);
  const shadow = host.attachShadow({ mode: 'open' });
  shadow.innerHTML = '<input type="tel" aria-label="Code">';
  const field = shadow.querySelector('input')!;
  field.focus();
  await settle();
  expect(offerRuntime.mock.calls).toEqual([[field]]);
});

test('a background that cannot answer: it listens again, and the next focus wakes it', async () => {
  installExtension(async () => {
    throw new Error('Could not establish connection. Receiving end does not exist.');
  });
  bootContentScript(false);
  focus('<input>', 'input');
  await settle();
  expect(sendMessage).toHaveBeenCalledTimes(1);

  sendMessage.mockResolvedValue({ ok: true });
  const field = focus('<input type="password">', 'input');
  await settle();
  expect(sendMessage).toHaveBeenCalledTimes(2);
  expect(offerRuntime.mock.calls).toEqual([[field]]);
});

test('a refusal from the background is not a wake either', async () => {
  installExtension(async () => ({ ok: false }));
  bootContentScript(false);
  focus('<input>', 'input');
  await settle();
  expect(offerRuntime).not.toHaveBeenCalled();

  sendMessage.mockResolvedValue({ ok: true });
  focus('<input>', 'input');
  await settle();
  expect(offerRuntime).toHaveBeenCalledTimes(1);
});

test('a field focused before the script came looks only when told to (a tab open when its site was enabled)', async () => {
  installExtension(async () => ({ ok: true }));
  const field = focus('<input type="text">', 'input');
  bootContentScript(false);
  await settle();
  expect(sendMessage).not.toHaveBeenCalled();

  bootContentScript(true);
  await settle();
  expect(offerRuntime.mock.calls).toEqual([[field]]);
});

test('a script whose extension was reloaded away stays quiet for good', async () => {
  installExtension(async () => ({ ok: true }), { orphaned: true });
  bootContentScript(false);
  focus('<input>', 'input');
  await settle();
  focus('<input>', 'input');
  await settle();
  expect(sendMessage).not.toHaveBeenCalled();
});
