/**
 * Turns failures from the background into text for the person using the popup, in their language: each error
 * code has its own translated message, so the background's English (also what the CLI prints) never shows
 * here. Each screen picks the field a code concerns and may say something more specific for that spot.
 */
import { isSpareError, type SpareErrorCode } from '../../core/errors';
import { t } from '../../i18n';

const MESSAGES: Partial<Record<SpareErrorCode, () => string>> = {
  'wrong-password': () => t('errors.wrongPassword'),
  'vault-locked': () => t('errors.vaultLocked'),
  'vault-exists': () => t('errors.vaultExists'),
  'vault-missing': () => t('errors.vaultMissing'),
  'vault-damaged': () => t('errors.vaultDamaged'),
  'kdf-params-out-of-bounds': () => t('errors.kdfOutOfBounds'),
  'decrypt-failed': () => t('errors.decryptFailed'),
  'backup-tampered': () => t('errors.backupTampered'),
  'backup-truncated': () => t('errors.backupTruncated'),
  'backup-unknown-format': () => t('errors.backupUnknownFormat'),
  'plain-invalid': () => t('errors.plainInvalid'),
  'no-codes-found': () => t('errors.noCodesFound'),
  'quota-exceeded': () => t('errors.quotaExceeded'),
  'storage-failed': () => t('errors.storageFailed'),
  'not-found': () => t('errors.notFound'),
  'invalid-input': () => t('errors.invalidInput'),
  'no-code-left': () => t('errors.noCodeLeft'),
  'no-answer': () => t('errors.noAnswer'),
  'export-encrypted': () => t('pmImportErrors.encrypted'),
  'export-unknown-format': () => t('pmImportErrors.unknownFormat'),
  'export-corrupt': () => t('pmImportErrors.corrupt'),
  'export-too-large': () => t('pmImportErrors.tooLarge'),
  'sync-other-vault': () => t('sync.join.intro'),
  'sync-used-stays': () => t('sync.usedStays'),
};

/** Codes that concern the file a person picked (restore, import), rather than a password or the vault. */
export const FILE_ERRORS: ReadonlySet<SpareErrorCode> = new Set([
  'backup-tampered',
  'backup-truncated',
  'backup-unknown-format',
  'kdf-params-out-of-bounds',
  'plain-invalid',
  'export-encrypted',
  'export-unknown-format',
  'export-corrupt',
  'export-too-large',
]);

export function errorCode(error: unknown): SpareErrorCode | null {
  return isSpareError(error) ? error.code : null;
}

/** The message to show. Codes a person cannot act on (a refused message, say) get the generic one. */
export function errorMessage(error: unknown): string {
  const message = isSpareError(error) ? MESSAGES[error.code] : undefined;
  return message ? message() : t('errors.unexpected');
}
