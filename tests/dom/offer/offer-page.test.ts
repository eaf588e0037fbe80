/**
 * The offer page (src/offer/offer.ts) as it is framed beside a field: what it says for one account, several, few
 * codes left and a locked vault; that every control has a name; its keyboard; and that Unlock opens the popup (or,
 * where the browser will not, a small window). The background is a stand-in that answers `offer:state`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Window } from 'happy-dom';
import { afterEach, beforeEach, expect, test, vi, type Mock } from 'vitest';
import type { OfferState } from '../../../src/messaging';

const fake = vi.hoisted(() => ({
  state: null as unknown,
  requests: [] as { type: string; nonce?: string; accountId?: string }[],
  vaultEvents: [] as ((message: unknown) => void)[],
  openPopup: null as unknown as Mock<(...args: unknown[]) => Promise<unknown>>,
  createWindow: null as unknown as Mock<(...args: unknown[]) => Promise<unknown>>,
}));

vi.mock('wxt/browser', () => ({
  browser: {
    runtime: {
      id: 'spare-test',
      getURL: (path: string) => `chrome-extension://spare-test${path}`,
      sendMessage: async (request: { type: string; nonce?: string; accountId?: string }) => {
        fake.requests.push(request);
        return request.type === 'offer:state' ? { ok: true, value: fake.state } : { ok: true, value: null };
      },
      connect: () => ({ onMessage: { addListener: (l: (m: unknown) => void) => fake.vaultEvents.push(l) } }),
    },
    action: { openPopup: (...args: unknown[]) => fake.openPopup(...args) },
    windows: { create: (...args: unknown[]) => fake.createWindow(...args) },
    storage: { local: { set: async () => undefined } },
  },
}));

const { startOffer } = await import('../../../src/offer/offer');

const html = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), '../../../entrypoints/offer/index.html'),
  'utf8',
);

const unlocked = (accounts: OfferState['accounts'], regenerate?: OfferState['regenerate']): OfferState => ({
  state: 'unlocked',
  site: 'github.com',
  kind: 'backup-code',
  accounts,
  ...(regenerate ? { regenerate } : {}),
});

/** Each test gets a page of its own (the offer's listeners live on its document), as each frame does. */
let page: Window;
let doc: Document;

async function openOffer(state: OfferState): Promise<void> {
  fake.state = state;
  await page?.happyDOM.close();
  page = new Window({ url: 'chrome-extension://spare-test/offer.html#nonce-1' });
  doc = page.document as unknown as Document;
  doc.body.innerHTML = /<body>([\s\S]*)<\/body>/.exec(html)![1]!.replace(/<script[\s\S]*?<\/script>/, '');
  const asked = fake.requests.length;
  startOffer(doc);
  await vi.waitFor(() => expect(fake.requests.length).toBeGreaterThan(asked));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

afterEach(async () => {
  await page?.happyDOM.close();
});

const key = (name: string) =>
  doc.dispatchEvent(new page.KeyboardEvent('keydown', { key: name, bubbles: true }) as unknown as Event);

const text = (id: string) => doc.getElementById(id)!.textContent!.replace(/\s+/g, ' ').trim();
const fillButtons = () => [...doc.querySelectorAll<HTMLButtonElement>('#accounts button.fill')];
/** A control's accessible name as a screen reader gets it here: aria-label, else its text. */
const nameOf = (element: Element) => element.getAttribute('aria-label') ?? element.textContent!.trim();

function trustedClick(element: Element): void {
  // The page acts only on the user's own input; happy-dom marks every dispatched event untrusted.
  const click = new page.MouseEvent('click', { bubbles: true }) as unknown as MouseEvent;
  Object.defineProperty(click, 'isTrusted', { value: true });
  element.dispatchEvent(click);
}

beforeEach(() => {
  fake.requests.length = 0;
  fake.vaultEvents.length = 0;
  fake.openPopup = vi.fn(async (..._args: unknown[]) => undefined as unknown);
  fake.createWindow = vi.fn(async (..._args: unknown[]) => ({}) as unknown);
});

test('one account: the site, "N of M left" and one named Fill button; the request carries its nonce', async () => {
  await openOffer(unlocked([{ id: 'a1', label: 'alice', left: 9, total: 10 }]));
  expect(text('offer-title')).toBe('Backup code for github.com');
  expect(text('status')).toBe('9 of 10 left. Press Enter to fill the next code.');
  expect(fillButtons().map(nameOf)).toEqual(['Fill code for alice']);
  expect(fillButtons()[0]!.getAttribute('aria-describedby')).toBe('count-a1');
  expect(text('count-a1')).toBe('9 of 10 left');
  expect(fake.requests[0]).toEqual({ type: 'offer:state', nonce: 'nonce-1' });
  expect(doc.getElementById('unlock')!.hidden).toBe(true);
});

test('several accounts for the site are listed, each with its count; ArrowDown and ArrowUp move between them', async () => {
  await openOffer(
    unlocked([
      { id: 'a1', label: 'alice', left: 9, total: 10 },
      { id: 'a2', label: 'work', left: 16, total: 16 },
      { id: 'a3', left: 0, total: 10 },
    ]),
  );
  expect(text('status')).toBe('3 accounts. Choose one to fill its next code.');
  expect(fillButtons().map(nameOf)).toEqual([
    'Fill code for alice',
    'Fill code for work',
    'Fill code for github.com',
  ]);
  expect(['count-a1', 'count-a2', 'count-a3'].map(text)).toEqual([
    '9 of 10 left',
    '16 of 16 left',
    'No codes left',
  ]);
  // An account with nothing left cannot be filled from, and the keyboard skips it.
  expect(fillButtons()[2]!.disabled).toBe(true);

  fillButtons()[0]!.focus();
  key('ArrowDown');
  expect(doc.activeElement).toBe(fillButtons()[1]);
  key('ArrowDown');
  expect(doc.activeElement).toBe(fillButtons()[0]);
  key('ArrowUp');
  expect(doc.activeElement).toBe(fillButtons()[1]);
});

test('two codes or fewer: it says so, with the site adapter’s steps and a link to make new ones', async () => {
  await openOffer(
    unlocked([{ id: 'a1', label: 'alice', left: 2, total: 16 }], {
      url: 'https://github.com/settings/auth/recovery-codes',
      steps: 'Settings → Password and authentication → Recovery codes → Generate new recovery codes',
    }),
  );
  const warning = doc.querySelector('#accounts p.low')!;
  expect(warning.textContent).toContain('Only 2 codes left.');
  expect(warning.textContent).toContain(
    'Make new ones at github.com: Settings → Password and authentication → Recovery codes → Generate new recovery codes.',
  );
  const link = warning.querySelector('a')!;
  expect(nameOf(link)).toBe('Open the page');
  expect(link.href).toBe('https://github.com/settings/auth/recovery-codes');
  expect(link.rel).toBe('noopener noreferrer');

  await openOffer(unlocked([{ id: 'a1', label: 'alice', left: 3, total: 16 }]));
  expect(doc.querySelector('#accounts p.low')).toBeNull();
});

test('locked: it names the site, lists nothing and offers Unlock, which opens the popup; an unlock updates it', async () => {
  await openOffer({ state: 'locked', site: 'github.com', kind: 'backup-code', accounts: [] });
  expect(text('status')).toBe('Spare is locked. Unlock it to fill a backup code for github.com.');
  expect(fillButtons()).toEqual([]);
  const unlock = doc.getElementById('unlock')!;
  expect(unlock.hidden).toBe(false);
  expect(nameOf(unlock)).toBe('Unlock Spare');

  // A script's click is not the user's: nothing opens.
  unlock.click();
  expect(fake.openPopup).not.toHaveBeenCalled();
  trustedClick(unlock);
  await vi.waitFor(() => expect(fake.openPopup).toHaveBeenCalledTimes(1));
  expect(fake.createWindow).not.toHaveBeenCalled();

  // Unlocked in the popup: the background's vault event makes the offer ask again and show the account.
  fake.state = unlocked([{ id: 'a1', label: 'alice', left: 9, total: 10 }]);
  for (const listener of fake.vaultEvents) listener({ type: 'background:vault-changed' });
  await vi.waitFor(() => expect(fillButtons().map(nameOf)).toEqual(['Fill code for alice']));
  expect(doc.getElementById('unlock')!.hidden).toBe(true);
});

test('where the browser will not open the popup from here, Unlock opens it in a small window', async () => {
  fake.openPopup = vi.fn(async (..._args: unknown[]): Promise<unknown> => {
    throw new Error('openPopup requires a user gesture');
  });
  await openOffer({ state: 'locked', site: 'github.com', kind: 'backup-code', accounts: [] });
  trustedClick(doc.getElementById('unlock')!);
  await vi.waitFor(() => expect(fake.createWindow).toHaveBeenCalledTimes(1));
  expect(fake.createWindow.mock.calls[0]![0]).toMatchObject({
    url: 'chrome-extension://spare-test/popup.html',
    type: 'popup',
  });
});

test('every control has a name, the status is announced, and Escape or × closes the offer', async () => {
  await openOffer(unlocked([{ id: 'a1', label: 'alice', left: 9, total: 10 }]));
  for (const control of doc.querySelectorAll('button:not([hidden]), a'))
    expect(nameOf(control), control.outerHTML).not.toBe('');
  expect(nameOf(doc.getElementById('close')!)).toBe('Close');
  expect(doc.getElementById('status')!.getAttribute('aria-live')).toBe('polite');
  expect(doc.getElementById('accounts')!.getAttribute('aria-label')).toBe('Accounts');
  expect(doc.title).toBe('Spare: backup codes');

  key('Escape');
  doc.getElementById('close')!.click();
  await vi.waitFor(() =>
    expect(fake.requests.filter((r) => r.type === 'offer:close')).toEqual([
      { type: 'offer:close', nonce: 'nonce-1' },
      { type: 'offer:close', nonce: 'nonce-1' },
    ]),
  );
});
