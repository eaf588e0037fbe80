/**
 * Text cleaning, before any line is read: what a web page, a word processor or a spreadsheet puts into copied
 * text without showing it. Each step keeps what a person sees and nothing else.
 */

/**
 * Characters with no width that pages put inside or beside codes (zero-width space/joiner/non-joiner, word
 * joiner and the invisible operators, soft hyphen, BOM, combining grapheme joiner, Hangul fillers, the Mongolian
 * vowel separator, and the bidi marks, embeddings, overrides and isolates). Removed: a code shown as
 * `4283f\u200b-\u200befc63` is `4283f-efc63`.
 */
const INVISIBLE =
  /\u034f|\u17b4|\u17b5|[\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;

/** Spaces other than U+0020 (no-break, narrow no-break, figure, thin, ideographic…): read as one space. */
const OTHER_SPACES = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g;

/** Combining overlays that strike a character through (U+0335 short, U+0336 long stroke, U+0338 long solidus). */
const STRIKE_OVERLAY = /[\u0335\u0336\u0338]/;
const isOverlay = (c: string | undefined) => c === '\u0335' || c === '\u0336' || c === '\u0338';

export function cleanText(text: string): string {
  // Invisible characters first: one between '\r' and '\n' must not make two line breaks.
  let cleaned = text.replace(INVISIBLE, '').replace(/\r\n?|[\u0085\u2028\u2029]/g, '\n');
  cleaned = cleaned.replace(OTHER_SPACES, ' ');
  if (STRIKE_OVERLAY.test(cleaned)) cleaned = overlaysAsStrikethrough(cleaned);
  return cleaned;
}

/**
 * Text struck through with combining overlays ("1̶2̶3̶4̶ 5̶6̶7̶8̶", what "strikethrough text generators" and some
 * note apps produce) rewritten as markdown strikethrough (`~~1234 5678~~`), which the line reader already
 * treats as struck: one notion of "struck" for every way of writing it. A space between struck characters
 * stays inside the struck span.
 */
function overlaysAsStrikethrough(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (!isOverlay(text[i + 1])) {
      if (!isOverlay(text[i])) out += text[i];
      i++;
      continue;
    }
    let struck = '';
    while (i < text.length) {
      if (isOverlay(text[i + 1])) {
        struck += text[i];
        i += 2;
        while (isOverlay(text[i])) i++;
      } else if (text[i] === ' ' && isOverlay(text[i + 2]) && text[i + 1] !== '\n') {
        struck += ' ';
        i++;
      } else break;
    }
    out += `~~${struck}~~`;
  }
  return out;
}
