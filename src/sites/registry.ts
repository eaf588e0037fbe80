/**
 * The one list of site adapters. Adding a site: create `src/sites/<site>.ts` exporting one SiteAdapter and
 * add it here; tests/core/sites/registry.test.ts fails while a file in this folder is not registered.
 */
import { discord } from './discord';
import { dropbox } from './dropbox';
import { facebook } from './facebook';
import { generic } from './generic';
import { github } from './github';
import { gitlab } from './gitlab';
import { google } from './google';
import { instagram } from './instagram';
import { microsoft } from './microsoft';
import { npm } from './npm';
import { pypi } from './pypi';
import type { SiteAdapter } from './types';
import { wordpress } from './wordpress';
import { x } from './x';

export const ALL_SITES: readonly SiteAdapter[] = [
  instagram,
  facebook,
  google,
  github,
  gitlab,
  microsoft,
  x,
  discord,
  dropbox,
  pypi,
  npm,
  wordpress,
];

/** Used when no adapter matches; never returned by the lookups below except `siteById('generic')`. */
export const GENERIC_SITE: SiteAdapter = generic;

export function siteById(id: string): SiteAdapter | undefined {
  const wanted = id.trim().toLowerCase();
  if (wanted === GENERIC_SITE.id) return GENERIC_SITE;
  return ALL_SITES.find((site) => site.id === wanted);
}

/** `registrableDomain` must already be an eTLD+1 (see src/core/domain). */
export function siteForDomain(registrableDomain: string): SiteAdapter | undefined {
  const wanted = registrableDomain.trim().toLowerCase();
  if (!wanted) return undefined;
  return ALL_SITES.find((site) => site.domains.includes(wanted) || site.extraDomains?.includes(wanted));
}

/**
 * The site a code file came from, by its name (a bare name or a path, either slash). A site's own download name
 * matches even behind a prefix that the user or a tool added ("001-github-recovery-codes.txt",
 * "alice_discord_backup_codes.txt"); failing that, a text file whose name has the site's name as a word
 * ("github-codes-2026.txt") does.
 */
export function siteForFileName(name: string): SiteAdapter | undefined {
  const base = name.split(/[\\/]/).pop()?.trim() ?? '';
  if (!base) return undefined;
  for (let start = 0; start < base.length;) {
    const tail = base.slice(start);
    const byDownloadName = ALL_SITES.find((site) => site.fileNamePattern?.test(tail));
    if (byDownloadName) return byDownloadName;
    const separator = tail.search(/[-_ .]/);
    if (separator < 0) break;
    start += separator + 1;
  }
  const textFile = /^(.+?)(?:\.(?:txt|text|md|csv))?$/i.exec(base);
  if (!textFile || /\.[a-z0-9]{1,5}$/i.test(textFile[1]!)) return undefined;
  const words = textFile[1]!.toLowerCase().split(/[^a-z0-9]+/);
  // Three letters at least: 'x' (X's id) is too common a word to name a site.
  return ALL_SITES.find((site) =>
    words.some(
      (word) => word.length >= 3 && (word === site.id || site.domains.some((d) => d.split('.')[0] === word)),
    ),
  );
}
