/**
 * Builds the main view's account list with plain DOM: one cloned template per account, texts set with
 * `textContent`, and no per-item reactive state. Svelte's keyed each made 1,000 items cost about twice the
 * 100 ms budget (design §5 list_render_ms_1000_accounts) on a loaded 2-core machine; a clone costs a fraction.
 * The markup is the same a component would produce: `<li>` per account, a button whose text names the site
 * and "N of M left", and a warning paragraph when few codes remain. An account of the site the popup was
 * opened on also gets a Copy button for its next code (issue 9), outside the open button: a button inside a
 * button is not allowed, and each needs its own name.
 */
import type { AccountSummary } from '../../core/vault/model';
import { t } from '../../i18n';
import { accountName, leftText, supplyOf } from './accounts';
import type { RegenerateHelp } from './regenerate';

export interface AccountListOptions {
  onOpen: (accountId: string) => void;
  /** Only called for accounts with no code left. */
  regenerateHelp: (site: string) => RegenerateHelp | null;
  /** Accounts of the page's site: they get a Copy button (the caller puts them first). */
  current?: ReadonlySet<string>;
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
    p.textContent = t('main.fewLeft', account.left);
    return p;
  }
  const strong = document.createElement('strong');
  strong.textContent = t('main.noneLeft');
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
    p.append(' ', t('main.regenerateAt', { site: help.siteName, steps: help.steps }));
  } else {
    p.append('.');
  }
  return p;
}

function copyButton(account: AccountSummary): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'copy';
  button.dataset.copy = account.id;
  button.textContent = t('main.copy');
  button.setAttribute('aria-label', t('main.copyLabel', { account: accountName(account) }));
  return button;
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
    if (options.current?.has(account.id)) {
      li.classList.add('current');
      button.setAttribute('aria-describedby', 'list-this-site');
      // A reserved code counts as left but is not the next to copy; the click finds out.
      if (account.left > 0) li.insertBefore(copyButton(account), button.nextSibling);
    }
    if (supply !== 'ok') li.append(warning(account, options));
    fragment.append(li);
  }
  list.replaceChildren(fragment);
}

/** One listener for the whole list; returns its removal. `onCopy` gets the Copy button that was pressed. */
export function listenForOpen(
  list: HTMLUListElement,
  onOpen: (accountId: string) => void,
  onCopy?: (accountId: string, button: HTMLButtonElement) => void,
): () => void {
  const handler = (event: Event) => {
    const target = event.target as Element | null;
    const copy = target?.closest?.('button[data-copy]');
    if (copy instanceof HTMLButtonElement && copy.dataset.copy) {
      onCopy?.(copy.dataset.copy, copy);
      return;
    }
    const button = target?.closest?.('button[data-account]');
    if (button instanceof HTMLElement && button.dataset.account) onOpen(button.dataset.account);
  };
  list.addEventListener('click', handler);
  return () => list.removeEventListener('click', handler);
}
