/**
 * Issue 9, one account's screen: the next code first, copy feedback at the button, "Did you use …?" once on
 * the list, replace asks first, plain wording, what a screen reader hears, no stale errors, Escape and focus.
 * The popup is mounted whole (App) with a fake background that keeps one account in memory.
 */
import { flushSync, mount, tick, unmount } from 'svelte';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import App from '../../../src/popup/App.svelte';
import { PopupApp } from '../../../src/popup/state/app.svelte';
import { SpareError } from '../../../src/core/errors';
import type { Account, Code } from '../../../src/core/vault/model';
import type { CopyQuestion, PageRequest } from '../../../src/messaging';
import type { PopupPlatform } from '../../../src/popup/platform';

const AT = '2026-03-12T09:30:00Z';
const day = (iso: string) =>
  new Intl.DateTimeFormat('en', {
    day: 'numeric',
    month: 'long',
    ...(new Date(iso).getFullYear() === new Date().getFullYear() ? {} : { year: 'numeric' }),
  }).format(Date.parse(iso));

function code(n: number, state: Code['state'] = 'unused', extra: Partial<Code> = {}): Code {
  const value = `${1000 + n} ${5000 + n}`;
  const history: Code['history'] = [{ at: '2026-03-01T10:00:00Z', from: null, to: 'unused', by: 'hand' }];
  if (state === 'used') history.push({ at: AT, from: 'unused', to: 'used', by: 'hand' });
  return { id: `c${n}`, value, state, history, ...(state === 'used' ? { usedAt: AT } : {}), ...extra };
}

function accountWith(codes: Code[]): Account {
  return {
    id: 'acc',
    site: 'instagram.com',
    label: 'alice',
    codes,
    createdAt: '2026-03-01T10:00:00Z',
    updatedAt: '2026-03-01T10:00:00Z',
  };
}

/** A background holding one account, recording every request the popup makes. */
function fakeBackground(initial: Account, questions: CopyQuestion[] = []) {
  let account = structuredClone(initial);
  let pending = questions;
  const requests: PageRequest[] = [];
  const failures: Partial<Record<PageRequest['type'], SpareError>> = {};
  const left = () => account.codes.filter((c) => c.state !== 'used').length;
  const setState = (codeId: string, change: Partial<Code>) => {
    account = {
      ...account,
      codes: account.codes.map((c) => (c.id === codeId ? ({ ...c, ...change } as Code) : c)),
    };
  };
  const answer = async (request: PageRequest): Promise<unknown> => {
    requests.push(request);
    const failure = failures[request.type];
    if (failure) throw failure;
    switch (request.type) {
      case 'status':
        return { state: 'unlocked' };
      case 'list-accounts':
        return [
          {
            id: account.id,
            site: account.site,
            label: account.label,
            left: left(),
            total: account.codes.length,
            createdAt: account.createdAt,
            updatedAt: account.updatedAt,
          },
        ];
      case 'unreadable-accounts':
        return { count: 0 };
      case 'get-account':
        return structuredClone(account);
      case 'code-copied':
        if (account.codes.find((c) => c.id === request.codeId)?.state === 'unused') {
          setState(request.codeId, { state: 'reserved', reservedBy: { origin: 'ext', copied: true } });
        }
        return { clearAfterMs: 30_000, checksFirst: true };
      case 'mark-code':
        setState(request.codeId, request.used ? { state: 'used', usedAt: AT } : { state: 'unused' });
        return structuredClone(account);
      case 'replace-codes':
        account = {
          ...account,
          codes: request.codes.map((c, i) => ({
            id: `n${i}`,
            value: c.value,
            state: 'unused',
            history: [{ at: AT, from: null, to: 'unused', by: 'replace' }],
          })),
          earlierSets: [{ replacedAt: AT, codes: account.codes.map(({ value: _, ...rest }) => rest) }],
        };
        return structuredClone(account);
      case 'update-account':
        return structuredClone(account);
      case 'take-copy-questions': {
        const taken = pending;
        pending = [];
        return taken;
      }
      case 'answer-copy-question':
        setState(request.codeId, request.used ? { state: 'used', usedAt: AT } : { state: 'unused' });
        return { accountId: account.id, left: left(), total: account.codes.length };
      default:
        throw new Error(`unexpected request ${request.type}`);
    }
  };
  const platform: PopupPlatform = {
    request: answer as PopupPlatform['request'],
    requestOrigins: async () => false,
    requestClipboardRead: async () => false,
    hasOrigins: async () => false,
    onVaultLocked: () => () => undefined,
  };
  return { platform, requests, failures, current: () => account };
}

const SCREEN_TIMEOUT = { timeout: 10_000 };
let mounted: ReturnType<typeof mount>[] = [];
let clipboardText = '';

beforeEach(() => {
  clipboardText = '';
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: { writeText: async (text: string) => void (clipboardText = text) },
  });
});
afterEach(() => {
  for (const m of mounted) unmount(m);
  mounted = [];
  document.body.replaceChildren();
});

async function until<T>(find: () => T | null | undefined | false, what: string): Promise<T> {
  let found: T | null | undefined | false = null;
  await vi.waitFor(() => {
    flushSync();
    found = find();
    if (!found) throw new Error(`waiting for ${what}`);
  }, SCREEN_TIMEOUT);
  return found as T;
}

async function openPopup(platform: PopupPlatform) {
  const target = document.createElement('div');
  document.body.append(target);
  const app = new PopupApp(platform);
  mounted.push(mount(App, { target, props: { platform, app } }));
  await until(() => target.querySelector('ul.accounts li'), 'the list');
  return { app, root: target };
}

async function openAccount(initial: Account, questions: CopyQuestion[] = []) {
  const background = fakeBackground(initial, questions);
  const { app, root } = await openPopup(background.platform);
  app.go({ name: 'detail', accountId: initial.id });
  await until(() => root.querySelector('#detail-title'), 'the account screen');
  return { ...background, app, root };
}

const squash = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
const button = (root: HTMLElement, name: string) =>
  Array.from(root.querySelectorAll('button')).find(
    (b) => (b.getAttribute('aria-label') ?? squash(b.textContent)) === name,
  );
const click = async (root: HTMLElement, name: string) => {
  const found = await until(() => button(root, name), `button "${name}"`);
  found.click();
  flushSync();
};
/** What a screen reader reads first for each code's list item. */
const itemLabels = (list: Element | null) =>
  Array.from(list?.querySelectorAll(':scope > li') ?? [], (li) =>
    squash(li.querySelector(':scope > .visually-hidden')?.textContent),
  );

describe('item 1: the next unused code first', () => {
  test('large and first with its Copy button; other unused codes keep their order; used ones collapsed', async () => {
    const { root } = await openAccount(
      accountWith([code(1, 'used'), code(2), code(3, 'used'), code(4), code(5)]),
    );
    const list = root.querySelector('ol.codes')!;
    expect(itemLabels(list)).toEqual(['Code 2, unused', 'Code 4, unused', 'Code 5, unused']);
    const first = list.querySelector('li')!;
    expect(first.classList.contains('next')).toBe(true);
    expect(first.querySelector('button.primary')?.getAttribute('aria-label')).toBe('Copy code 2');
    const used = root.querySelector('details.used-codes')!;
    expect(used.hasAttribute('open')).toBe(false);
    expect(squash(used.querySelector('summary')?.textContent)).toBe('2 used codes');
    expect(itemLabels(used.querySelector('ol'))).toEqual([
      `Code 1, marked used by hand on ${day(AT)}`,
      `Code 3, marked used by hand on ${day(AT)}`,
    ]);
    // Greyed and struck through.
    expect(used.querySelector('ol')!.classList.contains('used-list')).toBe(true);
  });

  test('with no unused code left it says so, once', async () => {
    const { root } = await openAccount(accountWith([code(1, 'used'), code(2, 'used')]));
    expect(root.querySelector('ol.codes:not(.used-list)')).toBeNull();
    expect(root.textContent).toContain('No unused code left.');
  });
});

describe('items 2 and 3: copy shows "Copied" at the button and reserves the code, by id', () => {
  test('the pressed button says Copied, the clipboard plan is beside it, and nothing at the top', async () => {
    const { root, requests, app } = await openAccount(accountWith([code(1), code(2), code(3)]));
    await click(root, 'Copy code 1');
    const pressed = await until(
      () => button(root, 'Copy code 1')?.textContent === 'Copied' && button(root, 'Copy code 1'),
      'Copied',
    );
    const item = pressed.closest('li')!;
    expect(squash(item.querySelector('.hint.copied')?.textContent)).toMatch(/^Code 1 copied\. /);
    expect(app.notice).toBeNull();
    expect(clipboardText).toBe('1001 5001');
    // Ids only: the code never travels to the background.
    const copied = requests.find((r) => r.type === 'code-copied');
    expect(copied).toEqual({ type: 'code-copied', accountId: 'acc', codeId: 'c1' });
    expect(JSON.stringify(requests)).not.toContain('1001 5001');
    // The copied code stays first while the screen is open, now reserved; it still counts as left.
    await until(() => itemLabels(root.querySelector('ol.codes'))[0]?.includes('copied'), 'reserved');
    expect(itemLabels(root.querySelector('ol.codes'))[0]).toBe('Code 1, copied, not yet marked used');
    expect(squash(root.querySelector('.count')?.textContent)).toBe('3 of 3 left');
  });

  test('reopened, the screen offers the next unused code first', async () => {
    const reserved = code(1, 'reserved', { reservedBy: { origin: 'ext', copied: true } });
    const { root, requests } = await openAccount(accountWith([reserved, code(2)]));
    expect(itemLabels(root.querySelector('ol.codes'))).toEqual([
      'Code 2, unused',
      'Code 1, copied, not yet marked used',
    ]);
    // A question skipped on the list can still be settled here, either way.
    expect(button(root, 'Mark used: code 1')).toBeDefined();
    await click(root, 'Mark unused: code 1');
    await until(() => requests.some((r) => r.type === 'mark-code'), 'mark-code');
    expect(requests.find((r) => r.type === 'mark-code')).toMatchObject({ codeId: 'c1', used: false });
  });
});

describe('item 3: "Did you use …?" on the list, once', () => {
  const question: CopyQuestion = {
    accountId: 'acc',
    codeId: 'c1',
    site: 'instagram.com',
    code: '1001 5001',
  };
  const reserved = () =>
    accountWith([code(1, 'reserved', { reservedBy: { origin: 'ext', copied: true } }), code(2)]);
  const asked = (root: HTMLElement) =>
    Array.from(root.querySelectorAll('.question p:first-child'), (p) => squash(p.textContent));

  test('Used marks it used and the list shows the new count; it is not asked again', async () => {
    const background = fakeBackground(reserved(), [question]);
    const { root } = await openPopup(background.platform);
    await until(() => asked(root).length > 0, 'the question');
    expect(asked(root)).toEqual(['Did you use 1001 5001 on instagram.com?']);
    expect(root.querySelector('ul.accounts')?.textContent).toContain('2 of 2 left');
    await click(root, 'Used');
    await until(() => root.querySelector('ul.accounts')?.textContent?.includes('1 of 2 left'), '1 of 2 left');
    expect(background.requests).toContainEqual({
      type: 'answer-copy-question',
      accountId: 'acc',
      codeId: 'c1',
      used: true,
    });
    expect(background.current().codes[0]!.state).toBe('used');
    expect(asked(root)).toEqual([]);
    expect(background.requests.filter((r) => r.type === 'take-copy-questions')).toHaveLength(1);

    // The next popup: the background hands nothing out again.
    for (const m of mounted) unmount(m);
    mounted = [];
    document.body.replaceChildren();
    const again = await openPopup(background.platform);
    await tick();
    flushSync();
    expect(asked(again.root)).toEqual([]);
  });

  test('the question arrives with the list, never above rows already shown (a click aimed at a row would land on it)', async () => {
    const background = fakeBackground(reserved(), [question]);
    const request = background.platform.request;
    // The background answers the question last, well after the list.
    background.platform.request = (async (r: { type: string }) => {
      if (r.type === 'take-copy-questions') await new Promise((resolve) => setTimeout(resolve, 150));
      return request(r as never);
    }) as typeof request;
    // openPopup returns as soon as a row shows: the question must already be there.
    const { root } = await openPopup(background.platform);
    expect(asked(root)).toEqual(['Did you use 1001 5001 on instagram.com?']);
  });

  test('Not used puts it back; Skip just hides it, and it is not asked again in this popup', async () => {
    const background = fakeBackground(reserved(), [
      question,
      { ...question, codeId: 'c2', code: '1002 5002' },
    ]);
    const { root, app } = await openPopup(background.platform);
    await until(() => asked(root).length === 2, 'two questions');
    await click(root, 'Not used');
    await until(() => asked(root).length === 1, 'one question left');
    expect(background.current().codes[0]!.state).toBe('unused');
    const skip = button(root, 'Skip')!;
    expect(root.querySelector(`#${skip.getAttribute('aria-describedby')}`)?.textContent).toContain(
      'not asked again',
    );
    skip.click();
    flushSync();
    expect(asked(root)).toEqual([]);
    // Back to the list from an account: the questions are not fetched again.
    app.go({ name: 'detail', accountId: 'acc' });
    await until(() => root.querySelector('#detail-title'), 'the account');
    app.go({ name: 'main' });
    await until(() => root.querySelector('ul.accounts li'), 'the list');
    expect(background.requests.filter((r) => r.type === 'take-copy-questions')).toHaveLength(1);
    expect(asked(root)).toEqual([]);
  });
});

describe('item 4: Replace codes asks first', () => {
  const fillReplace = async (root: HTMLElement, text: string) => {
    const details = root.querySelector<HTMLDetailsElement>('details:has(#replace-codes)')!;
    details.open = true;
    flushSync();
    const area = root.querySelector<HTMLTextAreaElement>('#replace-codes')!;
    area.value = text;
    area.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    return area;
  };
  const NEW_CODES = '9999 0001\n9999 0002\n9999 0003';

  test('"3 unused codes will be discarded": Cancel changes nothing, confirm replaces', async () => {
    const { root, requests } = await openAccount(accountWith([code(1, 'used'), code(2), code(3), code(4)]));
    await fillReplace(root, NEW_CODES);
    await click(root, 'Replace all codes');
    const question = await until(() => root.querySelector('#replace-question'), 'the question');
    expect(squash(question.querySelector('strong')?.textContent)).toBe('3 unused codes will be discarded.');
    expect(document.activeElement).toBe(question.closest('[role="group"]'));
    await click(root, 'Cancel');
    await until(() => document.activeElement === button(root, 'Replace all codes'), 'focus back');
    expect(requests.some((r) => r.type === 'replace-codes')).toBe(false);

    await click(root, 'Replace all codes');
    await click(root, 'Replace and discard');
    await until(() => requests.some((r) => r.type === 'replace-codes'), 'the replace');
    // The old set's history is still there, under the day it was replaced.
    await until(() => root.textContent?.includes(`Set replaced on ${day(AT)}`), 'the earlier set');
  });

  test('no question when no code is unused', async () => {
    const { root, requests } = await openAccount(accountWith([code(1, 'used'), code(2, 'used')]));
    await fillReplace(root, NEW_CODES);
    await click(root, 'Replace all codes');
    await until(() => requests.some((r) => r.type === 'replace-codes'), 'the replace');
    expect(root.querySelector('#replace-question')).toBeNull();
  });
});

describe('item 5: wording', () => {
  test('no codes left is one sentence', async () => {
    const { root } = await openAccount(accountWith([code(1, 'used'), code(2, 'used')]));
    expect(squash(root.querySelector('.count')?.textContent)).toBe('0 of 2 left — generate new ones.');
  });

  test('the history says what happened: "added", "marked used by hand", not "(by hand)"', async () => {
    const { root } = await openAccount(accountWith([code(1, 'used'), code(2)]));
    const history = squash(root.querySelector('details:has(> summary) ul')?.textContent ?? root.textContent);
    expect(history).toContain('Code 1: marked used by hand');
    expect(history).toContain('Code 2: added');
    expect(root.textContent).not.toContain('(by hand)');
  });
});

describe('item 6: screen readers', () => {
  test('each code reads "Code 3, unused" or "used on …"', async () => {
    const filled = code(1, 'used', {
      usedOn: 'https://www.instagram.com/accounts/login/',
      history: [
        { at: AT, from: null, to: 'unused', by: 'hand' },
        { at: AT, from: 'unused', to: 'reserved', by: 'fill' },
        { at: AT, from: 'reserved', to: 'used', by: 'fill', on: 'https://www.instagram.com/accounts/login/' },
      ],
    });
    const { root } = await openAccount(accountWith([filled, code(2), code(3)]));
    expect(itemLabels(root.querySelector('ol.codes'))).toEqual(['Code 2, unused', 'Code 3, unused']);
    expect(itemLabels(root.querySelector('.used-list'))).toEqual([
      `Code 1, used on ${day(AT)} at www.instagram.com/accounts/login/`,
    ]);
  });

  test('helper texts are tied to their fields', async () => {
    const { root } = await openAccount(accountWith([code(1)]));
    const described = (id: string) =>
      (root.querySelector(`#${id}`)!.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((ref) => squash(root.querySelector(`#${ref}`)?.textContent));
    expect(described('replace-codes')[0]).toMatch(/^Generated a new set at the site\?/);
    expect(described('edit-label')).toEqual([
      'The name you use at the site, to tell accounts of one site apart.',
    ]);
    expect(described('edit-note')).toEqual(['Only you see it; it is encrypted like the codes.']);
  });
});

describe('item 7: no stale errors', () => {
  test('"Paste the new codes first" and aria-invalid go when the field changes', async () => {
    const { root } = await openAccount(accountWith([code(1)]));
    root.querySelector<HTMLDetailsElement>('details:has(#replace-codes)')!.open = true;
    flushSync();
    await click(root, 'Replace all codes');
    const area = root.querySelector<HTMLTextAreaElement>('#replace-codes')!;
    await until(() => root.querySelector('#replace-error'), 'the error');
    expect(squash(root.querySelector('#replace-error')?.textContent)).toBe('Paste the new codes first.');
    expect(area.getAttribute('aria-invalid')).toBe('true');
    area.value = '9999 0001\n9999 0002';
    area.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    expect(root.querySelector('#replace-error')).toBeNull();
    expect(area.hasAttribute('aria-invalid')).toBe(false);
    expect(area.getAttribute('aria-describedby')).toBe('replace-hint');
  });

  test('an edit that failed: its error goes when a field changes', async () => {
    const { root, failures } = await openAccount(accountWith([code(1)]));
    failures['update-account'] = new SpareError('storage-failed', 'Could not save.');
    const label = root.querySelector<HTMLInputElement>('#edit-label')!;
    label.value = 'bob';
    label.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    await click(root, 'Save changes');
    await until(() => root.querySelector('#edit-error'), 'the error');
    expect(label.getAttribute('aria-invalid')).toBe('true');
    label.value = 'bobby';
    label.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    expect(root.querySelector('#edit-error')).toBeNull();
    expect(label.hasAttribute('aria-invalid')).toBe(false);
  });
});

describe('item 8: Escape and focus', () => {
  const escape = () => {
    document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    flushSync();
  };

  test('Escape cancels the delete confirmation (focus back to its button), then closes the account', async () => {
    const { root, app } = await openAccount(accountWith([code(1)]));
    await click(root, 'Delete account');
    const group = await until(
      () => root.querySelector('[aria-labelledby="delete-question"]'),
      'the question',
    );
    await until(() => document.activeElement === group, 'focus on the question');
    escape();
    await until(() => document.activeElement === button(root, 'Delete account'), 'focus back');
    expect(root.querySelector('#delete-question')).toBeNull();
    expect(app.screen.name).toBe('detail');
    escape();
    expect(app.screen.name).toBe('main');
  });

  test('Escape cancels the replace confirmation first', async () => {
    const { root, app } = await openAccount(accountWith([code(1), code(2)]));
    root.querySelector<HTMLDetailsElement>('details:has(#replace-codes)')!.open = true;
    flushSync();
    const area = root.querySelector<HTMLTextAreaElement>('#replace-codes')!;
    area.value = '9999 0001';
    area.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    await click(root, 'Replace all codes');
    await until(
      () => document.activeElement?.getAttribute('aria-labelledby') === 'replace-question',
      'focus',
    );
    escape();
    await until(() => document.activeElement === button(root, 'Replace all codes'), 'focus back');
    expect(app.screen.name).toBe('detail');
  });

  test('opening a form puts focus in its first field', async () => {
    const { root } = await openAccount(accountWith([code(1)]));
    const replace = root.querySelector<HTMLDetailsElement>('details:has(#replace-codes)')!;
    replace.open = true;
    replace.dispatchEvent(new Event('toggle'));
    await until(() => document.activeElement?.id === 'replace-codes', 'focus in the codes field');
    const edit = root.querySelector<HTMLDetailsElement>('details:has(#edit-label)')!;
    edit.open = true;
    edit.dispatchEvent(new Event('toggle'));
    await until(() => document.activeElement?.id === 'edit-label', 'focus in the name field');
  });
});
