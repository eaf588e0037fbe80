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
import { codeAlphabet } from './confusions';
import { codeWords, readOcrLines, siteForReading, type OcrLine, type OcrWord, type ScreenshotReading } from './read';
import { rescaleForText } from './tesseract-page';

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
    const whitelist = `${[...codeAlphabet(site)].join('')}-`;
    for (const line of lines) {
      for (const word of codeWords(line, site)) await rereadWord(word, image, whitelist, recognise);
    }
  }
  return readOcrLines(lines, options);
}

/** Reads one word again within its box; takes the second reading, its differences from the first marked unsure. */
async function rereadWord(word: OcrWord, image: GreyImage, whitelist: string, recognise: Recognise) {
  const height = word.bbox.y1 - word.bbox.y0;
  const pad = Math.round(height * 0.35);
  const box = crop(image, {
    x0: word.bbox.x0 - pad,
    y0: word.bbox.y0 - pad,
    x1: word.bbox.x1 + pad,
    y1: word.bbox.y1 + pad,
  });
  const again = (await recognise(box, { whitelist })).flatMap((line) => line.words);
  const symbols = again.flatMap((w) => w.symbols);
  const text = symbols.map((symbol) => symbol.text).join('');
  if (text.length !== word.text.length || again.length === 0) return;
  const confidence = Math.min(...again.map((w) => w.confidence));
  word.symbols = symbols.map((symbol, i) => ({
    text: symbol.text,
    confidence:
      symbol.text === word.text[i]
        ? Math.max(symbol.confidence, word.symbols[i]?.confidence ?? 0)
        : Math.min(symbol.confidence, DISAGREED),
  }));
  word.text = text;
  word.confidence = Math.min(confidence, word.confidence);
}
