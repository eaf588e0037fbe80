/**
 * Discord backup codes.
 *
 * Sources:
 * - Discord web client bundle (see /work/shared/fixtures/parse case 005): the download is
 *   'discord_backup_codes.txt', a header with the e-mail, then '* xxxx-xxxx ' per code with '(used)' after
 *   consumed ones; codes are 8 characters [a-z0-9], split 4-4 with '-' for display.
 * - https://techinheart.com/discord-backup-codes/ and https://shieldplanet.com/discord-backup-codes-where-to-find-them/
 *   — 10 codes; User Settings → My Account → View Backup Codes; "Generate New Backup Codes".
 *
 * Left out: `regenerateUrl` (settings are an in-app modal, no URL), `fieldHints`. Whether the login field
 * takes the code without its dash is not documented, so Spare keeps the dash.
 */
import { groupedDisplay } from './formats';
import type { SiteAdapter } from './types';

export const discord: SiteAdapter = {
  id: 'discord',
  name: 'Discord',
  domains: ['discord.com'],
  formats: [
    {
      normalisedPattern: /^[0-9a-z]{8}$/,
      display: groupedDisplay([4, 4], '-', 'lower'),
      caseSensitive: false,
      ignoresSeparators: false,
      count: 10,
    },
  ],
  regenerateSteps: 'User Settings → My Account → View Backup Codes → Generate New Backup Codes',
  fileNamePattern: /^discord_backup_codes(?: ?\(\d+\))?\.txt$/i,
  otpFieldAcceptsBackup: 'unknown',
};

/*
Test URLs:
https://discord.com/login
https://discord.com/channels/@me
*/
