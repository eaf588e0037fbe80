/**
 * Microsoft account recovery code (one code, not a list).
 *
 * Sources:
 * - https://support.microsoft.com/en-us/account-billing/microsoft-account-recovery-code-2acc2f88-e37b-4b44-99d4-b4419f610013
 *   — "a 25-digit code"; Manage how I sign in → Recovery code → Generate a new code; a new code voids the old
 *   one; "Recovery codes are not case-sensitive and don't require spaces or dashes."
 *
 * - https://www.helpskey.com/article/where-can-i-find-my-microsoft-recovery-code.html — "similar to an old-style
 *   Microsoft product key", hence the 5×5 dash grouping used for display;
 * its alphabet is not documented, so the pattern accepts letters and digits.
 * Left out: `regenerateUrl` (the help page links a button, its target was not captured), `fileNamePattern`
 * (print only), `fieldHints`, `extraDomains` (sign-in hosts not sourced).
 */
import { groupedDisplay } from './formats';
import type { SiteAdapter } from './types';

export const microsoft: SiteAdapter = {
  id: 'microsoft',
  name: 'Microsoft',
  domains: ['microsoft.com'],
  formats: [
    {
      normalisedPattern: /^[0-9a-z]{25}$/,
      display: groupedDisplay([5, 5, 5, 5, 5], '-', 'upper'),
      caseSensitive: false,
      ignoresSeparators: true,
      count: 1,
    },
  ],
  regenerateSteps:
    'Microsoft account → Security → Manage how I sign in → Recovery code → Generate a new code',
  // The code is asked for at a dedicated "Do you have an account recovery code?" prompt.
  otpFieldAcceptsBackup: false,
};

/*
Test URLs:
https://login.live.com/
https://account.microsoft.com/security
*/
