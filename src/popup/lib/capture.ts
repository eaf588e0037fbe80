/**
 * "Capture codes from this page" (issue 10 §3), the part that can be pure: what the popup makes of the page's
 * text. The text holds codes, so it goes no further than this function: what comes out is the parsed codes
 * (the same preview as a paste in Add account) and the page's site, never the text itself.
 */
import { previewCodes, siteOfPage, type CodesPreview } from './preview';
import type { ActiveTabText } from '../platform';

export type Capture =
  /** The browser does not let extensions read the page (its own pages, add-on stores, the PDF viewer). */
  | { kind: 'forbidden' }
  /** A page no account could match (plain http on a public address, say): there is no site to save for. */
  | { kind: 'not-a-site' }
  | { kind: 'no-codes'; fromSelection: boolean }
  | { kind: 'codes'; site: string; preview: CodesPreview; fromSelection: boolean };

export function captureFromPage(url: string | null, page: ActiveTabText): Capture {
  if (page.kind === 'forbidden') return { kind: 'forbidden' };
  const site = siteOfPage(url);
  if (!site) return { kind: 'not-a-site' };
  const preview = previewCodes(page.text, { site });
  if (preview.codes.length === 0) return { kind: 'no-codes', fromSelection: page.fromSelection };
  return { kind: 'codes', site, preview, fromSelection: page.fromSelection };
}
