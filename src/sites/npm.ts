/**
 * npm recovery codes.
 *
 * Sources:
 * - https://docs.npmjs.com/configuring-two-factor-authentication/ — recovery codes are shown after enabling
 *   2FA; "Each code can be used only once".
 * - https://docs.npmjs.com/recovering-your-2fa-enabled-account — Account → Two-Factor Authentication →
 *   Modify 2FA → Manage Recovery Codes → Regenerate Code; on the web, recovery codes go through a separate
 *   "Use a recovery code or request a reset" prompt; the CLI takes one at "Enter one-time password:".
 *
 * The code's shape is not documented, so the pattern is a loose one (hex or letters/digits, 8–64 long,
 * lowercase). Left out: `regenerateUrl` (the docs give menu steps only), `count`, `fileNamePattern`, `fieldHints`.
 */
import { compactDisplay } from './formats';
import type { SiteAdapter } from './types';

export const npm: SiteAdapter = {
  id: 'npm',
  name: 'npm',
  domains: ['npmjs.com'],
  formats: [
    {
      normalisedPattern: /^[0-9a-z]{8,64}$/,
      display: compactDisplay,
      caseSensitive: false,
      ignoresSeparators: false,
    },
  ],
  regenerateSteps:
    'Account → Two-Factor Authentication → Modify 2FA → Manage Recovery Codes → Regenerate Code',
  // The web login sends recovery codes to their own prompt (the CLI's OTP prompt is not a page field).
  otpFieldAcceptsBackup: false,
};

/*
Test URLs:
https://www.npmjs.com/login
https://www.npmjs.com/settings/~/tfa
*/
