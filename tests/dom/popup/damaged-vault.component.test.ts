/**
 * Issue 8, finding 2: the account list says how many accounts could not be read (records the background set
 * aside because they are damaged), pluralised, above the list; nothing when every record was read. The unlock
 * screen does not blame the password for damage it can tell apart, and admits what it cannot.
 */
import { flushSync, mount, unmount } from 'svelte';
import { afterEach, describe, expect, test, vi } from 'vitest';
import App from '../../../src/popup/App.svelte';
import { leftOutText, unreadableText } from '../../../src/popup/lib/accounts';
import { SpareError } from '../../../src/core/errors';
import type { AccountSummary } from '../../../src/core/vault/model';
import type { PageRequest } from '../../../src/messaging';
import type { PopupPlatform } from '../../../src/popup/platform';

const summary = (id: string, site: string): AccountSummary => ({
  id,
  site,
  left: 10,
  total: 10,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

/** An unlocked vault with these readable accounts and `unreadable` damaged records set aside. */
function platform(accounts: AccountSummary[], unreadable: number): PopupPlatform {
  const answers: Partial<Record<PageRequest['type'], unknown>> = {
    status: { state: 'unlocked' },
    'list-accounts': accounts,
    'unreadable-accounts': { count: unreadable },
  };
  return {
    request: (async (request: PageRequest) => {
      if (!(request.type in answers)) throw new Error(`unexpected request ${request.type}`);
      return answers[request.type];
    }) as PopupPlatform['request'],
    requestOrigins: async () => false,
    requestClipboardRead: async () => false,
    hasOrigins: async () => false,
    onVaultLocked: () => () => undefined,
  };
}

let mounted: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
});

// The popup's screens load with import(), compiled on first use: on a loaded 2-core CI machine that alone can
// take more than vi.waitFor's default second.
const SCREEN_TIMEOUT = { timeout: 10_000 };

async function openPopup(accounts: AccountSummary[], unreadable: number): Promise<HTMLElement> {
  const target = document.createElement('div');
  document.body.append(target);
  mounted = mount(App, { target, props: { platform: platform(accounts, unreadable) } });
  // The list screen loads lazily: wait until its accounts (or its empty state) are on screen.
  await vi.waitFor(() => {
    flushSync();
    if (!target.querySelector('ul.accounts li, .no-accounts, .unreadable')) throw new Error('list not shown');
  }, SCREEN_TIMEOUT);
  await vi.waitFor(() => {
    flushSync();
    if (target.querySelector('[aria-busy="true"]')) throw new Error('still loading');
  }, SCREEN_TIMEOUT);
  return target;
}

const squash = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
const statusTexts = (root: HTMLElement) =>
  Array.from(root.querySelectorAll('[role="status"]'), (el) => squash(el.textContent));

describe('the account list', () => {
  test('says "1 account could not be read" above the accounts it could read', async () => {
    const root = await openPopup([summary('a', 'github.com'), summary('b', 'instagram.com')], 1);
    const [message] = statusTexts(root).filter((t) => t.includes('could not be read'));
    expect(message).toMatch(/^1 account could not be read: /);
    expect(message).toContain('leaves it out of backups');
    expect(root.querySelectorAll('ul.accounts li')).toHaveLength(2);
    // Shown before the list, where it is seen without scrolling.
    const note = root.querySelector('.unreadable')!;
    const list = root.querySelector('ul.accounts')!;
    expect(note.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  test('pluralises: "3 accounts could not be read"', async () => {
    const root = await openPopup([summary('a', 'github.com')], 3);
    expect(statusTexts(root).some((t) => t.startsWith('3 accounts could not be read: '))).toBe(true);
  });

  test('when no account could be read, it does not pretend the vault is empty', async () => {
    const root = await openPopup([], 2);
    expect(statusTexts(root).some((t) => t.startsWith('2 accounts could not be read'))).toBe(true);
    expect(root.textContent).not.toContain('No accounts yet');
  });

  test('says nothing when every account was read', async () => {
    const root = await openPopup([summary('a', 'github.com')], 0);
    expect(root.querySelector('.unreadable')).toBeNull();
    expect(root.textContent).not.toContain('could not be read');
  });
});

test('the wording after an export', () => {
  expect(unreadableText(1)).toBe('1 account could not be read');
  expect(unreadableText(2)).toBe('2 accounts could not be read');
  expect(leftOutText(1)).toBe('1 account could not be read and was left out.');
  expect(leftOutText(3)).toBe('3 accounts could not be read and were left out.');
});

describe('the unlock screen', () => {
  async function lockedPopup(failure: SpareError): Promise<HTMLElement> {
    const target = document.createElement('div');
    document.body.append(target);
    const platform: PopupPlatform = {
      request: (async (request: PageRequest) => {
        if (request.type === 'status') return { state: 'locked' };
        if (request.type === 'unlock') throw failure;
        throw new Error(`unexpected request ${request.type}`);
      }) as PopupPlatform['request'],
      requestOrigins: async () => false,
      requestClipboardRead: async () => false,
      hasOrigins: async () => false,
      onVaultLocked: () => () => undefined,
    };
    mounted = mount(App, { target, props: { platform } });
    await vi.waitFor(() => {
      flushSync();
      if (!target.querySelector('#unlock-password')) throw new Error('no unlock screen');
    }, SCREEN_TIMEOUT);
    return target;
  }

  async function submit(root: HTMLElement, password: string): Promise<string> {
    const input = root.querySelector<HTMLInputElement>('#unlock-password')!;
    input.value = password;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    let text = '';
    await vi.waitFor(() => {
      flushSync();
      text = squash(root.querySelector('[role="alert"]')?.textContent);
      if (!text || root.querySelector('[aria-busy="true"]')) throw new Error('no answer yet');
    }, SCREEN_TIMEOUT);
    return text;
  }

  test('a damaged key check is reported as damage, never as a wrong password', async () => {
    const root = await lockedPopup(new SpareError('vault-damaged', 'the background’s English'));
    // Issue 9: the popup says it in its own (translated) words, chosen by the error code.
    expect(await submit(root, 'the right password')).toBe(
      'Your password is right, but Spare cannot open this vault: it is damaged. Nothing was changed; an ' +
        'exported backup file, if you have one, still holds your codes.',
    );
  });

  test('a wrong password says so; when a retry fails too, it admits the header may be damaged', async () => {
    const root = await lockedPopup(new SpareError('wrong-password', 'Wrong password.'));
    expect(await submit(root, 'first try')).toBe('Wrong password. Try again.');
    const second = await submit(root, 'second try');
    expect(second).toMatch(
      /^Wrong password again\. If you are sure it is right, the vault’s header may be damaged/,
    );
  });
});
