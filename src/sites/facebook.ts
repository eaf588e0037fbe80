/**
 * Facebook recovery codes.
 *
 * Sources:
 * - https://unn.ua/en/news/how-to-get-backup-codes-on-facebook-to-access-the-page-algorithm-of-actions (citing
 *   the National Police of Ukraine): a set of 10 one-time codes; Settings and privacy → Settings → Accounts
 *   Center → Password and security → Two-factor authentication → Additional methods → Recovery codes.
 * - https://itypedaily.com/facebook-8-digit-recovery-code-recovery-code/ — codes are 8 digits.
 *
 * Left out: `regenerateUrl` (no stable Accounts Center URL found), `fileNamePattern` (no download found),
 * `fieldHints`. The 4+4 display grouping matches Instagram's (same Accounts Center) and is not separately
 * sourced; Spare accepts the code with or without the space either way.
 */
import { groupedDisplay } from './formats';
import type { SiteAdapter } from './types';

export const facebook: SiteAdapter = {
  id: 'facebook',
  name: 'Facebook',
  domains: ['facebook.com'],
  formats: [
    {
      normalisedPattern: /^\d{8}$/,
      display: groupedDisplay([4, 4], ' '),
      caseSensitive: false,
      ignoresSeparators: true,
      count: 10,
    },
  ],
  regenerateSteps:
    'Settings and privacy → Settings → Accounts Center → Password and security → Two-factor authentication → Additional methods → Recovery codes',
  otpFieldAcceptsBackup: 'unknown',
};

/*
Test URLs:
https://www.facebook.com/login/
https://www.facebook.com/checkpoint/
*/
