/**
 * Builds the main view's account list with plain DOM: one cloned template per account, texts set with
 * `textContent`, and no per-item reactive state. Svelte's keyed each made 1,000 items cost about twice the
 * 100 ms budget (design §5 list_render_ms_1000_accounts) on a loaded 2-core machine; a clone costs a fraction.
 * The markup is the same a component would produce: `<li>` per account, a button whose text names the site
 * and "N of M left", and a warning paragraph when few codes remain.
 */
import type { AccountSummary } from '../../core/vault/model';
import { leftText, supplyOf } from './accounts';
import type { RegenerateHelp } from './regenerate';

export interface AccountListOptions {
  onOpen: (accountId: string) => void;
  /** Only called for accounts with no code left. */
  regenerateHelp: (site: string) => RegenerateHelp | null;
}

let itemTemplate: HTMLLIElement | null = null;

function template(): HTMLLIElement {
  if (!itemTemplate) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'open';
    for (const name of ['site', 'label', 'count']) {
      const span = document.createElement('span');
      span.className = name;
      button.append(span, ' ');
    }
    li.append(button);
    itemTemplate = li;
  }
  return itemTemplate;
}

function warning(account: AccountSummary, options: AccountListOptions): HTMLParagraphElement {
  const p = document.createElement('p');
  p.className = 'warn';
  if (account.left > 0) {
    p.textContent = `Only ${account.left} left — generate new ones soon.`;
    return p;
  }
  const strong = document.createElement('strong');
  strong.textContent = 'No codes left — generate new ones';
  p.append(strong);
  const help = options.regenerateHelp(account.site);
  if (help?.url) {
    const link = document.createElement('a');
    link.href = help.url;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.textContent = help.siteName;
    p.append(': ', link, '.');
  } else if (help?.steps) {
    p.append(` at ${help.siteName}: ${help.steps}.`);
  } else {
    p.append('.');
  }
  return p;
}

/** Replaces the list's items with one per account, in the order given. */
export function renderAccountItems(
  list: HTMLUListElement,
  accounts: readonly AccountSummary[],
  options: AccountListOptions,
): void {
  const fragment = document.createDocumentFragment();
  const proto = template();
  for (const account of accounts) {
    const li = proto.cloneNode(true) as HTMLLIElement;
    const supply = supplyOf(account.left, account.total);
    li.className = supply;
    const button = li.firstChild as HTMLButtonElement;
    button.dataset.account = account.id;
    const [site, label, count] = button.children as unknown as [HTMLElement, HTMLElement, HTMLElement];
    site.textContent = account.site;
    if (account.label) label.textContent = account.label;
    else label.remove();
    count.textContent = leftText(account.left, account.total);
    if (supply !== 'ok') li.append(warning(account, options));
    fragment.append(li);
  }
  list.replaceChildren(fragment);
}

/** One listener for the whole list; returns its removal. */
export function listenForOpen(list: HTMLUListElement, onOpen: (accountId: string) => void): () => void {
  const handler = (event: Event) => {
    const button = (event.target as Element | null)?.closest?.('button[data-account]');
    if (button instanceof HTMLElement && button.dataset.account) onOpen(button.dataset.account);
  };
  list.addEventListener('click', handler);
  return () => list.removeEventListener('click', handler);
}
