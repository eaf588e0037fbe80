/**
 * The screenshot pipeline in Node (issue 12): the same steps as the popup's (src/popup/lib/screenshot.ts) but
 * decoding with pure-JS PNG and JPEG readers instead of a canvas, and tesseract's Node worker reading the core
 * and the English data from node_modules. Nothing is fetched.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { createWorker, type Worker } from 'tesseract.js';
import { SpareError } from '../core/errors';
import { checkImage, type ImageInfo } from '../core/ocr/image-info';
import { encodePgm, type RgbaImage } from '../core/ocr/preprocess';
import { readScreenshotPixels, type Recognise } from '../core/ocr/pipeline';
import type { ScreenshotReading } from '../core/ocr/read';
import {
  OCR_ENGINE_LSTM_ONLY,
  OCR_LANGUAGE,
  pageLines,
  parametersFor,
  type TesseractPage,
} from '../core/ocr/tesseract-page';

const require = createRequire(import.meta.url);
const LANG_PATH = join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');

export function isScreenshot(bytes: Uint8Array): boolean {
  return checkImage(bytes) !== 'not-an-image';
}

function decode(bytes: Uint8Array, info: ImageInfo): RgbaImage {
  try {
    return decodeAs(bytes, info);
  } catch (error) {
    if (error instanceof SpareError) throw error;
    throw new SpareError(
      'invalid-input',
      `This ${info.type.toUpperCase()} image is damaged and cannot be read.`,
    );
  }
}

function decodeAs(bytes: Uint8Array, info: ImageInfo): RgbaImage {
  if (info.type === 'png') {
    const png = PNG.sync.read(Buffer.from(bytes));
    return { width: png.width, height: png.height, data: png.data };
  }
  if (info.type === 'jpeg') {
    const image = jpeg.decode(bytes, { useTArray: true, maxMemoryUsageInMB: 1024 });
    return { width: image.width, height: image.height, data: image.data };
  }
  throw new SpareError(
    'invalid-input',
    'WebP screenshots are read in the popup only; save it as PNG or JPEG.',
  );
}

export interface ScreenshotReader {
  read(bytes: Uint8Array, options?: { site?: string }): Promise<ScreenshotReading>;
  close(): Promise<void>;
}

/** One tesseract worker for many screenshots (the corpus test reads thirty with one). */
export async function openScreenshotReader(): Promise<ScreenshotReader> {
  const worker: Worker = await createWorker(OCR_LANGUAGE, OCR_ENGINE_LSTM_ONLY, {
    langPath: LANG_PATH,
    cacheMethod: 'none',
    gzip: true,
  });
  let parameters = '';
  const recognise: Recognise = async (image, mode) => {
    const wanted = parametersFor(mode);
    if (JSON.stringify(wanted) !== parameters) {
      await worker.setParameters(wanted as never);
      parameters = JSON.stringify(wanted);
    }
    const { data } = await worker.recognize(Buffer.from(encodePgm(image)), {}, { blocks: true, text: false });
    return pageLines(data as unknown as TesseractPage);
  };
  return {
    async read(bytes, options = {}) {
      const checked = checkImage(bytes);
      if (checked === 'not-an-image')
        throw new SpareError('invalid-input', 'This file is not a PNG, JPEG or WebP image.');
      if (checked === 'image-too-large')
        throw new SpareError('invalid-input', 'This image is too large (over 20 MB or 40 megapixels).');
      return readScreenshotPixels(decode(bytes, checked), recognise, options);
    },
    close: async () => {
      await worker.terminate();
    },
  };
}
