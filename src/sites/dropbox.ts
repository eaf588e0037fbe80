/**
 * Dropbox two-step verification backup codes.
 *
 * Sources:
 * - https://www.dropbox.com/guide/business/security/add-an-extra-layer-of-security — "you'll receive ten
 *   8-digit backup codes"; Settings → Security → Two-step verification.
 * - https://www.dropbox.com/help/363 (older text) — "a special 16-digit backup code": kept as a legacy format
 *   so an old saved code still parses.
 * - https://help.dropbox.com/en-us/account-access/enable-two-step-verification — settings path.
 *
 * Left out: `regenerateUrl` (the help page's shortcut link was not captured), display grouping (not documented; digits are shown as they are), `fileNamePattern`, `fieldHints`.
 */
import { compactDisplay } from './formats';
import type { SiteAdapter } from './types';

export const dropbox: SiteAdapter = {
  id: 'dropbox',
  name: 'Dropbox',
  domains: ['dropbox.com'],
  formats: [
    {
      normalisedPattern: /^\d{8}$/,
      display: compactDisplay,
      caseSensitive: false,
      ignoresSeparators: true,
      count: 10,
    },
    {
      normalisedPattern: /^\d{16}$/,
      display: compactDisplay,
      caseSensitive: false,
      ignoresSeparators: true,
      count: 1,
    },
  ],
  regenerateSteps: 'Avatar → Settings → Security → Two-step verification',
  otpFieldAcceptsBackup: 'unknown',
};

/*
Test URLs:
https://www.dropbox.com/login
https://www.dropbox.com/account/security
*/
