/**
 * The screenshot pipeline both runners share (issue 12): the popup and the CLI decode the picture and run
 * tesseract; everything between is here, with tesseract behind `Recognise`.
 *
 * 1. Pre-process (grey, dark mode inverted, size) and read the whole picture.
 * 2. Text too small for tesseract (a 1× desktop screenshot): scale up and read again.
 * 3. With a known site, read each word that holds a code again, alone, restricted to the site's alphabet
 *    (digits for Instagram). Where the two readings disagree, the character is marked unsure.
 * 4. The confusions left are resolved by the format, the text goes through the paste parser, and codes with
 *    an unsure character are flagged (read.ts).
 */
import type { GreyImage, RgbaImage } from './preprocess';
import { crop, prepareForOcr, resize } from './preprocess';
import { codeAlphabet, resolveChar } from './confusions';
import {
  codeWords,
  readOcrLines,
  siteForReading,
  type OcrLine,
  type OcrWord,
  type ScreenshotReading,
} from './read';
import { rescaleForText } from './tesseract-page';
import type { SiteAdapter } from '../../sites/types';

/** Reads a grey image: the whole page, or, with `whitelist`, one line of only those characters. */
export type Recognise = (image: GreyImage, mode: { whitelist?: string }) => Promise<OcrLine[]>;

/** Below this confidence, a character two readings disagree on (or the second read alone) is unsure. */
const DISAGREED = 40;

export async function readScreenshotPixels(
  pixels: RgbaImage,
  recognise: Recognise,
  options: { site?: string } = {},
): Promise<ScreenshotReading> {
  let image: GreyImage = prepareForOcr(pixels);
  let lines = await recognise(image, {});
  const rescale = rescaleForText(lines);
  if (rescale !== null) {
    image = resize(image, rescale);
    lines = await recognise(image, {});
  }
  const site = siteForReading(lines, options);
  if (site) {
    for (const line of lines) {
      for (const word of codeWords(line, site)) await rereadWord(word, image, site, recognise);
    }
  }
  return readOcrLines(lines, options);
}

/**
 * Reads one word again within its box, restricted to the site's alphabet. When the first reading fits the
 * alphabet it stays (alone, a restricted reading of a crop guesses more than it reads), and every character the
 * two readings disagree on is marked unsure. When it does not ('6€e9ba' for '6e9ba') and the second does, the
 * second is taken, every character marked unsure: the user checks it against the picture.
 */
async function rereadWord(word: OcrWord, image: GreyImage, site: SiteAdapter, recognise: Recognise) {
  const alphabet = codeAlphabet(site);
  const whitelist = `${[...alphabet].join('')}-`;
  const height = word.bbox.y1 - word.bbox.y0;
  const pad = Math.round(height * 0.35);
  const box = crop(image, {
    x0: word.bbox.x0 - pad,
    y0: word.bbox.y0 - pad,
    x1: word.bbox.x1 + pad,
    y1: word.bbox.y1 + pad,
  });
  const again = (await recognise(box, { whitelist }))
    .flatMap((line) => line.words)
    .map((w) => w.text)
    .join('');
  const first = [...word.text];
  const second = [...again];
  const symbols = perCharacter(word);
  if (!fits(word.text, alphabet) && second.length > 0 && fits(again, alphabet)) {
    word.text = again;
    word.symbols = second.map((char) => ({ text: char, confidence: DISAGREED }));
    return;
  }
  word.symbols = first.map((char, i) => ({
    text: char,
    confidence:
      second.length === first.length && sameCode(second[i]!, char, alphabet)
        ? symbols[i]!
        : Math.min(symbols[i]!, DISAGREED),
  }));
}

/** Every character, resolved by the format, is in the site's alphabet (dashes apart). */
function fits(text: string, alphabet: Set<string>): boolean {
  return [...text].every(
    (char) => /[-\u2010-\u2015]/.test(char) || alphabet.has(resolveChar(char, alphabet).char),
  );
}

/** The two readings agree on a character when they match, or when the first is the lookalike the format resolves. */
function sameCode(restricted: string, first: string, alphabet: Set<string>): boolean {
  if (restricted === first) return true;
  if (alphabet.has(first)) return false;
  return resolveChar(first, alphabet).char === restricted;
}

function perCharacter(word: OcrWord): number[] {
  const out: number[] = [];
  for (const symbol of word.symbols) for (const _ of symbol.text) out.push(symbol.confidence);
  return out.length === [...word.text].length ? out : [...word.text].map(() => word.confidence);
}
