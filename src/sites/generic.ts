/**
 * Fallback for sites without an adapter (self-hosted apps, small sites). It accepts the shapes common across
 * backup-code generators, read from their sources (see /work/shared/fixtures/detection/SOURCES.md): 8+ digit
 * codes (django-allauth, WordPress two-factor), hex strings (devise-two-factor 16, Discourse 32), and
 * letters-with-digits codes, grouped or not (BookStack xxxxx-xxxxx, Friendica xxxxxx-xxxxxx, Laravel Fortify
 * 10-10 mixed case). Case is kept as given because some of these generators are case-sensitive. Codes made of
 * letters only are accepted by the parser only when written with dashes, in a group shape of four groups or more
 * (Bitwarden's 8×4), or in both cases changing case as a random draw does (Nextcloud); how groups joined by spaces
 * make one code is in src/core/codes/shapes.ts.
 *
 * Not registered in ALL_SITES: it matches no domain; the registry exports it as GENERIC_SITE.
 */
import { compactDisplay } from './formats';
import type { SiteAdapter } from './types';

export const generic: SiteAdapter = {
  id: 'generic',
  name: 'Other website',
  domains: [],
  formats: [
    {
      normalisedPattern: /^\d{8,20}$/,
      display: compactDisplay,
      caseSensitive: true,
      ignoresSeparators: false,
    },
    {
      normalisedPattern: /^[0-9a-fA-F]{8,64}$/,
      display: compactDisplay,
      caseSensitive: true,
      ignoresSeparators: false,
    },
    {
      normalisedPattern: /^(?=[a-zA-Z]*\d)(?=\d*[a-zA-Z])[0-9a-zA-Z]{8,40}$/,
      display: compactDisplay,
      caseSensitive: true,
      ignoresSeparators: false,
    },
  ],
  otpFieldAcceptsBackup: 'unknown',
};
