/**
 * The screenshot pipeline both runners share (issue 12): the popup and the CLI decode the picture and run
 * tesseract; everything between is here, with tesseract behind `Recognise`.
 *
 * 1. Pre-process (grey, dark mode inverted, size) and read the whole picture.
 * 2. A tilted photo of a screen: turned level and read again (deskew.ts). Text too small for tesseract (a 1×
 *    desktop screenshot): scaled up and read again.
 * 3. With a known site, read each word that holds a code again, alone, restricted to the site's alphabet
 *    (digits for Instagram), five ways (as is, smaller, larger, binarised, binarised larger); the six readings vote
 *    (vote.ts). Where they disagree, the character is marked unsure.
 * 4. The confusions left are resolved by the format, the text goes through the paste parser, and codes with
 *    an unsure character are flagged (read.ts).
 */
import type { GreyImage, RgbaImage } from './preprocess';
import { crop, otsu, prepareForOcr, resize } from './preprocess';
import { codeAlphabet, resolveChar } from './confusions';
import {
  codeWords,
  holdsCode,
  shapeDecides,
  readOcrLines,
  siteForReading,
  type OcrLine,
  type OcrWord,
  type ScreenshotReading,
} from './read';
import { rescaleForText } from './tesseract-page';
import { voteReadings } from './vote';
import { estimateSkew, rotate } from './deskew';
import { normaliseCode, parseBackupCodes } from '../codes';
import type { SiteAdapter } from '../../sites/types';

/** Reads a grey image: the whole page, or, with `whitelist`, one line of only those characters. */
export type Recognise = (image: GreyImage, mode: { whitelist?: string }) => Promise<OcrLine[]>;

/** Below this confidence, a character two readings disagree on (or the second read alone) is unsure. */
const DISAGREED = 40;
const SURE_WORD = 95;

export async function readScreenshotPixels(
  pixels: RgbaImage,
  recognise: Recognise,
  options: { site?: string } = {},
): Promise<ScreenshotReading> {
  let image: GreyImage = prepareForOcr(pixels);
  let lines = await recognise(image, {});
  // Both from the first reading, so a picture that needs both is read only once more.
  const skew = estimateSkew(lines);
  const rescale = rescaleForText(lines);
  const sized = rescale === null ? image : resize(image, rescale);
  let levelled = false;
  if (skew !== 0) {
    const level = rotate(sized, skew);
    const levelLines = await recognise(level, {});
    // Turned level, a photo's rows stay whole, but the resampling softens it. With a site, the code words and
    // lines are read again (below), which recovers that; without one nothing is, and the reading that finds
    // fewer codes is dropped (a tilted Google sheet read without a site lost its second column once level).
    const readAgain = siteForReading(levelLines, options) !== undefined;
    if (readAgain || codeCount(levelLines, options) >= codeCount(lines, options)) {
      image = level;
      lines = levelLines;
      levelled = true;
    }
  }
  // Not turned level (straight, or the level reading dropped), but too small: read again scaled up.
  if (!levelled && rescale !== null) {
    image = sized;
    lines = await recognise(image, {});
  }
  const site = siteForReading(lines, options);
  if (site) {
    const withCodes = lines.map((line) => holdsCode(line, site));
    for (const [index, read] of lines.entries()) {
      let line = read;
      // Its words are then read again like any (the line's reading in the alphabet is one more vote).
      if (!withCodes[index] && withCodes[index - 1] && withCodes[index + 1])
        line = lines[index] = await rereadLine(line, image, site, recognise);
      for (const word of codeWords(line, site)) {
        // A word tesseract was all but sure of, in the site's alphabet, is not worth the time of a second reading.
        if (word.confidence >= SURE_WORD && fits(word.text, codeAlphabet(site))) continue;
        await rereadWord(word, image, site, recognise);
      }
      if (withCodes[index]) await rereadColumns(line, image, site, recognise);
    }
  }
  return readOcrLines(lines, options);
}

const codeCount = (lines: OcrLine[], options: { site?: string }) => readOcrLines(lines, options).codes.length;

/**
 * A line between two lines of codes that holds none was likely misread whole (Google's list at JPEG quality 70
 * came out as 'Halensonde ts'): it is read again, restricted to the site's alphabet, list numbers' dots and
 * dashes, and taken only if it then holds a code, every character marked unsure.
 */
async function rereadLine(
  line: OcrLine,
  image: GreyImage,
  site: SiteAdapter,
  recognise: Recognise,
): Promise<OcrLine> {
  if (line.words.length === 0) return line;
  const x0 = Math.min(...line.words.map((w) => w.bbox.x0));
  const x1 = Math.max(...line.words.map((w) => w.bbox.x1));
  const y0 = Math.min(...line.words.map((w) => w.bbox.y0));
  const y1 = Math.max(...line.words.map((w) => w.bbox.y1));
  const pad = Math.round((y1 - y0) * 0.35);
  const left = Math.max(0, x0 - pad);
  const top = Math.max(0, y0 - pad);
  const box = crop(image, { x0: left, y0: top, x1: x1 + pad, y1: y1 + pad });
  const whitelist = `${[...codeAlphabet(site)].join('')}-. `;
  const words = (await recognise(box, { whitelist })).flatMap((l) => l.words);
  const again: OcrLine = {
    words: words.map((w) => ({
      ...w,
      bbox: { x0: w.bbox.x0 + left, x1: w.bbox.x1 + left, y0: w.bbox.y0 + top, y1: w.bbox.y1 + top },
      symbols: [...w.text].map((char) => ({ text: char, confidence: DISAGREED })),
    })),
  };
  return holdsCode(again, site) ? again : line;
}

/**
 * A line of codes in columns where one column holds no code ('3. 3481 7367    Halensonde ts'): that column is
 * read again like a misread line.
 */
async function rereadColumns(line: OcrLine, image: GreyImage, site: SiteAdapter, recognise: Recognise) {
  const columns = splitColumns(line.words);
  if (columns.length < 2) return;
  const rebuilt: OcrWord[] = [];
  for (const column of columns) {
    const part: OcrLine = { words: column };
    // A list number or a checkbox alone is no misread code.
    const letters = column.map((w) => w.text.replace(/[^A-Za-z0-9]/g, '')).join('');
    const misread = letters.length >= 4 && !holdsCode(part, site);
    rebuilt.push(...(misread ? (await rereadLine(part, image, site, recognise)).words : column));
  }
  line.words = rebuilt;
}

/** Words split where the gap between two is wider than three characters. */
function splitColumns(words: OcrWord[]): OcrWord[][] {
  const widths = words.map((w) => (w.bbox.x1 - w.bbox.x0) / Math.max(1, w.text.length)).sort((a, b) => a - b);
  const charWidth = widths[Math.floor(widths.length / 2)] ?? 1;
  const columns: OcrWord[][] = [];
  words.forEach((word, i) => {
    if (i === 0 || word.bbox.x0 - words[i - 1]!.bbox.x1 > charWidth * 3) columns.push([word]);
    else columns[columns.length - 1]!.push(word);
  });
  return columns;
}

/**
 * Reads one word again within its box, restricted to the site's alphabet, five ways: as it is, smaller,
 * binarised (Otsu), binarised larger and larger. Each reading alone guesses where the glyph is unclear (a 1×
 * desktop shot's q read as g, a hex 9 as d, a character dropped or doubled), and rarely the same way, so the
 * six readings (the page's first, its lookalikes resolved by the format) vote, character by character
 * (vote.ts); readings of a length that makes a whole code of the site win over more of another length. A
 * character the readings did not all agree on, or that the vote changed, is marked unsure: the user checks
 * it against the picture. (Four ways, without the plain larger one, read 282 of the corpus's 286 codes;
 * five, 283.)
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
  const readBox = async (part: GreyImage) =>
    (await recognise(part, { whitelist }))
      .flatMap((line) => line.words)
      .map((w) => w.text)
      .join('');
  const binary = otsu(box);
  const first = [...word.text];
  const resolved = first.map((char) =>
    /[-\u2010-\u2015]/.test(char) ? char : resolveChar(char, alphabet).char,
  );
  const ways = [
    () => box,
    () => resize(box, SMALLER),
    () => binary,
    () => resize(binary, LARGER),
    () => resize(box, LARGER),
  ];
  const isWhole = (text: string) =>
    parseBackupCodes(text, { site: site.id }).codes.some(
      (code) => normaliseCode(code.code, site) === normaliseCode(text, site),
    );
  const resolvedText = resolved.join('');
  const sureAlready = isWhole(resolvedText);
  const again: string[] = [];
  for (const way of ways) {
    again.push(await readBox(way()));
    // A whole code as the page read it, and three readings that say the same: the other two could not outvote
    // four (a time saver for a desktop shot's many code words).
    if (sureAlready && again.length === SURE_AFTER && again.every((text) => text === resolvedText)) break;
  }
  const voted = voteReadings([resolved, ...again.map((text) => [...text])], isWhole);
  if (voted.chars.length === 0) return;
  const symbols = perCharacter(word);
  const boxes = word.symbols.length === first.length ? word.symbols.map((symbol) => symbol.bbox) : [];
  const chars = voted.chars.map((char, i) => {
    const at = voted.fromFirst[i]!;
    if (at < 0) return { text: char, confidence: DISAGREED };
    const unanimous = voted.votes[i] === voted.voters;
    const confidence = unanimous ? symbols[at]! : Math.min(symbols[at]!, DISAGREED);
    // The first reading's own character where the vote agrees with it (its lookalike resolved later, with the
    // confidence that needs), or where the two are lookalikes the site's codes both hold (o and 0, l and 1):
    // the glyph's size on the page tells them apart (read.ts), which a crop read alone cannot.
    const keep = char === resolved[at] || shapeDecides(first[at]!, char, alphabet);
    return keep
      ? { text: first[at]!, confidence, ...(boxes[at] ? { bbox: boxes[at] } : {}) }
      : { text: char, confidence: DISAGREED };
  });
  word.text = chars.map((c) => c.text).join('');
  word.symbols = chars;
}

/** Restricted readings that agree with the page's, after which the word is sure enough. */
const SURE_AFTER = 3;
const SMALLER = 0.7;
const LARGER = 1.5;

/** Every character, resolved by the format, is in the site's alphabet (dashes apart). */
function fits(text: string, alphabet: Set<string>): boolean {
  return [...text].every(
    (char) => /[-\u2010-\u2015]/.test(char) || alphabet.has(resolveChar(char, alphabet).char),
  );
}

function perCharacter(word: OcrWord): number[] {
  const out: number[] = [];
  for (const symbol of word.symbols) for (const _ of symbol.text) out.push(symbol.confidence);
  return out.length === [...word.text].length ? out : [...word.text].map(() => word.confidence);
}
