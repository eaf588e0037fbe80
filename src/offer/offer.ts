/**
 * The offer page (`offer.html`), framed beside a login field by the content script (design §4.6). It names the
 * site and its accounts with "N of M left", fills on a trusted click or Enter, lets the user unlock a locked
 * vault, and warns when few codes remain. It never sees a code: the background sends the code straight to
 * the content script of the frame that asked.
 *
 * Keyboard: the content script moves focus here on ArrowDown; ArrowUp/ArrowDown move between accounts, Enter
 * or Space fills, Escape closes the offer and gives focus back to the field.
 */
import { browser } from 'wxt/browser';
import { isSpareError } from '../core/errors';
import { t } from '../i18n';
import { listenToVaultEvents, sendOfferRequest, type OfferAccount, type OfferState } from '../messaging';
import { VisibilityGuard } from './visibility';

const FEW_LEFT = 2;

export function startOffer(doc: Document): void {
  const nonce = doc.defaultView!.location.hash.slice(1);
  const $ = <T extends HTMLElement>(id: string) => doc.getElementById(id) as T;
  const title = $('offer-title');
  const status = $('status');
  const list = $<HTMLUListElement>('accounts');
  const unlock = $<HTMLButtonElement>('unlock');
  const error = $('error');
  const guard = new VisibilityGuard($('offer'));
  const close = $('close');
  // The page's fixed texts, in the browser's language (the HTML carries none).
  doc.documentElement.lang = t('app.languageTag');
  doc.title = t('offer.pageTitle');
  title.textContent = t('extName');
  close.setAttribute('aria-label', t('offer.close'));
  close.title = t('offer.closeHint');
  list.setAttribute('aria-label', t('offer.accounts'));
  unlock.textContent = t('offer.unlock');
  let busy = false;
  // Focus may arrive (ArrowDown in the field) before the accounts do: the first render then takes it.
  let loaded = false;
  let wantsFocus = false;

  const showError = (message: string | null) => {
    error.hidden = message === null;
    error.textContent = message ?? '';
  };

  const buttons = () => [...list.querySelectorAll<HTMLButtonElement>('button.fill:not(:disabled)')];
  const focusFirst = () => {
    if (loaded) (buttons()[0] ?? (unlock.hidden ? close : unlock)).focus();
    else wantsFocus = true;
  };

  async function load(): Promise<void> {
    let state: OfferState;
    try {
      state = await sendOfferRequest({ type: 'offer:state', nonce });
    } catch (e) {
      title.textContent = t('extName');
      list.replaceChildren();
      unlock.hidden = true;
      showError(isSpareError(e) ? e.message : t('offer.loadFailed'));
      return;
    }
    render(state);
    if (import.meta.env.MODE === 'e2e' && !doc.documentElement.dataset.spareRenderedAt) {
      // Test builds only: the frame that first shows the offer's content (bench: offer_visible_ms), as an
      // epoch time that the page's own clock can be compared with.
      requestAnimationFrame(() => {
        doc.documentElement.dataset.spareRenderedAt ??= String(performance.timeOrigin + performance.now());
      });
    }
  }

  function render(state: OfferState): void {
    showError(null);
    const hadFocus = wantsFocus || doc.hasFocus();
    loaded = true;
    wantsFocus = false;
    if (state.state !== 'unlocked') {
      title.textContent = t('offer.title', { site: state.site });
      status.textContent = t('offer.locked', { site: state.site });
      list.replaceChildren();
      unlock.hidden = false;
    } else {
      unlock.hidden = true;
      title.textContent = t('offer.title', { site: state.site });
      list.replaceChildren(...state.accounts.map((account) => accountItem(account, state)));
      const [first] = state.accounts;
      status.textContent =
        state.accounts.length === 1 && first
          ? t('offer.oneAccount', { left: String(first.left), total: String(first.total) })
          : t('offer.manyAccounts', { count: String(state.accounts.length) });
    }
    if (hadFocus) focusFirst();
  }

  function accountItem(account: OfferAccount, state: OfferState): HTMLLIElement {
    const item = doc.createElement('li');
    const button = doc.createElement('button');
    button.type = 'button';
    button.className = 'fill';
    const name = account.label ?? state.site;
    const fillName = t('offer.fill', { name });
    button.setAttribute('aria-label', fillName);
    const label = doc.createElement('span');
    label.textContent = fillName;
    const count = doc.createElement('span');
    count.className = 'count';
    count.id = `count-${account.id}`;
    count.textContent =
      account.left === 0
        ? t('offer.noneLeft')
        : t('offer.left', { left: String(account.left), total: String(account.total) });
    button.setAttribute('aria-describedby', count.id);
    button.append(label, count);
    button.disabled = account.left === 0;
    button.addEventListener('click', (event) => void fill(event, account.id));
    item.append(button);
    if (account.left <= FEW_LEFT) item.append(lowWarning(account, state));
    return item;
  }

  function lowWarning(account: OfferAccount, state: OfferState): HTMLElement {
    const note = doc.createElement('p');
    note.className = 'low';
    const how = state.regenerate;
    const makeNew = how?.steps
      ? t('offer.makeNewSteps', { site: state.site, steps: how.steps })
      : t('offer.makeNew', { site: state.site });
    note.append(`${t('offer.fewLeft', account.left)} ${makeNew}`);
    if (how?.url) {
      const link = doc.createElement('a');
      link.href = how.url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      link.textContent = t('offer.openPage');
      note.append(' ', link);
    }
    return note;
  }

  async function fill(event: MouseEvent, accountId: string): Promise<void> {
    // Only the user's own click or key press (a key press on a button arrives as a trusted click).
    if (!event.isTrusted || busy) return;
    const refusal = guard.refusal();
    if (refusal) {
      showError(refusal);
      return;
    }
    busy = true;
    try {
      await sendOfferRequest({ type: 'offer:fill', nonce, accountId });
      // The content script closes this frame once the code is in the field.
    } catch (e) {
      // Counts may have moved meanwhile: refresh them first, then say why nothing was filled.
      await load();
      showError(isSpareError(e) ? e.message : t('offer.fillFailed'));
    } finally {
      busy = false;
    }
  }

  unlock.addEventListener('click', (event) => {
    if (!event.isTrusted) return;
    void openUnlock().catch(() => showError(t('offer.openFromToolbar')));
  });
  close.addEventListener(
    'click',
    () => void sendOfferRequest({ type: 'offer:close', nonce }).catch(() => undefined),
  );

  doc.addEventListener('keydown', (event) => {
    if (import.meta.env.MODE === 'e2e' && event.key === 'Enter') {
      // Test builds only: when Enter went down in the offer (bench: fill_roundtrip_ms). Kept outside the frame,
      // which is gone a few milliseconds later, once the code is in the field (storage.local: Firefox gives a framed
      // extension page no storage.session).
      void browser.storage.local.set({
        'spare-bench:enter-at': performance.timeOrigin + performance.now(),
      });
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      void sendOfferRequest({ type: 'offer:close', nonce }).catch(() => undefined);
      return;
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const all = buttons();
    if (all.length === 0) return;
    event.preventDefault();
    const at = all.indexOf(doc.activeElement as HTMLButtonElement);
    const next = event.key === 'ArrowDown' ? at + 1 : at - 1;
    all[(next + all.length) % all.length]!.focus();
  });
  // Chromium blocks autofocus in a cross-origin frame: focus the first control when the frame gets focus.
  doc.defaultView!.addEventListener('focus', () => {
    if (!doc.activeElement || doc.activeElement === doc.body) focusFirst();
  });

  // Unlocking in the popup (or an account change anywhere) updates this offer at once.
  listenToVaultEvents(() => void load());
  void load();
}

/** The popup where the browser can open it from here, else a small window with the same page. */
async function openUnlock(): Promise<void> {
  try {
    await browser.action.openPopup();
  } catch {
    await browser.windows.create({
      url: browser.runtime.getURL('/popup.html'),
      type: 'popup',
      width: 400,
      height: 620,
    });
  }
}
