/**
 * The one way both runners (popup and CLI) ask tesseract for a page and read its answer. No tesseract import
 * here: the settings are plain values and the page is read through the shape it has.
 */
import type { OcrLine } from './read';

/** Tesseract's `Page` as far as this reads it (`blocks → paragraphs → lines → words → symbols`). */
export interface TesseractPage {
  blocks: { paragraphs: { lines: OcrLine[] }[] }[] | null;
}

export const OCR_LANGUAGE = 'eng';
/** LSTM only: the best_int data of @tesseract.js-data/eng and the small `-lstm` core. */
export const OCR_ENGINE_LSTM_ONLY = 1;

/**
 * Page segmentation 6 (one uniform block of text): a code list is a block of short lines, and reading the
 * picture as one block keeps each line whole, a list number, its code and a second column together, which
 * the parser needs to pair '1234' with '5678'. Measured on the corpus with every other step the same
 * (the pipeline as it was then): 6 read 281 of 286 codes, 4 (one column of text of varying sizes) 276, 11
 * (sparse text, in no order) 208:
 * it split Google's and the editor's list lines into loose words. Word spaces are kept so '1234 5678' stays
 * one code and a column gap stays a gap.
 */
export const OCR_PARAMETERS = {
  tessedit_pageseg_mode: '6',
  preserve_interword_spaces: '1',
  user_defined_dpi: '144',
} as const;

export function pageLines(page: TesseractPage): OcrLine[] {
  const lines: OcrLine[] = [];
  for (const block of page.blocks ?? [])
    for (const paragraph of block.paragraphs) for (const line of paragraph.lines) lines.push(line);
  // Reading order: top to bottom, a line that starts lower than another ends below it.
  return lines.sort((a, b) => top(a) - top(b) || left(a) - left(b));
}

const top = (line: OcrLine) => Math.min(...line.words.map((word) => word.bbox.y0));
const left = (line: OcrLine) => Math.min(...line.words.map((word) => word.bbox.x0));

/** Tesseract reads best with capitals about this tall (in pixels); 48 read the 1× corpus shots best (40: 94.4%, 48: 95.8%). */
const TARGET_WORD_HEIGHT = 48;
const SMALL_WORD_HEIGHT = 26;
const MAX_TEXT_UPSCALE = 4;

/**
 * How much to scale the picture up for a second reading, or null when its text was large enough: a desktop
 * screenshot at 1× has 12–16 px letters, where 0 and e, 5 and s look alike to tesseract.
 */
export function rescaleForText(lines: OcrLine[]): number | null {
  const heights = lines
    .flatMap((line) => line.words)
    .filter((word) => /[A-Za-z0-9]{2}/.test(word.text))
    .map((word) => word.bbox.y1 - word.bbox.y0)
    .sort((a, b) => a - b);
  if (heights.length === 0) return null;
  const median = heights[Math.floor(heights.length / 2)]!;
  if (median >= SMALL_WORD_HEIGHT) return null;
  return Math.min(MAX_TEXT_UPSCALE, TARGET_WORD_HEIGHT / Math.max(1, median));
}

/** The parameters for a mode of `Recognise` (pipeline.ts): the page, or one line of the site's alphabet. */
export function parametersFor(mode: { whitelist?: string }): Record<string, string> {
  return mode.whitelist === undefined
    ? { ...OCR_PARAMETERS, tessedit_char_whitelist: '' }
    : { ...OCR_PARAMETERS, tessedit_pageseg_mode: '7', tessedit_char_whitelist: mode.whitelist };
}
