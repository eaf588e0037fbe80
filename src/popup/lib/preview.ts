/**
 * What the add-account and replace-codes screens show before saving: the parsed codes and the checks
 * against the site's known format (design §1 story 2). Pure: the parser, the domain rules and the site
 * adapters only.
 */
import { decodeText, formatOf, parseBackupCodes, type ParsedCode } from '../../core/codes';
import { isSpareError } from '../../core/errors';
import { normaliseSiteInput } from '../../core/domain';
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
    return { site: null, error: isSpareError(error) ? error.message : 'This is not a website address.' };
  }
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
          ? `These do not look like ${adapter.name} backup codes. Check the website and the text.`
          : `${off} of ${codes.length} codes do not match ${adapter.name}’s usual format: check them for typos.`,
      );
    }
    const usual = adapter.formats[0]?.count;
    if (usual !== undefined && codes.length !== usual) {
      warnings.push(
        `${adapter.name} usually gives ${usual} codes; this has ${codes.length}. Did some get left out?`,
      );
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
  if (file.size > MAX_CODES_FILE_BYTES)
    return {
      error: `${file.name} is too large to be a list of backup codes. Import the file the site let you download, or paste the codes.`,
    };
  try {
    return { text: decodeText(new Uint8Array(await file.arrayBuffer())) };
  } catch {
    return { error: `Spare could not read ${file.name}. Paste the codes instead.` };
  }
}

export const NO_CODES_MESSAGE = 'No backup codes found in this text.';
