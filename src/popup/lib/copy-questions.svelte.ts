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

export class CopyQuestions {
  list = $state<CopyQuestion[]>([]);
  taken = false;
}

const perPopup = new WeakMap<object, CopyQuestions>();

export function copyQuestionsOf(app: object): CopyQuestions {
  let questions = perPopup.get(app);
  if (!questions) perPopup.set(app, (questions = new CopyQuestions()));
  return questions;
}
