import { describe, expect, test, vi } from 'vitest';
import { listenForOpen, renderAccountItems } from '../../../src/popup/lib/account-list';
import type { AccountSummary } from '../../../src/core/vault/model';

const summary = (id: string, site: string, left: number, total: number, label?: string): AccountSummary => ({
  id,
  site,
  ...(label ? { label } : {}),
  left,
  total,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

const noHelp = () => null;

describe('renderAccountItems', () => {
  test('one list item per account, naming the site, the label and "N of M left"', () => {
    const list = document.createElement('ul');
    renderAccountItems(
      list,
      [summary('a', 'instagram.com', 8, 10, 'alice'), summary('b', 'github.com', 16, 16)],
      {
        onOpen: () => {},
        regenerateHelp: noHelp,
      },
    );
    const items = Array.from(list.children);
    expect(items.map((li) => li.tagName)).toEqual(['LI', 'LI']);
    expect(items[0]!.textContent!.replace(/\s+/g, ' ').trim()).toBe('instagram.com alice 8 of 10 left');
    expect(items[1]!.textContent!.replace(/\s+/g, ' ').trim()).toBe('github.com 16 of 16 left');
    expect(items[1]!.querySelector('button')!.type).toBe('button');
  });

  test('warns when few are left, and links to the regenerate page when none are', () => {
    const list = document.createElement('ul');
    const help = vi.fn((site: string) =>
      site === 'github.com'
        ? { siteName: 'GitHub', url: 'https://github.com/settings/auth/recovery-codes' }
        : { siteName: 'Instagram', steps: 'Settings → Security → Backup codes' },
    );
    renderAccountItems(
      list,
      [
        summary('a', 'instagram.com', 2, 10),
        summary('b', 'github.com', 0, 16),
        summary('c', 'instagram.com', 0, 5),
      ],
      { onOpen: () => {}, regenerateHelp: help },
    );
    const [low, empty, emptySteps] = Array.from(list.children) as HTMLElement[];
    expect(low!.className).toBe('low');
    expect(low!.textContent).toContain('Only 2 left — generate new ones soon.');
    expect(empty!.className).toBe('empty');
    expect(empty!.textContent).toContain('No codes left — generate new ones');
    expect(empty!.querySelector('a')!.href).toBe('https://github.com/settings/auth/recovery-codes');
    expect(emptySteps!.textContent).toContain('at Instagram: Settings → Security → Backup codes.');
    // Only accounts with nothing left pay for the adapter lookup.
    expect(help).toHaveBeenCalledTimes(2);
  });

  test('a new render replaces the old items (search narrows the list)', () => {
    const list = document.createElement('ul');
    const options = { onOpen: () => {}, regenerateHelp: noHelp };
    renderAccountItems(list, [summary('a', 'x.com', 1, 1), summary('b', 'y.com', 1, 1)], options);
    renderAccountItems(list, [summary('b', 'y.com', 1, 1)], options);
    expect(list.children).toHaveLength(1);
    expect(list.textContent).toContain('y.com');
  });

  test('renders 1,000 accounts quickly', () => {
    const list = document.createElement('ul');
    const accounts = Array.from({ length: 1000 }, (_, i) =>
      summary(`id${i}`, `example${i}.com`, i % 11, 10, `u${i}`),
    );
    const start = performance.now();
    renderAccountItems(list, accounts, { onOpen: () => {}, regenerateHelp: noHelp });
    const ms = performance.now() - start;
    expect(list.children).toHaveLength(1000);
    // happy-dom is far slower than a browser; this only catches accidental quadratic work.
    expect(ms).toBeLessThan(1000);
  });
});

test('a click anywhere on an account button opens that account', () => {
  const list = document.createElement('ul');
  document.body.append(list);
  const onOpen = vi.fn();
  renderAccountItems(list, [summary('a', 'x.com', 1, 1, 'bob'), summary('b', 'y.com', 1, 1)], {
    onOpen,
    regenerateHelp: noHelp,
  });
  const stop = listenForOpen(list, onOpen);
  (list.querySelector('li:nth-child(2) .count') as HTMLElement).click();
  (list.querySelector('li:nth-child(1) .label') as HTMLElement).click();
  expect(onOpen.mock.calls).toEqual([['b'], ['a']]);
  stop();
  (list.querySelector('li:nth-child(2) button') as HTMLElement).click();
  expect(onOpen).toHaveBeenCalledTimes(2);
  list.remove();
});

describe('the accounts of the current site (issue 9)', () => {
  test('get a Copy button named for the account, outside the open button; a click on it does not open', () => {
    const list = document.createElement('ul');
    const here = summary('a', 'github.com', 3, 10, 'alice');
    const done = summary('b', 'github.com', 0, 10);
    renderAccountItems(list, [here, done, summary('c', 'x.com', 5, 5)], {
      onOpen: () => {},
      regenerateHelp: noHelp,
      current: new Set(['a', 'b']),
    });
    const [first, second, third] = Array.from(list.children) as HTMLElement[];
    const copy = first!.querySelector<HTMLButtonElement>('button.copy')!;
    expect(copy.textContent).toBe('Copy');
    expect(copy.getAttribute('aria-label')).toBe('Copy the next code for alice on github.com');
    expect(copy.closest('button.open')).toBeNull();
    expect(first!.classList.contains('current')).toBe(true);
    // Nothing left to copy, and not the current site: no button.
    expect(second!.querySelector('button.copy')).toBeNull();
    expect(third!.querySelector('button.copy')).toBeNull();

    const onOpen = vi.fn();
    const onCopy = vi.fn();
    listenForOpen(list as HTMLUListElement, onOpen, onCopy);
    copy.click();
    expect(onCopy).toHaveBeenCalledWith('a', copy);
    expect(onOpen).not.toHaveBeenCalled();
    first!.querySelector<HTMLButtonElement>('button.open')!.click();
    expect(onOpen).toHaveBeenCalledWith('a');
  });
});
