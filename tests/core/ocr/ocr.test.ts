/**
 * Issue 12, the pure part of the screenshot import: what a file is from its first bytes and the limits,
 * pre-processing (grey, dark mode, size), OCR confusions resolved by the site's format and never in prose,
 * unsure codes flagged from tesseract's confidences, the paste parser on the result, and the pipeline's second,
 * restricted reading of code words.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { codeAlphabet, resolveWord } from '../../../src/core/ocr/confusions';
import { checkImage, imageInfo, MAX_IMAGE_BYTES } from '../../../src/core/ocr/image-info';
import { readScreenshotPixels, type Recognise } from '../../../src/core/ocr/pipeline';
import { crop, encodePgm, prepareForOcr, resize } from '../../../src/core/ocr/preprocess';
import { readOcrLines, type OcrLine, type OcrWord } from '../../../src/core/ocr/read';
import { rescaleForText } from '../../../src/core/ocr/tesseract-page';
import { discord } from '../../../src/sites/discord';
import { github } from '../../../src/sites/github';
import { instagram } from '../../../src/sites/instagram';

const SHOTS = resolve(import.meta.dirname, '../../fixtures/screenshots');
const bytes = (file: string) => new Uint8Array(readFileSync(join(SHOTS, file)));

describe('image-info: type and size from the first bytes', () => {
  test('PNG and JPEG from the corpus, WebP from a hand-made header', () => {
    expect(imageInfo(bytes('instagram-light-phone.png'))).toEqual({ type: 'png', width: 1170, height: 2532 });
    expect(imageInfo(bytes('instagram-light-phone-jpeg70.jpg'))).toEqual({
      type: 'jpeg',
      width: 1170,
      height: 2532,
    });
    const webp = new Uint8Array(30);
    webp.set(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8X'));
    webp.set([0x91, 0x04, 0x00, 0xe3, 0x09, 0x00], 24); // 1170 − 1, 2532 − 1, 24-bit little-endian
    expect(imageInfo(webp)).toEqual({ type: 'webp', width: 1170, height: 2532 });
  });

  test('text, an empty file and a PNG signature without a header are not images', () => {
    expect(checkImage(new TextEncoder().encode('1234 5678\n2345 6789\n'))).toBe('not-an-image');
    expect(checkImage(new Uint8Array())).toBe('not-an-image');
    expect(checkImage(bytes('instagram-light-phone.png').slice(0, 10))).toBe('not-an-image');
  });

  test('over 20 MB or over 40 megapixels is too large; 40 megapixels exactly is not', () => {
    const png = bytes('instagram-light-phone.png').slice(0, 64);
    expect(checkImage(png, MAX_IMAGE_BYTES + 1)).toBe('image-too-large');
    const view = new DataView(png.buffer);
    view.setUint32(16, 8000);
    view.setUint32(20, 5000);
    expect(checkImage(png)).toMatchObject({ width: 8000, height: 5000 });
    view.setUint32(20, 5001);
    expect(checkImage(png)).toBe('image-too-large');
  });
});

describe('preprocess', () => {
  const rgba = (width: number, height: number, value: number) => ({
    width,
    height,
    data: new Uint8Array(width * height * 4).map((_, i) => (i % 4 === 3 ? 255 : value)),
  });

  test('dark mode is inverted to dark text on light; light stays', () => {
    const dark = prepareForOcr(rgba(1200, 10, 20));
    expect(dark.inverted).toBe(true);
    expect(dark.data[0]).toBe(235);
    const light = prepareForOcr(rgba(1200, 10, 240));
    expect(light.inverted).toBe(false);
    expect(light.data[0]).toBe(240);
  });

  test('small screenshots are scaled up, wide ones down, the rest kept', () => {
    expect(prepareForOcr(rgba(400, 100, 255))).toMatchObject({ width: 1000, height: 250 });
    expect(prepareForOcr(rgba(3200, 100, 255))).toMatchObject({ width: 1600, height: 50 });
    expect(prepareForOcr(rgba(1170, 100, 255))).toMatchObject({ width: 1170, height: 100, scale: 1 });
  });

  test('resize, crop and the PGM tesseract reads', () => {
    const grey = { width: 4, height: 2, data: Uint8Array.from([0, 0, 255, 255, 0, 0, 255, 255]) };
    expect(resize(grey, 0.5)).toEqual({ width: 2, height: 1, data: Uint8Array.from([0, 255]) });
    expect(crop(grey, { x0: 1, y0: -5, x1: 3, y1: 1 })).toEqual({
      width: 2,
      height: 1,
      data: Uint8Array.from([0, 255]),
    });
    const pgm = encodePgm(grey);
    expect(new TextDecoder().decode(pgm.slice(0, 11))).toBe('P5\n4 2\n255\n');
    expect([...pgm.slice(11)]).toEqual([...grey.data]);
  });
});

describe('confusions resolved by the format', () => {
  test("each site's alphabet, in the case it shows codes", () => {
    expect([...codeAlphabet(instagram)].sort().join('')).toBe('0123456789');
    expect([...codeAlphabet(github)].sort().join('')).toBe('0123456789abcdef');
    expect(codeAlphabet(discord).size).toBe(36);
  });

  test('O/0, l/1/I, S/5, B/8 in a digits-only code become digits', () => {
    const read = (word: string) =>
      resolveWord(word, codeAlphabet(instagram), instagram)
        ?.map((c) => c.char)
        .join('');
    expect(read('2O59')).toBe('2059');
    expect(read('l0I6')).toBe('1016');
    expect(read('S7B3')).toBe('5783');
  });

  test('hex: B is 8 and S is 5, a–f stay letters; Discord: a capital O is 0, a small o stays', () => {
    expect(
      resolveWord('8c5B7-22d97', codeAlphabet(github), github)
        ?.map((c) => c.char)
        .join(''),
    ).toBe('8c587-22d97');
    expect(
      resolveWord('z3Or-c24p', codeAlphabet(discord), discord)
        ?.map((c) => c.char)
        .join(''),
    ).toBe('z30r-c24p');
    expect(resolveWord('z3or-c24p', codeAlphabet(discord), discord)).toBeNull();
  });

  test('prose is never turned into a code: "codes", "Backup", "SOS" stay as read', () => {
    for (const word of ['codes', 'Backup', 'SOS', 'Instagram'])
      for (const site of [instagram, github, discord])
        expect(resolveWord(word, codeAlphabet(site), site)).toBeNull();
  });
});

/** A tesseract word on one line, each character with the same confidence unless given. */
function word(text: string, x0: number, confidence = 96, symbolConfidences?: number[]): OcrWord {
  return {
    text,
    confidence,
    bbox: { x0, x1: x0 + text.length * 20, y0: 0, y1: 30 },
    symbols: [...text].map((char, i) => ({ text: char, confidence: symbolConfidences?.[i] ?? confidence })),
  };
}
const line = (...words: OcrWord[]): OcrLine => ({ words });

describe('readOcrLines: resolve, parse, flag', () => {
  test('lookalikes resolved, prose kept out, the codes in order, none flagged when tesseract is sure', () => {
    const lines = [
      line(word('Backup', 0), word('codes', 140)),
      line(
        word('Save', 0),
        word('or', 100),
        word('screenshot', 160),
        word('these', 380),
        word('codes.', 500),
      ),
      line(word('2O59', 0, 99), word('1066', 100)),
      line(word('57O9', 0, 99), word('3576', 100)),
    ];
    const reading = readOcrLines(lines, { site: 'instagram.com' });
    expect(reading.site).toBe('instagram.com');
    expect(reading.codes.map((c) => c.code)).toEqual(['2059 1066', '5709 3576']);
    expect(reading.flagged).toEqual([]);
  });

  test('a character with low confidence, a word with low confidence, or a change the format made with doubt: flagged', () => {
    const lines = [
      line(word('1111', 0), word('2222', 100, 96, [96, 96, 60, 96])),
      line(word('3333', 0, 70), word('4444', 100)),
      line(word('5555', 0, 92), word('6O66', 100, 92)),
      line(word('7777', 0), word('8888', 100)),
    ];
    const reading = readOcrLines(lines, { site: 'instagram.com' });
    expect(reading.codes.map((c) => c.code)).toEqual(['1111 2222', '3333 4444', '5555 6066', '7777 8888']);
    expect(reading.flagged).toEqual(['1111 2222', '3333 4444', '5555 6066']);
  });

  test('two columns far apart are read left column first, like a paste of Google’s sheet', () => {
    const lines = [
      line(
        word('1.', 0),
        word('1111', 60),
        word('2222', 160),
        word('3.', 600),
        word('3333', 660),
        word('4444', 760),
      ),
      line(
        word('2.', 0),
        word('5555', 60),
        word('6666', 160),
        word('4.', 600),
        word('7777', 660),
        word('8888', 760),
      ),
    ];
    const reading = readOcrLines(lines, { site: 'google.com' });
    expect(reading.codes.map((c) => c.code)).toEqual(['1111 2222', '5555 6666', '3333 4444', '7777 8888']);
  });

  test('without a site: the one the text names, or none; no invented codes from prose', () => {
    const named = readOcrLines([
      line(word('GitHub', 0), word('recovery', 140), word('codes', 320)),
      line(word('4283f-efc63', 0)),
    ]);
    expect(named).toMatchObject({ site: 'github.com', codes: [{ code: '4283f-efc63', used: false }] });
    expect(
      readOcrLines([line(word('Created', 0), word('Nov', 160), word('20,', 240), word('2026', 310))]).codes,
    ).toEqual([]);
  });
});

describe('glyph shape where the alphabet holds both lookalikes', () => {
  /**
   * A word whose characters have boxes: digits and tall letters 30 high, short letters 20, all 20 wide, unless
   * `sizes` says otherwise.
   */
  function shaped(
    text: string,
    x0: number,
    sizes: Record<number, [width: number, height: number]> = {},
  ): OcrWord {
    let x = x0;
    const symbols = [...text].map((char, i) => {
      const [width, height] = sizes[i] ?? [20, /[acemnorsuvwxz]/.test(char) ? 20 : 30];
      const bbox = { x0: x, x1: x + width, y0: 30 - height, y1: 30 };
      x += 24;
      return { text: char, confidence: 98, bbox };
    });
    return { text, confidence: 98, bbox: { x0, x1: x, y0: 0, y1: 30 }, symbols };
  }

  test('Discord: a bar narrower than half a digit is l; a short 0 is o, a tall o is 0', () => {
    const lines = [
      line(shaped('18kd-sejq', 0, { 0: [6, 30], 3: [20, 31], 6: [20, 20], 7: [8, 38], 8: [20, 28] })),
      line(shaped('z3or-c24p', 0, { 2: [20, 29], 3: [14, 20], 5: [18, 20] })),
      line(shaped('9z6r-0d7x', 0, { 5: [20, 20] })),
    ];
    const reading = readOcrLines(lines, { site: 'discord.com' });
    expect(reading.codes.map((c) => c.code)).toEqual(['l8kd-sejq', 'z30r-c24p', '9z6r-od7x']);
  });

  test('a box taller than the digits is misplaced and decides nothing (a tilted photo’s o, 48 px by 33)', () => {
    const reading = readOcrLines([line(shaped('k6oi-euj5', 0, { 2: [20, 48] }), shaped('3479', 300))], {
      site: 'discord.com',
    });
    expect(reading.codes.map((c) => c.code)).toEqual(['k6oi-euj5']);
    // As tall as the digits, it is a 0.
    const tall = readOcrLines([line(shaped('k6oi-euj5', 0, { 2: [20, 30] }), shaped('3479', 300))], {
      site: 'discord.com',
    });
    expect(tall.codes.map((c) => c.code)).toEqual(['k60i-euj5']);
  });

  test('hex: an f read as 1 rises above the digits, a 0 read as e is as tall as them', () => {
    const reading = readOcrLines(
      [line(shaped('32483-31425', 0, { 7: [20, 34] })), line(shaped('b31fd-7be7a', 0, { 8: [20, 30] }))],
      {
        site: 'github.com',
      },
    );
    expect(reading.codes.map((c) => c.code)).toEqual(['32483-3f425', 'b31fd-7b07a']);
  });

  test('Instagram: digits only, the glyph rule never applies', () => {
    const reading = readOcrLines(
      [line(shaped('2059', 0, { 1: [20, 20] }), shaped('1066', 110, { 0: [6, 30] }))],
      {
        site: 'instagram.com',
      },
    );
    expect(reading.codes.map((c) => c.code)).toEqual(['2059 1066']);
  });
});

describe('pipeline', () => {
  const white = (width: number, height: number) => ({
    width,
    height,
    data: new Uint8Array(width * height * 4).fill(255),
  });

  const FIVE_WAYS = Array<string>(5).fill('0123456789-');

  test('small text is read again larger; code words again five ways with the site’s alphabet; a disagreement is flagged', async () => {
    const modes: { whitelist?: string; width: number }[] = [];
    // '6789' was read at 99: not read again. Each other word is read five ways (as is, smaller, binarised,
    // binarised larger, larger); one of the five readings of '5678' said '5679'.
    const rereads = [
      ...Array<string>(5).fill('1234'),
      '5678',
      '5679',
      '5678',
      '5678',
      '5678',
      ...Array<string>(5).fill('2345'),
    ];
    // 90: unsure enough to be read again (a word at 95 or more is not), sure enough not to be flagged for it.
    const small = [
      line(word('1234', 0, 90), word('5678', 100, 90)),
      line(word('2345', 0, 90), word('6789', 100, 90)),
    ];
    for (const w of small.flatMap((l) => l.words)) w.bbox.y1 = 14;
    const recognise: Recognise = async (image, mode) => {
      modes.push({ ...mode, width: image.width });
      if (mode.whitelist) return [line(word(rereads.shift()!, 0))];
      return modes.length === 1
        ? small
        : [
            line(word('1234', 0, 90), word('5678', 100, 90)),
            line(word('2345', 0, 90), word('6789', 100, 99)),
          ];
    };
    const reading = await readScreenshotPixels(white(1200, 600), recognise, { site: 'instagram.com' });
    expect(modes.map((m) => m.whitelist)).toEqual([
      undefined,
      undefined,
      ...FIVE_WAYS,
      ...FIVE_WAYS,
      ...FIVE_WAYS,
    ]);
    expect(modes[1]!.width).toBeGreaterThan(modes[0]!.width);
    // The five ways differ in size: as is, smaller, binarised as is, binarised larger, larger.
    const [asIs, smaller, binarised, larger, plainLarger] = modes.slice(2, 7).map((m) => m.width);
    expect(smaller).toBeLessThan(asIs!);
    expect(binarised).toBe(asIs);
    expect(larger).toBeGreaterThan(asIs!);
    expect(plainLarger).toBe(larger);
    expect(reading.codes.map((c) => c.code)).toEqual(['1234 5678', '2345 6789']);
    // Five of six readings of '5678' agree, so it stays; not all did, so only that code is flagged.
    expect(reading.flagged).toEqual(['1234 5678']);
  });

  /** A page reading of these words, one a line, and the restricted readings of each word in turn. */
  function scripted(page: OcrWord[], rereads: string[]): Recognise {
    return async (_, mode) => (mode.whitelist ? [line(word(rereads.shift()!, 0))] : page.map((w) => line(w)));
  }

  test('a word that does not fit the alphabet takes what most restricted readings say, flagged', async () => {
    const reading = await readScreenshotPixels(
      white(1200, 600),
      scripted(
        [word('30749-6€e9ba', 0), word('7e610-98564', 0, 90)],
        [...Array(5).fill('30749-6e9ba'), ...Array(5).fill('7e610-98564')],
      ),
      { site: 'github.com' },
    );
    expect(reading.codes.map((c) => c.code)).toEqual(['30749-6e9ba', '7e610-98564']);
    expect(reading.flagged).toEqual(['30749-6e9ba']);
  });

  test('a word that fits the alphabet is outvoted by the restricted readings (a 1× hex 9 read as d), flagged', async () => {
    const reading = await readScreenshotPixels(
      white(1200, 600),
      scripted(
        [word('73871-acead', 0, 68)],
        ['73871-acea9', '73871-acea9', '73871-acead', '73871-acea9', '73871-acea9'],
      ),
      { site: 'github.com' },
    );
    expect(reading.codes.map((c) => c.code)).toEqual(['73871-acea9']);
    expect(reading.flagged).toEqual(['73871-acea9']);
  });

  test('readings of another length win only when they make a whole code (a dropped e)', async () => {
    const reading = await readScreenshotPixels(
      white(1200, 600),
      scripted(
        [word('7610-98564', 0, 0)],
        ['7610-98564', '7e610-98564', '7610-98564', '7610-98564', '7610-98564'],
      ),
      { site: 'github.com' },
    );
    expect(reading.codes.map((c) => c.code)).toEqual(['7e610-98564']);
    expect(reading.flagged).toEqual(['7e610-98564']);
  });

  test('Discord: lookalikes the codes both hold (O and o) are left to the glyph, not to the vote', async () => {
    const reading = await readScreenshotPixels(
      white(1200, 600),
      scripted([word('mofg-jcOt', 0, 53)], ['mofg-jcot', 'mofg-jc0t', 'mofg-jcot', 'mofg-jcot', 'mofg-jcot']),
      { site: 'discord.com' },
    );
    // As read, a capital O is a 0 in Discord's lower-case codes; the crop's small o does not outvote it.
    expect(reading.codes.map((c) => c.code)).toEqual(['mofg-jc0t']);
    expect(reading.flagged).toEqual(['mofg-jc0t']);
  });

  test('a whole code three restricted readings confirm is not read the other two ways; a part of one is', async () => {
    let restricted = 0;
    const reader =
      (page: OcrLine[], again: string): Recognise =>
      async (_, mode) => {
        if (!mode.whitelist) return page;
        restricted++;
        return [line(word(again, 0))];
      };
    await readScreenshotPixels(white(1200, 600), reader([line(word('7e610-98564', 0, 90))], '7e610-98564'), {
      site: 'github.com',
    });
    expect(restricted).toBe(3);
    restricted = 0;
    await readScreenshotPixels(
      white(1200, 600),
      reader([line(word('2059', 0, 90), word('1066', 100, 99))], '2059'),
      { site: 'instagram.com' },
    );
    // '2059' is half of Instagram's code: all five ways ('1066', at 99, is not read again).
    expect(restricted).toBe(5);
  });

  test('a line between lines of codes, read again in the alphabet, has its words read again too', async () => {
    const page = [
      line(word('12272-838ca', 0, 99)),
      line(word('€9e15-c1@5c', 0, 0), word('7€1@-98564', 300, 0)),
      line(word('2d272-f59e4', 0, 99)),
    ];
    const calls: string[] = [];
    // The line read again in the alphabet; then each of its words five ways (a whole code the first three
    // confirm, three).
    const restricted = [
      [word('89e15-c105c', 0, 80), word('7610-98564', 300, 80)],
      ...Array(3).fill([word('89e15-c105c', 0)]),
      [word('7610-98564', 0)],
      [word('7e610-98564', 0)],
      [word('7e610-98564', 0)],
      [word('7610-98564', 0)],
      [word('7610-98564', 0)],
    ] as OcrWord[][];
    const recognise: Recognise = async (_, mode) => {
      calls.push(mode.whitelist ?? 'page');
      return mode.whitelist ? [line(...restricted.shift()!)] : page;
    };
    const reading = await readScreenshotPixels(white(1200, 600), recognise, { site: 'github.com' });
    expect(calls[1]).toBe('0123456789abcdef-. ');
    expect(restricted).toEqual([]);
    expect(reading.codes.map((c) => c.code)).toContain('7e610-98564');
    expect(reading.flagged).toEqual(expect.arrayContaining(['89e15-c105c', '7e610-98564']));
  });

  test('text large enough is not read again', () => {
    expect(rescaleForText([line(word('1234', 0))])).toBeNull();
    const small = line(word('1234', 0));
    small.words[0]!.bbox.y1 = 13;
    // To about 48 px, a size tesseract reads well (a 1× desktop shot: 12–16 px letters).
    expect(rescaleForText([small])).toBeCloseTo(48 / 13);
    const tiny = line(word('1234', 0));
    tiny.words[0]!.bbox.y1 = 8;
    expect(rescaleForText([tiny])).toBe(4);
  });
});
