/**
 * Instagram backup codes.
 *
 * Sources:
 * - https://www.timesnownews.com/technology-science/article/whats-a-recovery-code-how-to-use-it-on-instagram/585680
 *   — codes are 8 digits, entered without spaces at the login prompt, each usable once.
 * - Spare design §1 (stories 2 and 3): codes pasted as '1234 5678'; regenerate via Settings → Security →
 *   Two-factor authentication → Backup codes.
 *
 * Left out (no reliable public source): `count` (third-party pages say 5, 10 or 12), `regenerateUrl` (the
 * settings moved into Accounts Center; no stable URL found), `fileNamePattern` (no download, screenshot only),
 * `fieldHints`.
 */
import { groupedDisplay } from './formats';
import type { SiteAdapter } from './types';

export const instagram: SiteAdapter = {
  id: 'instagram',
  name: 'Instagram',
  domains: ['instagram.com'],
  formats: [
    {
      normalisedPattern: /^\d{8}$/,
      display: groupedDisplay([4, 4], ' '),
      caseSensitive: false,
      // "enter any one of the 8-digit recovery codes (without spaces)"
      ignoresSeparators: true,
    },
  ],
  regenerateSteps: 'Settings → Security → Two-factor authentication → Backup codes',
  // The source says the code is entered "when prompted", not whether the prompt is the same field.
  otpFieldAcceptsBackup: 'unknown',
};

/*
Test URLs:
https://www.instagram.com/accounts/login/
https://www.instagram.com/accounts/login/two_factor/
*/
