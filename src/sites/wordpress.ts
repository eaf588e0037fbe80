/**
 * WordPress with the Two-Factor plugin (self-hosted: no domain of its own).
 *
 * Sources:
 * - WordPress/two-factor providers/class-two-factor-backup-codes.php: 10 codes of 8 digits (length filterable
 *   via two_factor_backup_code_length); download 'two-factor-backup-codes.txt' with '1. code' lines; the login
 *   field is name="two-factor-backup-code" id="authcode" placeholder "XXXXXXXX" (fixtures/detection 012).
 *
 * Left out: `regenerateUrl` and `regenerateSteps` (per-site admin pages; the plugin's menu wording was not
 * read).
 */
import { compactDisplay } from './formats';
import type { SiteAdapter } from './types';

export const wordpress: SiteAdapter = {
  id: 'wordpress',
  name: 'WordPress (Two-Factor plugin)',
  domains: [],
  formats: [
    {
      normalisedPattern: /^\d{8}$/,
      display: compactDisplay,
      caseSensitive: false,
      ignoresSeparators: true,
      count: 10,
    },
  ],
  fileNamePattern: /^two-factor-backup-codes(?: ?\(\d+\))?\.txt$/i,
  fieldHints: { names: ['two-factor-backup-code'], ids: ['authcode'], placeholders: ['XXXXXXXX'] },
  // The plugin shows backup codes as their own provider with its own form.
  otpFieldAcceptsBackup: false,
};

/*
Test URLs:
https://example.com/wp-login.php?action=backup_2fa
https://example.com/wp-admin/profile.php
*/
