/**
 * Issue 10 §3, "Capture codes from this page", mounted as in the popup with a fake platform: the button shows
 * only on a web page; the page's codes show in Add account's preview and are saved as a new account or as the
 * site's account's new set (with the warning that new codes invalidate the old ones); a page without codes and
 * a page the browser forbids each get one sentence and save nothing; the page's text never reaches a message.
 */
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, test } from 'vitest';
import App from '../../../src/popup/App.svelte';
import type { Account } from '../../../src/core/vault/model';
import type { PageRequest } from '../../../src/messaging';
import type { ActiveTabText } from '../../../src/popup/platform';
import {
  alerts,
  button,
  squash,
  until,
  accountFixture,
  fakePlatform,
  summaryOf,
  type FakePlatform,
} from './support';

const OLD_CODES = ['11111-aaaaa', '22222-bbbbb', '33333-ccccc'];
const NEW_CODES = ['a1b2c-3d4e5', 'f6a7b-8c9d0', '0e1f2-a3b4c', '5d6e7-f8091'];
/** Words only the page holds: if they show up in a request, the page's text left the popup. */
const PAGE_ONLY = 'Keep these somewhere safe, marmalade-umbrella.';
const CODES_PAGE = `Account settings\nYour new recovery codes\n${PAGE_ONLY}\n${NEW_CODES.join('\nCopy\n')}\nCopy\nDownload`;

const ALICE = accountFixture('gh-alice', 'github.com', OLD_CODES, 'alice');
const BOB = accountFixture('gh-bob', 'github.com', ['44444-ddddd', '55555-eeeee'], 'bob');

function capturePlatform(options: {
  url: string | null;
  page?: ActiveTabText;
  accounts?: Account[];
}): FakePlatform {
  const accounts = options.accounts ?? [];
  const answer = (request: PageRequest): unknown => {
    switch (request.type) {
      case 'status':
        return { state: 'unlocked' };
      case 'list-accounts':
        return accounts.map(summaryOf);
      case 'unreadable-accounts':
        return { count: 0 };
      case 'take-copy-questions':
        return [];
      case 'accounts-for-url':
        // The background's matching; the fake knows github.com's pages.
        return new URL(request.url).hostname.endsWith('github.com')
          ? accounts.filter((a) => a.site === 'github.com').map(summaryOf)
          : [];
      case 'get-account':
        return accounts.find((a) => a.id === request.accountId);
      case 'add-account':
        return accountFixture(
          'new',
          request.account.site,
          request.account.codes.map((c) => c.value),
        );
      case 'replace-codes': {
        const old = accounts.find((a) => a.id === request.accountId)!;
        return {
          ...old,
          codes: accountFixture(
            old.id,
            old.site,
            request.codes.map((c) => c.value),
          ).codes,
        };
      }
      default:
        throw new Error(`unexpected request ${request.type}`);
    }
  };
  return fakePlatform(answer, {
    url: options.url,
    granted: true,
    page: options.page ?? { kind: 'forbidden' },
  });
}

let mounted: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
});

async function openList(fake: FakePlatform): Promise<HTMLElement> {
  const root = document.createElement('div');
  document.body.append(root);
  mounted = mount(App, { target: root, props: { platform: fake.platform } });
  await until(() => button(root, 'Add account'), 'the list');
  // The list has asked for the current site once its accounts arrived.
  await until(() => fake.requests.some((r) => r.type === 'list-accounts'), 'the list’s request');
  await new Promise((r) => setTimeout(r, 20));
  flushSync();
  return root;
}

async function capture(fake: FakePlatform): Promise<HTMLElement> {
  const root = await openList(fake);
  const start = await until(() => button(root, 'Capture codes from this page'), 'the capture button');
  start.click();
  await until(() => root.querySelector('#capture-title'), 'the capture screen');
  await until(() => !root.querySelector('[aria-busy="true"]'), 'the page read');
  return root;
}

const previewCodes = (root: ParentNode) =>
  Array.from(root.querySelectorAll('#capture-preview li code'), (code) => code.textContent);

describe('Capture codes from this page', () => {
  test('the button shows on a web page only, and is a keyboard-reachable button', async () => {
    const shown = await openList(capturePlatform({ url: 'https://github.com/settings/auth/recovery-codes' }));
    const start = button(shown, 'Capture codes from this page');
    expect(start?.type).toBe('button');
    expect(start?.tabIndex).toBe(0);
    unmount(mounted!);
    mounted = null;
    document.body.replaceChildren();

    for (const url of ['chrome://extensions/', 'about:addons', 'moz-extension://abc/popup.html', null]) {
      const root = await openList(capturePlatform({ url }));
      expect(button(root, 'Capture codes from this page'), String(url)).toBeUndefined();
      unmount(mounted!);
      mounted = null;
      document.body.replaceChildren();
    }
  });

  test('a site with an account: the preview, the warning, and Replace codes replaces that account’s set', async () => {
    const fake = capturePlatform({
      url: 'https://github.com/settings/auth/recovery-codes',
      page: { kind: 'text', text: CODES_PAGE, fromSelection: false },
      accounts: [ALICE, BOB],
    });
    const root = await capture(fake);

    expect(previewCodes(root)).toEqual(NEW_CODES);
    // The same preview as a paste in Add account: the summary and the site's format checks.
    expect(squash(root.querySelector('#capture-preview')?.textContent)).toContain('4 codes found');
    expect(squash(root.querySelector('#capture-regenerated')?.textContent)).toBe(
      '⚠ Generating new codes at a site invalidates the old ones, so these replace the codes Spare holds for it.',
    );
    const radios = Array.from(root.querySelectorAll<HTMLInputElement>('input[name="capture-target"]'));
    expect(radios.map((r) => squash(r.parentElement?.textContent))).toEqual([
      'Replace the codes of alice on github.com',
      'Replace the codes of bob on github.com',
      'As a new account',
    ]);
    expect(radios[0]!.checked).toBe(true);
    expect(document.activeElement).toBe(radios[0]);
    expect(squash(root.querySelector('#capture-discard')?.textContent)).toBe(
      '2 unused codes of alice on github.com will be discarded.',
    );

    // Choosing bob: his one unused code is what goes.
    radios[1]!.click();
    flushSync();
    expect(squash(root.querySelector('#capture-discard')?.textContent)).toBe(
      '1 unused code of bob on github.com will be discarded.',
    );
    radios[0]!.click();
    flushSync();

    button(root, 'Replace codes')!.click();
    await until(() => button(root, 'Add account'), 'back on the list');
    const replaced = fake.requests.find((r) => r.type === 'replace-codes');
    expect(replaced).toEqual({
      type: 'replace-codes',
      accountId: 'gh-alice',
      codes: NEW_CODES.map((value) => ({ value })),
    });
    expect(fake.requests.some((r) => r.type === 'add-account')).toBe(false);
    expect(squash(root.querySelector('.notice')?.textContent)).toContain(
      'Replaced the codes of alice on github.com: 4 new codes.',
    );
    // The page's text went to the parser only.
    expect(JSON.stringify(fake.requests)).not.toContain('marmalade');
  });

  test('a site without an account: saved as a new account with the page’s site and the name asked', async () => {
    const fake = capturePlatform({
      url: 'https://accounts.example.co.uk/security/2fa?step=codes',
      page: { kind: 'text', text: `${NEW_CODES[0]}\n${NEW_CODES[1]}`, fromSelection: true },
    });
    const root = await capture(fake);
    expect(squash(root.textContent)).toContain('Codes in your selection on example.co.uk:');
    expect(previewCodes(root)).toEqual(NEW_CODES.slice(0, 2));
    expect(root.querySelector('#capture-regenerated')).toBeNull();
    const name = root.querySelector<HTMLInputElement>('#capture-label')!;
    expect(document.activeElement).toBe(name);
    name.value = 'alice';
    name.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();

    button(root, 'Save')!.click();
    // Asked inside the click, before any await: the browser shows the prompt only during the gesture.
    expect(fake.requestOrigins).toHaveBeenCalledWith([
      'https://example.co.uk/*',
      'https://*.example.co.uk/*',
    ]);
    await until(() => button(root, 'Add account'), 'back on the list');
    expect(fake.requests.find((r) => r.type === 'add-account')).toEqual({
      type: 'add-account',
      account: {
        site: 'example.co.uk',
        label: 'alice',
        codes: NEW_CODES.slice(0, 2).map((value) => ({ value })),
      },
    });
    expect(squash(root.querySelector('.notice')?.textContent)).toContain('Saved 2 codes for example.co.uk.');
  });

  test('"As a new account" with the name of the site’s account says so and saves nothing', async () => {
    const fake = capturePlatform({
      url: 'https://github.com/settings/auth/recovery-codes',
      page: { kind: 'text', text: CODES_PAGE, fromSelection: false },
      accounts: [ALICE],
    });
    const root = await capture(fake);
    root.querySelector<HTMLInputElement>('input[name="capture-target"][value="new"]')!.click();
    flushSync();
    const name = root.querySelector<HTMLInputElement>('#capture-label')!;
    name.value = 'Alice';
    name.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    button(root, 'Save')!.click();
    flushSync();
    expect(alerts(root)).toEqual(['alice on github.com is already in Spare: choose to replace its codes.']);
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(fake.requests.some((r) => r.type === 'add-account' || r.type === 'replace-codes')).toBe(false);
  });

  test('a page without codes: one sentence, nothing saved; Escape goes back to the Capture button', async () => {
    const fake = capturePlatform({
      url: 'https://github.com/settings/security',
      page: {
        kind: 'text',
        text: 'Two-factor authentication\nEnabled since 2024-03-01.',
        fromSelection: false,
      },
      accounts: [ALICE],
    });
    const root = await capture(fake);
    expect(alerts(root)).toEqual(['No backup codes found on this page. Select the codes and try again.']);
    expect(root.querySelector('#capture-preview')).toBeNull();
    expect(button(root, 'Replace codes')).toBeUndefined();
    expect(fake.requests.some((r) => r.type === 'add-account' || r.type === 'replace-codes')).toBe(false);

    document.body.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }),
    );
    const start = await until(() => button(root, 'Capture codes from this page'), 'back on the list');
    await until(() => document.activeElement === start, 'focus on the Capture button');
  });

  test('a page the browser forbids: one sentence, nothing saved', async () => {
    const fake = capturePlatform({
      url: 'https://chromewebstore.google.com/detail/spare/abc',
      page: { kind: 'forbidden' },
    });
    const root = await capture(fake);
    expect(fake.readActiveTabText).toHaveBeenCalledTimes(1);
    expect(alerts(root)).toEqual([
      'Your browser does not let extensions read this page. Copy the codes and paste them in Add account instead.',
    ]);
    expect(root.querySelector('#capture-preview')).toBeNull();
    expect(fake.requests.some((r) => r.type === 'add-account' || r.type === 'replace-codes')).toBe(false);
  });

  test('a selection without codes, and a page that is no site Spare keeps codes for, each say so', async () => {
    const selected = await capture(
      capturePlatform({
        url: 'https://github.com/settings/security',
        page: { kind: 'text', text: 'Two-factor authentication', fromSelection: true },
      }),
    );
    expect(alerts(selected)).toEqual([
      'No backup codes found in your selection. Select just the codes and try again.',
    ]);
    unmount(mounted!);
    mounted = null;
    document.body.replaceChildren();

    // Plain http on a public address: no account could ever match it (design §4.2).
    const fake = capturePlatform({
      url: 'http://93.184.216.34/recovery-codes',
      page: { kind: 'text', text: NEW_CODES.join('\n'), fromSelection: false },
    });
    const root = await capture(fake);
    expect(alerts(root)).toEqual(['This page is not a website Spare can keep codes for.']);
    expect(fake.requests.some((r) => r.type === 'add-account' || r.type === 'replace-codes')).toBe(false);
  });
});
