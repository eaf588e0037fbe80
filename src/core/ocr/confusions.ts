/**
 * OCR confusions resolved by the site's code format (issue 12): tesseract reads a zero as O, a one as l or I,
 * a five as S, an eight as B. Where the site's codes cannot hold the letter, the digit is what was written;
 * where they cannot hold the digit, the letter. Where they can hold both (Discord's a–z0–9), the character is
 * kept as read and only its confidence can flag it.
 */
import type { SiteAdapter } from '../../sites/types';

/** What tesseract may have read in place of each character, most likely first. */
const LOOKALIKES: Record<string, string> = {
  O: '0',
  o: '0',
  D: '0',
  Q: '0',
  '©': '0',
  '0': 'oO',
  l: '1',
  I: '1',
  i: '1',
  '|': '1',
  '!': '1',
  '1': 'lI',
  S: '5',
  s: '5',
  $: '5',
  '5': 'sS',
  B: '8',
  '8': 'B',
  Z: '2',
  z: '2',
  '2': 'zZ',
};

const CANDIDATES = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The characters a site shows in its codes, in the case it shows them; empty when no format says. */
export function codeAlphabet(site: SiteAdapter): Set<string> {
  const alphabet = new Set<string>();
  for (const format of site.formats) {
    for (const char of CANDIDATES) {
      const probe = format.caseSensitive ? char : char.toLowerCase();
      for (let length = 1; length <= 64; length++) {
        const sample = probe.repeat(length);
        if (!format.normalisedPattern.test(sample)) continue;
        // The case the site shows it in: its display of a whole code of this character.
        const shown = format.caseSensitive ? sample : format.display(sample);
        alphabet.add(shown === sample.toUpperCase() && shown !== sample ? char.toUpperCase() : shown[0]!);
        if (format.caseSensitive) alphabet.add(char);
        break;
      }
    }
  }
  return alphabet;
}

/**
 * Whether the site's codes can hold both this character and one it looks like (Discord's l and 1, o and 0):
 * then no format can tell which was written, and only a sure reading can.
 */
export function isAmbiguous(char: string, alphabet: Set<string>): boolean {
  if (!alphabet.has(char)) return false;
  return (
    [...(LOOKALIKES[char] ?? '')].some((lookalike) => alphabet.has(lookalike)) ||
    Object.entries(LOOKALIKES).some(
      ([other, looks]) => other !== char && looks.includes(char) && alphabet.has(other),
    )
  );
}

export interface ResolvedChar {
  char: string;
  /** The character was read as something else and changed by the format. */
  changed: boolean;
}

/**
 * One character as the site's alphabet reads it. Characters outside any lookalike or case change are left as
 * they are: the parser decides what is a code.
 */
export function resolveChar(char: string, alphabet: Set<string>): ResolvedChar {
  if (alphabet.size === 0 || alphabet.has(char)) return { char, changed: false };
  for (const lookalike of LOOKALIKES[char] ?? '') {
    if (alphabet.has(lookalike)) return { char: lookalike, changed: true };
  }
  const otherCase = char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase();
  if (alphabet.has(otherCase)) return { char: otherCase, changed: false };
  return { char, changed: false };
}

/**
 * A word as the site's alphabet reads it, when it can be part of a code: it has a digit as read, or, resolved,
 * it is a whole code of the site's format. Other words ('Backup', 'codes', 'SOS') stay as read, so the format
 * never turns prose into codes.
 */
export function resolveWord(word: string, alphabet: Set<string>, site: SiteAdapter): ResolvedChar[] | null {
  if (alphabet.size === 0) return null;
  const resolved = [...word].map((char) =>
    /[-\u2010-\u2015]/.test(char) ? { char, changed: false } : resolveChar(char, alphabet),
  );
  if (resolved.every((c, i) => c.char === word[i])) return null;
  const compact = resolved
    .map((c) => c.char)
    .join('')
    .replace(/[-\u2010-\u2015]/g, '');
  if (![...compact].every((char) => alphabet.has(char))) return null;
  const isCode = site.formats.some((format) =>
    format.normalisedPattern.test(format.caseSensitive ? compact : compact.toLowerCase()),
  );
  return /\d/.test(word) || isCode ? resolved : null;
}
