/**
 * Google account backup codes.
 *
 * Sources:
 * - https://ncsutech.ncsuvt.org/everything-google/google-2fa — Security → 2-Step Verification → Backup codes;
 *   Get backup codes / Refresh / Download Codes / Print; lost codes: search for "backup-codes-username.txt".
 * - https://resources.emu.edu/confluence/display/HLZ/Setting+Up+Backup+Codes — a set of 10 codes.
 * - https://lite16.com/blog/2022/04/12/what-you-need-to-know-about-google-backup-codes-and-how-to-use-them/ —
 *   sign in via "Try another method" → "Enter one of your backup 8-digit codes".
 * - A printed set (https://github.com/user-attachments/files/24138980/Backup.codes.pdf) shows codes as
 *   '4231 1850', two per row, and "Need more codes? Visit https://g.co/2sv".
 *
 * Layout note (#3): Google numbers the two columns top to bottom, so the parser reads the left column first.
 * Left out: `fieldHints` (not read from Google's markup).
 */
import { groupedDisplay } from './formats';
import type { SiteAdapter } from './types';

export const google: SiteAdapter = {
  id: 'google',
  name: 'Google',
  domains: ['google.com'],
  formats: [
    {
      normalisedPattern: /^\d{8}$/,
      display: groupedDisplay([4, 4], ' '),
      caseSensitive: false,
      ignoresSeparators: true,
      count: 10,
    },
  ],
  regenerateUrl: 'https://g.co/2sv',
  regenerateSteps: 'Google Account → Security → 2-Step Verification → Backup codes',
  // Browsers add ' (1)' to a second download of the same name.
  fileNamePattern: /^backup-codes-.+?(?: ?\(\d+\))?\.txt$/i,
  // Backup codes have their own "Enter one of your 8-digit backup codes" step.
  otpFieldAcceptsBackup: false,
};

/*
Test URLs:
https://accounts.google.com/signin/v2/challenge/bc
https://myaccount.google.com/two-step-verification/backup-codes
*/
