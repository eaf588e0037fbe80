/**
 * Where focus goes when the account list shows again (issue 9): a screen that leads back to the list says
 * which element it means, and the list takes it only when it really comes from that screen (a lock and unlock
 * in between, say, leave it unused). "← All accounts" needs no request: the account screen names its row.
 */
import type { PopupApp } from '../state/app.svelte';

export type ListFocus = { kind: 'account'; accountId: string } | { kind: 'add' } | { kind: 'capture' };

let pending: { from: 'add' | 'capture'; focus: ListFocus } | null = null;

/** Add account leaves: back on the list, focus `focus` (the saved row, or the "Add account" button). */
export function focusOnListFromAdd(focus: ListFocus): void {
  pending = { from: 'add', focus };
}

/** "Capture codes from this page" leaves: back on the list, focus the saved row, or the Capture button. */
export function focusOnListFromCapture(focus: ListFocus): void {
  pending = { from: 'capture', focus };
}

/** What to focus now that the list shows, or null for the default (Search). Each request is used once. */
export function consumeListFocus(app: Pick<PopupApp, 'previous'>): ListFocus | null {
  const request = pending;
  pending = null;
  const previous = app.previous;
  if (previous?.name === 'detail') return { kind: 'account', accountId: previous.accountId };
  if (request && previous?.name === request.from) return request.focus;
  return null;
}
