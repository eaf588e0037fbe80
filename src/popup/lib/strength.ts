/**
 * Master-password strength for the create-vault, first-run and change-password screens. The rating is
 * zxcvbn's (`@zxcvbn-ts/core` with its English dictionary), which is large: it is fetched with `import()` only
 * when one of those screens shows (`loadRater`), so the locked popup's first paint never pays for it (design §5,
 * popup_interactive_ms). Its feedback comes back as keys, which are shown in our own translated words.
 */
import { t } from '../../i18n';

export type StrengthLevel = 'weak' | 'fair' | 'strong';

export interface StrengthReport {
  level: StrengthLevel;
  /** zxcvbn's score, 0 (guessed at once) to 4 (very unlikely to be guessed). */
  score: number;
  /** Why the password is weak, or the best way to improve it; null when there is nothing to say. */
  advice: string | null;
}

/** What zxcvbn answers, reduced to what Spare shows (keys, not text). */
export interface RawRating {
  score: number;
  warning: string | null;
  suggestions: string[];
}

export type Rater = (password: string) => StrengthReport;

export const MIN_MASTER_PASSWORD_LENGTH = 10;

const WARNINGS: Record<string, () => string> = {
  straightRow: () => t('vault.strength.warning.straightRow'),
  keyPattern: () => t('vault.strength.warning.keyPattern'),
  simpleRepeat: () => t('vault.strength.warning.simpleRepeat'),
  extendedRepeat: () => t('vault.strength.warning.extendedRepeat'),
  sequences: () => t('vault.strength.warning.sequences'),
  recentYears: () => t('vault.strength.warning.recentYears'),
  dates: () => t('vault.strength.warning.dates'),
  topTen: () => t('vault.strength.warning.topTen'),
  topHundred: () => t('vault.strength.warning.topHundred'),
  common: () => t('vault.strength.warning.common'),
  similarToCommon: () => t('vault.strength.warning.similarToCommon'),
  wordByItself: () => t('vault.strength.warning.wordByItself'),
  namesByThemselves: () => t('vault.strength.warning.namesByThemselves'),
  commonNames: () => t('vault.strength.warning.commonNames'),
  userInputs: () => t('vault.strength.warning.userInputs'),
};

const SUGGESTIONS: Record<string, () => string> = {
  l33t: () => t('vault.strength.suggestion.l33t'),
  reverseWords: () => t('vault.strength.suggestion.reverseWords'),
  allUppercase: () => t('vault.strength.suggestion.allUppercase'),
  capitalization: () => t('vault.strength.suggestion.capitalization'),
  dates: () => t('vault.strength.suggestion.dates'),
  recentYears: () => t('vault.strength.suggestion.recentYears'),
  associatedYears: () => t('vault.strength.suggestion.associatedYears'),
  sequences: () => t('vault.strength.suggestion.sequences'),
  repeated: () => t('vault.strength.suggestion.repeated'),
  longerKeyboardPattern: () => t('vault.strength.suggestion.longerKeyboardPattern'),
  anotherWord: () => t('vault.strength.suggestion.anotherWord'),
  useWords: () => t('vault.strength.suggestion.useWords'),
};

/**
 * zxcvbn's score as Spare's three levels. A master password guards an Argon2id-wrapped key against offline
 * guessing, so "fair" starts at score 3 (about 10^10 guesses), and below the minimum length nothing is more
 * than weak.
 */
export function reportFor(password: string, rating: RawRating): StrengthReport {
  const short = [...password].length < MIN_MASTER_PASSWORD_LENGTH;
  const level: StrengthLevel = short || rating.score <= 2 ? 'weak' : rating.score === 3 ? 'fair' : 'strong';
  const reasons = [
    rating.warning ? WARNINGS[rating.warning]?.() : undefined,
    ...rating.suggestions.map((key) => SUGGESTIONS[key]?.()),
  ].filter((text): text is string => !!text);
  const advice = short
    ? t('vault.strength.minLength', { min: String(MIN_MASTER_PASSWORD_LENGTH) })
    : level === 'strong'
      ? null
      : (reasons[0] ?? null);
  return { level, score: rating.score, advice };
}

let loading: Promise<Rater> | null = null;

/** Loads zxcvbn and its dictionary once; later calls share the same promise. */
export function loadRater(): Promise<Rater> {
  if (!loading) {
    loading = import('./password-rater').then(
      ({ ratePassword }) =>
        (password: string) =>
          reportFor(password, ratePassword(password)),
    );
    // A failed load (the extension updated under the popup) may be retried.
    loading.catch(() => (loading = null));
  }
  return loading;
}

/**
 * Why a new master password is refused, or null when it is acceptable. "fair" is allowed: Argon2id with
 * 64 MiB makes each guess expensive, and refusing too much pushes people to write passwords down.
 */
export function masterPasswordProblem(
  password: string,
  confirmation: string,
  rate: Rater,
): { field: 'password' | 'confirm'; message: string } | null {
  if (password.length === 0) return { field: 'password', message: t('vault.newPassword.enter') };
  if ([...password].length < MIN_MASTER_PASSWORD_LENGTH) {
    return {
      field: 'password',
      message: t('vault.newPassword.tooShort', { min: String(MIN_MASTER_PASSWORD_LENGTH) }),
    };
  }
  const report = rate(password);
  if (report.level === 'weak') {
    return {
      field: 'password',
      message: report.advice
        ? t('vault.newPassword.tooWeak', { reason: report.advice })
        : t('vault.newPassword.tooWeakNoReason'),
    };
  }
  if (confirmation !== password) return { field: 'confirm', message: t('vault.newPassword.mismatch') };
  return null;
}
