/**
 * "Did you use 1234 5678 on instagram.com?" (issue 9). A code copied in the popup is reserved by the background;
 * the popup asks about it once, the next time it opens on the list. The background hands each question out
 * once (`take-copy-questions` marks it asked), so a popup closed or a question skipped is not asked again: the
 * code stays reserved, still counts as left, and its account's screen can mark it used or unused.
 *
 * The questions live as long as the popup (one set per `PopupApp`), not as long as the list screen, which is
 * rebuilt after each answer to show the new count.
 */
import type { CopyQuestion } from '../../messaging';
import type { PopupApp } from '../state/app.svelte';

export class CopyQuestions {
  list = $state<CopyQuestion[]>([]);
  /** Settles once the background has answered (or failed to): the list waits for it (see takeCopyQuestions). */
  taken: Promise<void> | null = null;
}

const perPopup = new WeakMap<object, CopyQuestions>();

export function copyQuestionsOf(app: object): CopyQuestions {
  let questions = perPopup.get(app);
  if (!questions) perPopup.set(app, (questions = new CopyQuestions()));
  return questions;
}

/**
 * Asks the background for this popup's questions, once per popup; later calls get the same answer. The list
 * shows only once this has settled, so a question never appears above rows the user is about to click: a click
 * aimed at a row that lands on "Not used" would give the code back.
 */
export function takeCopyQuestions(app: Pick<PopupApp, 'call'>): Promise<CopyQuestions> {
  const questions = copyQuestionsOf(app);
  questions.taken ??= app.call({ type: 'take-copy-questions' }).then(
    (list) => void (questions.list = list),
    () => undefined, // Nothing to ask is better than an error on the list.
  );
  return questions.taken.then(() => questions);
}
