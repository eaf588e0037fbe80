import type { SiteAdapter } from '../../sites/types';

/**
 * Characters people and sites put inside or around a code without changing it: spaces (incl. no-break and
 * other Unicode spaces), ASCII and Unicode hyphens/dashes, zero-width characters and the BOM.
 */
export const CODE_SEPARATORS = /[\s\-\u2010-\u2015\u200b-\u200d\u2060\ufeff]/g;

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
