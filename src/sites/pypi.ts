/**
 * PyPI recovery codes.
 *
 * Sources:
 * - pypi/warehouse warehouse/accounts/services.py generate_recovery_codes (secrets.token_hex(8) → 16
 *   lowercase hex; RECOVERY_CODE_COUNT = 8) and
 *   warehouse/templates/manage/account/recovery_codes-provision.html (the copy button puts
 *   'PyPI recovery codes\n' + codes joined by '\n' on the clipboard) — fixtures/parse case 020.
 * - https://github.com/pypi/warehouse/issues/5586 — recovery codes bypass 2FA at login.
 *
 * Left out: `regenerateUrl` and exact menu wording (not captured from the templates), `fileNamePattern` (copy/print only), `fieldHints`.
 */
import { compactDisplay } from './formats';
import type { SiteAdapter } from './types';

export const pypi: SiteAdapter = {
  id: 'pypi',
  name: 'PyPI',
  domains: ['pypi.org'],
  formats: [
    {
      normalisedPattern: /^[0-9a-f]{16}$/,
      display: compactDisplay,
      caseSensitive: false,
      ignoresSeparators: false,
      count: 8,
    },
  ],
  otpFieldAcceptsBackup: 'unknown',
};

/*
Test URLs:
https://pypi.org/account/login/
https://pypi.org/manage/account/
*/
