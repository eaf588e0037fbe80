import type { SiteAdapter } from '../../sites/types';
import { GENERIC_SITE } from '../../sites/registry';
import { CODE_SEPARATORS, formatOf } from './normalise';

export type CodeListLayout = 'lines' | 'numbered' | 'two-columns' | 'comma' | 'spaces';

/** Gap between the two columns: wide enough that the parser never reads it as a space inside a code. */
const COLUMN_GAP = '    ';

/**
 * Lays codes out for printing or copying. With a site, each code is shown the way that site shows it; the
 * generic fallback keeps codes as given. Every layout parses back to the same codes in the same order.
 * `two-columns` fills the left column first, top to bottom, like Google's printed sheet.
 */
export function formatCodeList(codes: string[], layout: CodeListLayout, site?: SiteAdapter): string {
  const shown = codes.map((code) => displayFor(code, site));
  switch (layout) {
    case 'lines':
      return shown.join('\n');
    case 'numbered':
      return shown.map((code, index) => `${index + 1}. ${code}`).join('\n');
    case 'comma':
      return shown.join(', ');
    case 'spaces':
      // Codes shown with inner spaces ('1234 5678') need a wider gap between them.
      return shown.join(shown.some((code) => /\s/.test(code)) ? '   ' : ' ');
    case 'two-columns': {
      const rows = Math.ceil(shown.length / 2);
      const left = shown.slice(0, rows);
      const right = shown.slice(rows);
      const width = Math.max(0, ...left.map((code) => code.length));
      return left
        .map((code, row) =>
          right[row] === undefined ? code : `${code.padEnd(width)}${COLUMN_GAP}${right[row]}`,
        )
        .join('\n');
    }
  }
}

function displayFor(code: string, site: SiteAdapter | undefined): string {
  const trimmed = code.trim();
  if (!site || site === GENERIC_SITE) return trimmed;
  const format = formatOf(trimmed, site);
  if (!format) return trimmed;
  const compact = trimmed.replace(CODE_SEPARATORS, '');
  return format.display(format.caseSensitive ? compact : compact.toLowerCase());
}
