/**
 * X (Twitter) backup code (one code at a time).
 *
 * Sources:
 * - X help center text (mirrored at https://nacionalnaklasa.net/article/x-two-factor-authentication-2fa-verification-help/3663):
 *   "enter the backup code to access your account"; a backup code is generated when 2FA is turned on and can
 *   be generated on x.com.
 * - https://2faa.app/guides/twitter-2fa — Settings and privacy → Security and account access → Security →
 *   Two-factor authentication; "X then displays a single-use backup code"; regenerated under 'Backup codes'.
 *
 * The code's length and alphabet are not documented anywhere found, so the pattern is a loose one (8–16
 * letters/digits, lowercase) and no display grouping is assumed. Left out: `regenerateUrl`, `fileNamePattern` (screenshot only), `fieldHints`.
 */
import { compactDisplay } from './formats';
import type { SiteAdapter } from './types';

export const x: SiteAdapter = {
  id: 'x',
  name: 'X (Twitter)',
  domains: ['x.com', 'twitter.com'],
  formats: [
    {
      normalisedPattern: /^[0-9a-z]{8,16}$/,
      display: compactDisplay,
      caseSensitive: false,
      ignoresSeparators: true,
      count: 1,
    },
  ],
  regenerateSteps:
    'Settings and privacy → Security and account access → Security → Two-factor authentication → Backup codes',
  otpFieldAcceptsBackup: 'unknown',
};

/*
Test URLs:
https://x.com/i/flow/login
https://x.com/settings/account/login_verification
*/
