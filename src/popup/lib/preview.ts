/**
 * What the add-account and replace-codes screens show before saving: the parsed codes and the checks
 * against the site's known format (design §1 story 2). Pure: the parser, the domain rules and the site
 * adapters only.
 */
import { decodeText, formatOf, parseBackupCodes, type ParsedCode } from '../../core/codes';
import { isSpareError } from '../../core/errors';
import { allowsPlainHttp, normaliseSiteInput, registrableDomain } from '../../core/domain';
import { t } from '../../i18n';
import { siteForDomain } from '../../sites/registry';
import type { NewCode } from '../../core/vault/model';

export interface CodesPreview {
  codes: ParsedCode[];
  usedCount: number;
  /** The site the file name or text revealed (only looked for when the user gave none). */
  detectedSite: string | null;
  /** Format and count checks against the site adapter; advice, not a refusal. */
  warnings: string[];
}

export type SiteCheck = { site: string; error: null } | { site: null; error: string | null };

/** The Website field as the background will store it, or why it is not a site. Empty input is no error yet. */
export function checkSite(input: string): SiteCheck {
  if (input.trim() === '') return { site: null, error: null };
  try {
    return { site: normaliseSiteInput(input), error: null };
  } catch (error) {
    return { site: null, error: isSpareError(error) ? error.message : t('add.notASite') };
  }
}

/**
 * The site to suggest in Add account for the page the popup was opened on: its registrable domain, as an
 * account would store it (design §4.2), or null for a page no account could match (not http(s), plain http on
 * a public address, no registrable domain).
 */
export function siteOfPage(url: string | null): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && allowsPlainHttp(host))) return null;
  return registrableDomain(host);
}

export function previewCodes(
  text: string,
  options: { site?: string | null; fileName?: string } = {},
): CodesPreview {
  if (text.trim() === '') return { codes: [], usedCount: 0, detectedSite: null, warnings: [] };
  const site = options.site ?? undefined;
  const result = parseBackupCodes(text, { site, fileName: options.fileName });
  const codes = result.codes;
  const warnings: string[] = [];
  const adapter = site ? siteForDomain(site) : result.site ? siteForDomain(result.site) : undefined;
  if (adapter && codes.length > 0) {
    const off = codes.filter((code) => !formatOf(code.code, adapter)).length;
    if (off > 0) {
      warnings.push(
        off === codes.length
          ? t('add.notLike', { site: adapter.name })
          : t('add.offFormat', { off, count: codes.length, site: adapter.name }),
      );
    }
    const usual = adapter.formats[0]?.count;
    if (usual !== undefined && codes.length !== usual) {
      warnings.push(t('add.usualCount', { site: adapter.name, usual, count: codes.length }));
    }
  }
  return {
    codes,
    usedCount: codes.filter((code) => code.used).length,
    detectedSite: site ? null : result.site,
    warnings,
  };
}

/** The parsed codes as the vault takes them; codes the text marks as used arrive used. */
export function toNewCodes(codes: readonly ParsedCode[]): NewCode[] {
  return codes.map((code) => (code.used ? { value: code.code, used: true } : { value: code.code }));
}

/** No site's list of backup codes comes near this; a larger file is something else, and parsing it would stall. */
export const MAX_CODES_FILE_BYTES = 1024 * 1024;

/**
 * Reads an imported file as text the way the parser decodes it (BOM or none, UTF-8 or UTF-16), or says why
 * it will not. Both import paths (add account, replace codes) read files through this.
 */
export async function readCodesFile(file: File): Promise<{ text: string } | { error: string }> {
  if (file.size > MAX_CODES_FILE_BYTES) return { error: t('add.tooLarge', { file: file.name }) };
  try {
    return { text: decodeText(new Uint8Array(await file.arrayBuffer())) };
  } catch {
    return { error: t('add.unreadableFile', { file: file.name }) };
  }
}

export const NO_CODES_MESSAGE = t('add.noCodes');
