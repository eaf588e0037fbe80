/**
 * Issue 12: a tilted phone photo of a screen is measured from the first reading's character baselines and
 * turned level before a second reading (src/core/ocr/deskew.ts).
 */
import { describe, expect, test } from 'vitest';
import { estimateSkew, MIN_SKEW, rotate } from '../../../src/core/ocr/deskew';
import { readScreenshotPixels, type Recognise } from '../../../src/core/ocr/pipeline';
import type { OcrLine, OcrWord } from '../../../src/core/ocr/read';

const DEG = Math.PI / 180;

/** A word of characters 20 px wide, 4 apart, whose bottoms fall by `slope` per pixel from (x0, baseline). */
function word(text: string, x0: number, baseline: number, slope: number): OcrWord {
  const symbols = [...text].map((char, i) => {
    const x = x0 + i * 24;
    const bottom = baseline + (x + 10) * slope + (/[gjpqy]/.test(char) ? 9 : 0);
    return { text: char, confidence: 98, bbox: { x0: x, x1: x + 20, y0: bottom - 30, y1: bottom } };
  });
  return {
    text,
    confidence: 98,
    bbox: { x0, x1: x0 + text.length * 24, y0: baseline - 30, y1: baseline + 30 },
    symbols,
  };
}

describe('estimateSkew', () => {
  test('a photo tilted by 1.5°: the lines’ baselines say so', () => {
    const slope = Math.tan(1.5 * DEG);
    const lines: OcrLine[] = [100, 200, 300, 400].map((y) => ({
      words: [word('1.', 0, y, slope), word('6173', 60, y, slope), word('3095', 180, y, slope)],
    }));
    expect(estimateSkew(lines) / DEG).toBeCloseTo(1.5, 1);
  });

  test('two columns from different rows in one line: each run is measured alone', () => {
    const slope = Math.tan(-1.5 * DEG);
    // Tesseract joined row k of the left column with row k + 1 of the right, 40 px lower.
    const lines: OcrLine[] = [100, 200, 300].map((y) => ({
      words: [word('6173 3095', 0, y, slope), word('9875 1288', 600, y + 40, slope)],
    }));
    expect(estimateSkew(lines) / DEG).toBeCloseTo(-1.5, 1);
  });

  test('a straight screenshot, descenders and all, is left alone; so is a page with too few lines', () => {
    const straight: OcrLine[] = [100, 200, 300].map((y) => ({
      words: [word('Keep', 0, y, 0), word('your', 110, y, 0), word('backup', 220, y, 0)],
    }));
    expect(estimateSkew(straight)).toBe(0);
    const slope = Math.tan(2 * DEG);
    expect(estimateSkew([{ words: [word('6173 3095', 0, 100, slope)] }])).toBe(0);
    // Under the threshold: not worth a second reading.
    const slight: OcrLine[] = [100, 200, 300].map((y) => ({
      words: [word('6173 3095', 0, y, 0.5 * MIN_SKEW)],
    }));
    expect(estimateSkew(slight)).toBe(0);
  });
});

describe('rotate', () => {
  test('a line that falls by the angle comes out level', () => {
    const size = 201;
    const angle = 2 * DEG;
    const data = new Uint8Array(size * size).fill(255);
    for (let x = 0; x < size; x++) {
      const y = Math.round(100 + (x - 100) * Math.tan(angle));
      for (let dy = -1; dy <= 1; dy++) data[(y + dy) * size + x] = 0;
    }
    const level = rotate({ width: size, height: size, data }, angle);
    for (const x of [20, 100, 180]) expect(level.data[100 * size + x]).toBeLessThan(100);
    // Before, the line's ends were off row 100.
    expect(data[100 * size + 20]).toBe(255);
    expect(data[100 * size + 180]).toBe(255);
  });

  test('the corners it uncovers are white; by 0 it is the same picture', () => {
    const grey = { width: 50, height: 50, data: new Uint8Array(2500).fill(0) };
    expect(rotate(grey, 5 * DEG).data[0]).toBe(255);
    expect(rotate(grey, 0).data).toEqual(grey.data);
  });
});

describe('pipeline: a tilted photo is read again, level', () => {
  // Three codes, one a line: 6173 3095, 6174 3096, 6175 3097.
  const tilted = (slope: number): OcrLine[] =>
    [100, 200, 300].map((y, i) => ({
      words: [word(String(6173 + i), 0, y, slope), word(String(3095 + i), 120, y, slope)],
    }));

  test('without a site to read again by, the level reading is kept only if it finds as many codes', async () => {
    const pixels = { width: 1200, height: 600, data: new Uint8Array(1200 * 600 * 4).fill(255) };
    for (const [levelCodes, expected] of [
      [1, 3],
      [3, 3],
    ] as const) {
      let pages = 0;
      const recognise: Recognise = async () => {
        pages++;
        if (pages === 1) return tilted(Math.tan(1.5 * DEG));
        // Level, the resampled picture lost some rows: 'reo Sey' for a code.
        return tilted(0).map((l, i) =>
          i < levelCodes ? l : { words: [word('reo', 0, 100 * i, 0), word('Sey', 120, 100 * i, 0)] },
        );
      };
      const reading = await readScreenshotPixels(pixels, recognise);
      expect(pages).toBe(2);
      expect(reading.codes).toHaveLength(expected);
    }
  });

  test('tilted and small: turned and scaled up for one more reading, not two', async () => {
    const widths: number[] = [];
    const recognise: Recognise = async (image, mode) => {
      if (mode.whitelist) return [];
      widths.push(image.width);
      const lines = tilted(widths.length === 1 ? Math.tan(1.5 * DEG) : 0);
      // Words 14 px tall: text too small for tesseract.
      for (const w of lines.flatMap((l) => l.words)) w.bbox.y0 = w.bbox.y1 - 14;
      return lines;
    };
    const pixels = { width: 1200, height: 600, data: new Uint8Array(1200 * 600 * 4).fill(255) };
    await readScreenshotPixels(pixels, recognise, { site: 'instagram.com' });
    expect(widths).toHaveLength(2);
    expect(widths[1]).toBeGreaterThan(widths[0]!);
  });

  test('tilted: the page is read a second time, from a turned picture; straight: once', async () => {
    for (const [slope, pages] of [
      [Math.tan(1.5 * DEG), 2],
      [0, 1],
    ] as const) {
      const seen: Uint8Array[] = [];
      const recognise: Recognise = async (image, mode) => {
        if (mode.whitelist) return [];
        seen.push(image.data);
        return tilted(seen.length === 1 ? slope : 0);
      };
      // Dark in the top left corner: a turned picture has white there.
      const pixels = { width: 1200, height: 600, data: new Uint8Array(1200 * 600 * 4).fill(255) };
      for (let y = 0; y < 40; y++)
        for (let x = 0; x < 40; x++) pixels.data.fill(0, (y * 1200 + x) * 4, (y * 1200 + x) * 4 + 3);
      await readScreenshotPixels(pixels, recognise, { site: 'instagram.com' });
      expect(seen).toHaveLength(pages);
      if (pages === 2) {
        expect(seen[0]![0]).toBe(0);
        expect(seen[1]![0]).toBe(255);
      }
    }
  });
});
