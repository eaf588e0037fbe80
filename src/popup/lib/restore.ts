/** Wording shared by the restore and import forms (settings) and the first-run restore. */
import { t } from '../../i18n';
import type { RestoreMode, RestoreResult } from '../../messaging';
import { readTextFile } from './download';
import { FILE_ERRORS, errorCode, errorMessage } from './errors';

/** "1 account added, 2 updated, 12 codes added" (no "updated" for a replace, where nothing is). */
export function restoreCounts(result: RestoreResult, mode: RestoreMode): string {
  const parts = [t('settings.restore.accountsAdded', result.accountsAdded)];
  if (mode === 'merge') parts.push(t('settings.restore.accountsUpdated', result.accountsUpdated));
  parts.push(t('settings.restore.codesAdded', result.codesAdded));
  return parts.join(t('settings.separator'));
}

/** The largest file the restore and import forms read: far above any real vault, far below a stuck tab. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** The first of the two fields still empty, in the order the user fills them (checked before any reading). */
export function missingRestoreField(
  file: File | null,
  password: string,
): { field: 'file' | 'password'; message: string } | null {
  if (!file) return { field: 'file', message: t('settings.restore.chooseFile') };
  if (!password) return { field: 'password', message: t('settings.restore.enterPassword') };
  return null;
}

/** The backup file's text, or why the file cannot be a backup before the background even sees it. */
export async function readBackupText(
  file: File,
): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  const text = await readTextFile(file, MAX_FILE_BYTES);
  if (text === null) return { ok: false, message: t('settings.restore.tooLarge') };
  if (text.length === 0) return { ok: false, message: t('settings.restore.empty') };
  return { ok: true, text };
}

/**
 * Where a failed restore's error belongs: a wrong password at the password, a damaged or foreign file at the
 * file, anything else under the form. A locked vault needs no words (the popup shows the unlock screen).
 */
export function restoreFailure(
  failure: unknown,
): { field: 'file' | 'password' | 'form'; message: string } | null {
  const code = errorCode(failure);
  if (code === 'vault-locked') return null;
  if (code === 'wrong-password') return { field: 'password', message: t('settings.restore.wrongPassword') };
  if (code === 'invalid-input') return { field: 'file', message: t('settings.restore.badSite') };
  if (code && FILE_ERRORS.has(code)) return { field: 'file', message: errorMessage(failure) };
  return { field: 'form', message: errorMessage(failure) };
}
