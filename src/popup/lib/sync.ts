/** What the popup says about sync (issue 11): one sentence per state, in the user's language. */
import { t } from '../../i18n';
import type { SyncStatus } from '../../messaging';

const kilobytes = (bytes: number) => Math.max(1, Math.round(bytes / 1024));

export function syncStatusText(status: SyncStatus): string {
  if (!status.enabled) return t('sync.off');
  const used = status.usedBytes === null ? null : kilobytes(status.usedBytes);
  const quota = kilobytes(status.quotaBytes);
  switch (status.state) {
    case 'synced':
      return used === null ? t('sync.state.synced') : t('sync.state.syncedUsage', { used, quota });
    case 'pending':
      return t('sync.state.pending');
    case 'locked':
      return t('sync.state.locked');
    case 'paused':
      return pausedText(status.reason, status.retryAt, used, quota);
  }
}

function pausedText(
  reason: Extract<SyncStatus, { state: 'paused' }>['reason'],
  retryAt: number | null,
  used: number | null,
  quota: number,
): string {
  switch (reason) {
    case 'quota':
      return t('sync.paused.quota', { used: used ?? quota, quota });
    case 'rate-limit':
      return retryAt === null
        ? t('sync.paused.rateLimitSoon')
        : t('sync.paused.rateLimit', {
            time: new Date(retryAt).toLocaleTimeString([], { timeStyle: 'short' }),
          });
    case 'error':
      return t('sync.paused.error');
    case 'other-vault':
      return t('sync.paused.otherVault');
    case 'password-changed':
      return t('sync.paused.passwordChanged');
  }
}
