/**
 * zxcvbn with its English dictionary, plus its language-neutral lists (the most used passwords, keyboard
 * layouts): without those it cannot know "qwertyuiop" or "iloveyou". Only `strength.ts` imports this, with
 * `import()`: it is a chunk of its own, loaded when a screen that sets a master password shows. Feedback stays as
 * zxcvbn's keys (no `translations` option): `strength.ts` turns them into Spare's own translated messages.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import type { RawRating } from './strength';

// No Levenshtein matching: it costs about half a second per check here, and the meter rates on every keystroke.
const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...english.dictionary },
  graphs: common.adjacencyGraphs,
});

export function ratePassword(password: string): RawRating {
  const { score, feedback } = zxcvbn.check(password, ['spare', 'backup', 'codes']);
  return { score, warning: feedback.warning, suggestions: feedback.suggestions };
}
