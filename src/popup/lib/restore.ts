/** Wording shared by the restore and import forms (settings) and the first-run restore. */
import { t } from '../../i18n';
import type { RestoreMode, RestoreResult } from '../../messaging';

/** "1 account added, 2 updated, 12 codes added" (no "updated" for a replace, where nothing is). */
export function restoreCounts(result: RestoreResult, mode: RestoreMode): string {
  const parts = [t('settings.restore.accountsAdded', result.accountsAdded)];
  if (mode === 'merge') parts.push(t('settings.restore.accountsUpdated', result.accountsUpdated));
  parts.push(t('settings.restore.codesAdded', result.codesAdded));
  return parts.join(t('settings.separator'));
}

/** The largest file the restore and import forms read: far above any real vault, far below a stuck tab. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
