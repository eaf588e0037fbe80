/**
 * Turns failures from the background into text for the person using the popup. Each screen picks the
 * field a code concerns; these messages are written for that spot, specific rather than "Something failed".
 */
import { isSpareError, type SpareErrorCode } from '../../core/errors';

const OVERRIDES: Partial<Record<SpareErrorCode, string>> = {
  'wrong-password': 'Wrong password. Check it and try again.',
  'vault-locked': 'Spare locked itself. Unlock it to continue.',
  'quota-exceeded': 'The browser has no room left for Spare’s data. Free some disk space and try again.',
};

export function errorCode(error: unknown): SpareErrorCode | null {
  return isSpareError(error) ? error.code : null;
}

/** The message to show; the background's own wording is kept for codes it explains best. */
export function errorMessage(error: unknown): string {
  if (isSpareError(error)) return OVERRIDES[error.code] ?? error.message;
  return 'Something unexpected went wrong. Try again.';
}
