/**
 * GitHub recovery codes.
 *
 * Sources:
 * - github/docs content/authentication/securing-your-account-with-two-factor-authentication-2fa/
 *   configuring-two-factor-authentication-recovery-methods.md — download the recovery codes; default file name
 *   github-recovery-codes.txt.
 * - /work/shared/fixtures/parse case 001 (byte layout of a real download: 16 codes, 5+5 lowercase hex joined
 *   by '-', CRLF, no trailing newline).
 *
 * - github/docs .../recovering-your-account-if-you-lose-your-2fa-credentials.md — "Enter a two-factor recovery
 *   code" link to a separate page; 16 codes per set (configuring-two-factor-authentication-recovery-methods.md).
 *
 * Left out: `regenerateUrl` (the docs give menu steps, not a URL), `fieldHints` (not read from GitHub's markup). Whether GitHub accepts the code without its dash
 * is not documented, so Spare keeps and fills the dash.
 */
import { groupedDisplay } from './formats';
import type { SiteAdapter } from './types';

export const github: SiteAdapter = {
  id: 'github',
  name: 'GitHub',
  domains: ['github.com'],
  formats: [
    {
      normalisedPattern: /^[0-9a-f]{10}$/,
      display: groupedDisplay([5, 5], '-', 'lower'),
      caseSensitive: false,
      ignoresSeparators: false,
      count: 16,
    },
  ],
  regenerateSteps:
    'Settings → Password and authentication → Recovery codes → View → Generate new recovery codes',
  fileNamePattern: /^github-recovery-codes(?: ?\(\d+\))?\.txt$/i,
  // "Enter a two-factor recovery code" leads to its own page, away from the TOTP field.
  otpFieldAcceptsBackup: false,
};

/*
Test URLs:
https://github.com/sessions/two-factor
https://github.com/sessions/two-factor/recovery
https://github.com/settings/auth/recovery-codes
*/
