import type { SiteAdapter } from '../../sites/types';

/**
 * Characters people and sites put inside or around a code without changing it: spaces (incl. no-break and
 * other Unicode spaces), ASCII and Unicode hyphens/dashes, and the invisible ones (zero-width characters, word
 * joiner, soft hyphen, BOM, bidi marks; the same set src/core/codes/clean.ts removes before parsing).
 */
export const CODE_SEPARATORS =
  /\u034f|\u17b4|\u17b5|[\s\-\u00ad\u061c\u115f\u1160\u180e\u2010-\u2015\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;

/**
 * The comparison form of a code: separators removed, lowercased unless the site's codes are case-sensitive.
 * Two codes are the same code exactly when their comparison forms are equal.
 */
export function normaliseCode(code: string, site?: SiteAdapter): string {
  const compact = code.replace(CODE_SEPARATORS, '');
  const caseSensitive = site?.formats.some((format) => format.caseSensitive) ?? false;
  return caseSensitive ? compact : compact.toLowerCase();
}

/** The site's format this code is in, if any (the first listed wins). */
export function formatOf(code: string, site: SiteAdapter): SiteAdapter['formats'][number] | undefined {
  const compact = code.replace(CODE_SEPARATORS, '');
  return site.formats.find((format) =>
    format.normalisedPattern.test(format.caseSensitive ? compact : compact.toLowerCase()),
  );
}
