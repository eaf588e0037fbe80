/**
 * Reads backup codes from a screenshot in the popup, on this device (issue 12). Loaded only when an image is
 * picked or pasted (ScreenshotPicker imports it dynamically): tesseract and this module stay out of the popup's
 * first paint. Tesseract's worker, wasm core and English data come from the extension's own `ocr/` folder
 * (wxt.config.ts copies them there), so nothing is fetched; the worker is started for one reading and ended after
 * it, and the picture is never stored.
 */
import { browser } from 'wxt/browser';
import Tesseract from 'tesseract.js/dist/tesseract.esm.min.js';
import { readScreenshotPixels, type Recognise } from '../../core/ocr/pipeline';
import { encodePgm } from '../../core/ocr/preprocess';
import type { ScreenshotReading } from '../../core/ocr/read';
import {
  OCR_ENGINE_LSTM_ONLY,
  OCR_LANGUAGE,
  pageLines,
  parametersFor,
  type TesseractPage,
} from '../../core/ocr/tesseract-page';

const asset = (path: string) => browser.runtime.getURL(`/ocr/${path}` as '/popup.html');

/** Decodes the picked image into RGBA pixels with the browser's own decoders. */
async function pixels(image: Blob) {
  const bitmap = await createImageBitmap(image);
  try {
    const canvas = document.createElement('canvas');
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('no 2d context');
    context.drawImage(bitmap, 0, 0);
    return context.getImageData(0, 0, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

/**
 * The codes in a screenshot already checked by `checkImage` (src/core/ocr/image-info.ts). Throws when the
 * browser cannot decode it.
 */
export async function readScreenshot(
  image: Blob,
  options: { site?: string } = {},
): Promise<ScreenshotReading> {
  const decoded = await pixels(image);
  const worker = await Tesseract.createWorker(OCR_LANGUAGE, OCR_ENGINE_LSTM_ONLY, {
    workerPath: asset('worker.min.js'),
    corePath: asset('tesseract-core-simd-lstm.js'),
    langPath: asset('').replace(/\/$/, ''),
    // The extension-page CSP allows scripts from the extension only: no blob: worker.
    workerBlobURL: false,
    // The data ships with the extension: no copy in IndexedDB.
    cacheMethod: 'none',
    // Unpacked at build time (wxt.config.ts): no gunzip in JavaScript.
    gzip: false,
  });
  let parameters = '';
  const recognise: Recognise = async (grey, mode) => {
    const wanted = parametersFor(mode);
    if (JSON.stringify(wanted) !== parameters) {
      await worker.setParameters(wanted as never);
      parameters = JSON.stringify(wanted);
    }
    const { data } = await worker.recognize(new Blob([encodePgm(grey)]), {}, { blocks: true, text: false });
    return pageLines(data as unknown as TesseractPage);
  };
  try {
    return await readScreenshotPixels(decoded, recognise, options);
  } finally {
    void worker.terminate();
  }
}
