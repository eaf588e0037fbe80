/**
 * Issue 9, the account list and Add account, mounted as in the popup with a fake platform: the current site's
 * account first with a Copy button, Add account prefilled with the page's site, the duplicate offer, errors that
 * go when their field changes, the one-line site-access notice, and where focus goes.
 */
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, test, vi } from 'vitest';
import App from '../../../src/popup/App.svelte';
import type { PageRequest } from '../../../src/messaging';
import { accountFixture, fakePlatform, summaryOf, type FakePlatform } from './support';

const GITHUB = accountFixture('gh', 'github.com', ['1111 1111', '2222 2222', '3333 3333'], 'alice');
const EXAMPLE = accountFixture('ex', 'example.com', ['4444 4444', '5555 5555']);
const ZULU = accountFixture('zz', 'zulu.org', ['6666 6666']);

function listPlatform(
  options: { url?: string | null; locked?: boolean; granted?: boolean; noVault?: boolean } = {},
): FakePlatform {
  const accounts = [EXAMPLE, GITHUB, ZULU];
  let locked = options.locked ?? false;
  let noVault = options.noVault ?? false;
  const answer = (request: PageRequest): unknown => {
    switch (request.type) {
      case 'status':
        return { state: noVault ? 'no-vault' : locked ? 'locked' : 'unlocked' };
      case 'create-vault':
        noVault = false;
        return { state: 'unlocked' };
      case 'unlock':
        locked = false;
        return { state: 'unlocked' };
      case 'list-accounts':
        return accounts.map(summaryOf);
      case 'unreadable-accounts':
        return { count: 0 };
      case 'accounts-for-url':
        // The background's matching (src/core/domain); the fake knows one page.
        return request.url.startsWith('https://github.com/') ? [summaryOf(GITHUB)] : [];
      case 'get-account':
        return accounts.find((a) => a.id === request.accountId);
      case 'code-copied':
        return { clearAfterMs: 30_000, checksFirst: false };
      case 'add-account':
        return { ...accountFixture('new', request.account.site, ['7777 7777']), codes: [] };
      case 'add-codes':
        return { account: GITHUB, added: request.codes.length };
      default:
        throw new Error(`unexpected request ${request.type}`);
    }
  };
  return fakePlatform(answer, { url: options.url ?? null, granted: options.granted ?? false });
}

let mounted: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
  vi.restoreAllMocks();
});

// Lazy screens compile on first use: on a loaded 2-core machine that alone can take over a second.
const SCREEN_TIMEOUT = { timeout: 10_000 };

async function until<T>(find: () => T | null | undefined | false, what: string): Promise<T> {
  let found: T | null | undefined | false;
  await vi.waitFor(() => {
    flushSync();
    found = find();
    if (!found) throw new Error(`waiting for ${what}`);
  }, SCREEN_TIMEOUT);
  return found as T;
}

function open(fake: FakePlatform): HTMLElement {
  const target = document.createElement('div');
  document.body.append(target);
  mounted = mount(App, { target, props: { platform: fake.platform } });
  return target;
}

const rows = (root: HTMLElement) => Array.from(root.querySelectorAll<HTMLLIElement>('ul.accounts li'));
const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
const byName = (root: HTMLElement, name: string) =>
  Array.from(root.querySelectorAll('button')).find(
    (b) => (b.getAttribute('aria-label') ?? text(b)) === name,
  ) ?? null;

async function list(root: HTMLElement): Promise<HTMLLIElement[]> {
  await until(() => rows(root).length === 3, 'the list');
  return rows(root);
}

function type(field: HTMLInputElement | HTMLTextAreaElement, value: string) {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

async function openAdd(root: HTMLElement): Promise<HTMLFormElement> {
  await list(root);
  byName(root, 'Add account')!.click();
  return until(() => root.querySelector<HTMLFormElement>('form[aria-labelledby="add-title"]'), 'Add account');
}

const field = <T extends HTMLElement = HTMLInputElement>(root: HTMLElement, id: string) =>
  root.querySelector<T>(`#${id}`)!;

describe('the current site first', () => {
  test('the page’s account sits at the top with a Copy button that copies its next unused code', async () => {
    const fake = listPlatform({ url: 'https://github.com/sessions/two-factor' });
    const writeText = vi.fn(async (_: string) => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const root = open(fake);
    const [first, ...others] = await list(root);
    expect(text(first)).toContain('github.com');
    expect(text(first)).toContain('2 of 3 left');
    expect(others.map((li) => text(li.querySelector('.site')))).toEqual(['example.com', 'zulu.org']);
    expect(others.some((li) => li.querySelector('button.copy'))).toBe(false);

    const copy = byName(root, 'Copy the next code for alice on github.com')!;
    expect(text(copy)).toBe('Copy');
    expect(copy.closest('li')).toBe(first);
    copy.click();
    await until(() => text(copy) === 'Copied', 'the feedback on the button');
    // The first code is used: the next unused one is copied, and the background is told its ids only.
    expect(writeText).toHaveBeenCalledWith('2222 2222');
    expect(fake.requests).toContainEqual({ type: 'code-copied', accountId: 'gh', codeId: 'gh-c1' });
    expect(text(root.querySelector('.screen [role="status"]'))).toMatch(/^Code 2 copied\./);
  });

  test('without a page the list is alphabetical and has no Copy button', async () => {
    const root = open(listPlatform({ url: null }));
    const items = await list(root);
    expect(items.map((li) => text(li.querySelector('.site')))).toEqual([
      'example.com',
      'github.com',
      'zulu.org',
    ]);
    expect(root.querySelector('button.copy')).toBeNull();
  });

  test('on a site with no account, Add account opens with the Website filled in', async () => {
    const root = open(listPlatform({ url: 'https://www.instagram.com/accounts/login/two_factor' }));
    await openAdd(root);
    await until(() => field(root, 'add-site').value === 'instagram.com', 'the site filled in');
  });

  test('a page no account could match fills in nothing', async () => {
    const root = open(listPlatform({ url: 'http://203.0.113.5/login' }));
    await openAdd(root);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(field(root, 'add-site').value).toBe('');
  });
});

describe('duplicate accounts', () => {
  test('the same site and name offers to add the codes to the existing account instead', async () => {
    const fake = listPlatform({ granted: true });
    const root = open(fake);
    await openAdd(root);
    type(field(root, 'add-site'), 'https://github.com/login');
    type(field(root, 'add-label'), 'Alice');
    type(field<HTMLTextAreaElement>(root, 'add-codes'), '8888 8888\n9999 9999');
    byName(root, 'Save')!.click();
    flushSync();
    await until(() => byName(root, 'Add these codes to alice on github.com'), 'the offer');
    expect(text(root.querySelector('.duplicate'))).toContain('alice on github.com is already in Spare.');
    expect(byName(root, 'Save')).toBeNull();
    expect(fake.requests.some((r) => r.type === 'add-account')).toBe(false);

    // Cancel goes back to the form, nothing saved.
    byName(root, 'Cancel')!.click();
    flushSync();
    expect(root.querySelector('.duplicate')).toBeNull();
    byName(root, 'Save')!.click();
    flushSync();
    (await until(() => byName(root, 'Add these codes to alice on github.com'), 'the offer again')).click();
    await until(() => rows(root).length === 3, 'back on the list');
    expect(fake.requests).toContainEqual({
      type: 'add-codes',
      accountId: 'gh',
      codes: [{ value: '8888 8888' }, { value: '9999 9999' }],
    });
    expect(fake.requests.some((r) => r.type === 'add-account')).toBe(false);
    expect(text(root.querySelector('.notice'))).toContain('Added 2 codes to alice on github.com.');
  });

  test('another name on the same site is a new account', async () => {
    const fake = listPlatform({ granted: true });
    const root = open(fake);
    await openAdd(root);
    type(field(root, 'add-site'), 'github.com');
    type(field(root, 'add-label'), 'bob');
    type(field<HTMLTextAreaElement>(root, 'add-codes'), '8888 8888');
    byName(root, 'Save')!.click();
    await until(() => fake.requests.some((r) => r.type === 'add-account'), 'add-account');
    expect(root.querySelector('.duplicate')).toBeNull();
  });
});

describe('errors go when their field changes', () => {
  test('"not a website address" and its aria-invalid go once the Website changes', async () => {
    const root = open(listPlatform());
    await openAdd(root);
    const site = field(root, 'add-site');
    type(site, 'not a site');
    type(field<HTMLTextAreaElement>(root, 'add-codes'), '1234 5678');
    byName(root, 'Save')!.click();
    flushSync();
    expect(text(root.querySelector('#add-site-error'))).toContain('is not a website address');
    expect(site.getAttribute('aria-invalid')).toBe('true');
    expect(site.getAttribute('aria-describedby')).toBe('add-site-error');
    type(site, 'https://www.github.com');
    expect(root.querySelector('#add-site-error')).toBeNull();
    expect(site.hasAttribute('aria-invalid')).toBe(false);
    // The helper text that replaces it is tied to the field.
    expect(site.getAttribute('aria-describedby')).toBe('add-site-hint');
    expect(text(root.querySelector('#add-site-hint'))).toBe('Saved as github.com.');
  });

  test('"No backup codes found" does not stay above "2 codes found"', async () => {
    const root = open(listPlatform());
    await openAdd(root);
    type(field(root, 'add-site'), 'example.org');
    const codes = field<HTMLTextAreaElement>(root, 'add-codes');
    type(codes, 'hello');
    byName(root, 'Save')!.click();
    flushSync();
    expect(text(root.querySelector('#add-codes-error'))).toContain('No backup codes found');
    expect(codes.getAttribute('aria-invalid')).toBe('true');
    type(codes, '1234 5678\n2345 6789');
    expect(root.textContent).not.toContain('No backup codes found');
    expect(codes.hasAttribute('aria-invalid')).toBe(false);
    expect(text(root.querySelector('#add-preview'))).toContain('2 codes found');
    expect(codes.getAttribute('aria-describedby')).toBe('add-preview');
  });

  test('helper texts are tied to their fields and to Save', async () => {
    const root = open(listPlatform());
    await openAdd(root);
    expect(field(root, 'add-label').getAttribute('aria-describedby')).toBe('add-label-hint');
    expect(field(root, 'add-file').getAttribute('aria-describedby')).toBe('add-file-hint');
    expect(byName(root, 'Save')!.getAttribute('aria-describedby')).toBe('add-save-hint');
    for (const id of ['add-label-hint', 'add-file-hint', 'add-save-hint']) {
      expect(root.querySelector(`#${id}`), id).not.toBeNull();
    }
  });
});

describe('the site-access notice', () => {
  test('is one line with a Grant button that asks for the site inside the click', async () => {
    const fake = listPlatform({ granted: false });
    const root = open(fake);
    await openAdd(root);
    type(field(root, 'add-site'), 'example.org');
    type(field<HTMLTextAreaElement>(root, 'add-codes'), '1234 5678');
    byName(root, 'Save')!.click();
    const notice = await until(() => root.querySelector<HTMLElement>('.notice.one-line'), 'the notice');
    expect(text(notice.querySelector('span'))).toBe('Saved; no access to example.org yet');
    const grant = byName(root, 'Grant Spare access to example.org')!;
    expect(text(grant)).toBe('Grant');
    fake.requestOrigins.mockClear();
    fake.requestOrigins.mockResolvedValueOnce(true);
    grant.click();
    // Synchronously in the click: the browser shows its prompt only during the user's gesture.
    expect(fake.requestOrigins).toHaveBeenCalledWith(['https://example.org/*', 'https://*.example.org/*']);
    await until(
      () => text(root.querySelector('.notice')).includes('Spare will offer codes on example.org.'),
      'granted',
    );
  });
});

describe('focus', () => {
  test('after unlock it goes to Search', async () => {
    const root = open(listPlatform({ locked: true }));
    const password = await until(() => root.querySelector<HTMLInputElement>('#unlock-password'), 'unlock');
    type(password, 'secret');
    root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await list(root);
    await until(() => document.activeElement?.id === 'search', 'focus on Search');
  });

  test('after creating the vault it goes to Search', async () => {
    const root = open(listPlatform({ noVault: true }));
    const password = await until(() => root.querySelector<HTMLInputElement>('#create-password'), 'create');
    type(password, 'amber-kettle-horizon-88-quartz');
    type(root.querySelector<HTMLInputElement>('#create-confirm')!, 'amber-kettle-horizon-88-quartz');
    root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await list(root);
    await until(() => document.activeElement?.id === 'search', 'focus on Search');
  });

  test('"← All accounts" comes back to the row the user opened', async () => {
    const root = open(listPlatform());
    const [, second] = await list(root);
    second!.querySelector('button')!.click();
    const back = await until(() => byName(root, '← All accounts'), 'the account screen');
    back.click();
    await list(root);
    await until(
      () => (document.activeElement as HTMLElement | null)?.dataset?.account === 'gh',
      'focus on the github.com row',
    );
  });

  test('Add account starts in its first field; Escape goes back to the list, to the Add account button', async () => {
    const root = open(listPlatform());
    await openAdd(root);
    await until(() => document.activeElement?.id === 'add-site', 'focus on Website');
    document.activeElement!.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }),
    );
    await list(root);
    await until(() => document.activeElement === byName(root, 'Add account'), 'focus on Add account');
  });

  test('Escape in the duplicate question only closes the question', async () => {
    const root = open(listPlatform());
    await openAdd(root);
    type(field(root, 'add-site'), 'example.com');
    type(field<HTMLTextAreaElement>(root, 'add-codes'), '1234 5678');
    byName(root, 'Save')!.click();
    const addTo = await until(() => byName(root, 'Add these codes to example.com'), 'the offer');
    addTo.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
    flushSync();
    expect(root.querySelector('.duplicate')).toBeNull();
    expect(root.querySelector('#add-site')).not.toBeNull();
  });
});
