/**
 * GitLab recovery codes.
 *
 * Sources:
 * - gitlabhq app/assets/javascripts/authentication/two_factor_auth/components/recovery_codes.vue and
 *   constants.js (RECOVERY_CODE_DOWNLOAD_FILENAME = 'gitlab-recovery-codes.txt', codes joined by '\n').
 * - devise-two-factor two_factor_backupable.rb: SecureRandom.hex(16 / 2) → 16 lowercase hex; GitLab makes 10.
 * - gitlabhq app/views/devise/sessions/two_factor.html.haml: the `user[otp_attempt]` field's help text
 *   offers recovery codes there (fixtures/detection 001); https://gitlab.com/gitlab-org/gitlab/-/issues/196801
 *   ("Enter a recovery code into the field where you would normally enter the 6-digit code").
 * - https://docs.gitlab.com/user/profile/account/two_factor_authentication_troubleshooting.html
 *
 * Left out: `regenerateUrl` and `regenerateSteps` (the settings path moved between GitLab versions and was
 * not read from a current source).
 */
import { compactDisplay } from './formats';
import type { SiteAdapter } from './types';

export const gitlab: SiteAdapter = {
  id: 'gitlab',
  name: 'GitLab',
  domains: ['gitlab.com'],
  formats: [
    {
      normalisedPattern: /^[0-9a-f]{16}$/,
      display: compactDisplay,
      caseSensitive: false,
      ignoresSeparators: false,
      count: 10,
    },
  ],
  fileNamePattern: /^gitlab-recovery-codes(?: ?\(\d+\))?\.txt$/i,
  fieldHints: { ids: ['user_otp_attempt'], names: ['user[otp_attempt]'] },
  otpFieldAcceptsBackup: true,
};

/*
Test URLs:
https://gitlab.com/users/sign_in
https://gitlab.com/-/user_settings/two_factor_auth
*/
