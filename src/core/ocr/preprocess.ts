/**
 * Pixels in, pixels tesseract reads well out (issue 12): grey levels, dark mode turned into dark text on light,
 * small screenshots scaled up so that text reaches the size tesseract was trained on. Pure: the popup decodes
 * with a canvas, the CLI with pure-JS decoders, and both hand the RGBA pixels here.
 */
export interface RgbaImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel, row after row (ImageData's layout). */
  data: Uint8Array | Uint8ClampedArray;
}

export interface GreyImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Narrower images are scaled up: a crop of a code list at 1× has glyphs too small for tesseract. */
const MIN_WIDTH = 1000;
const MAX_UPSCALE = 3;
/** Wider images are scaled down: a 3× phone screenshot's text is far larger than needed, and time grows with area. */
const MAX_WIDTH = 1600;

export function prepareForOcr(image: RgbaImage): GreyImage & { inverted: boolean; scale: number } {
  const grey = toGrey(image);
  const inverted = isDark(grey);
  if (inverted) for (let i = 0; i < grey.data.length; i++) grey.data[i] = 255 - grey.data[i]!;
  const scale =
    grey.width < MIN_WIDTH
      ? Math.min(MAX_UPSCALE, MIN_WIDTH / grey.width)
      : grey.width > MAX_WIDTH
        ? MAX_WIDTH / grey.width
        : 1;
  const scaled = scale === 1 ? grey : resize(grey, scale);
  return { ...scaled, inverted, scale };
}

export function toGrey({ width, height, data }: RgbaImage): GreyImage {
  const out = new Uint8Array(width * height);
  for (let p = 0, i = 0; p < out.length; p++, i += 4) {
    // Rec. 601 luma; a transparent pixel counts as white, as a viewer shows it on a light page.
    const alpha = data[i + 3]! / 255;
    const luma = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
    out[p] = Math.round(luma * alpha + 255 * (1 - alpha));
  }
  return { width, height, data: out };
}

/** Dark mode: most of the picture is dark, so the text on it is light. */
export function isDark(grey: GreyImage): boolean {
  let dark = 0;
  const step = Math.max(1, Math.floor(grey.data.length / 200_000));
  let seen = 0;
  for (let i = 0; i < grey.data.length; i += step, seen++) if (grey.data[i]! < 110) dark++;
  return dark > seen / 2;
}

/** Bilinear resampling (box-averaged when shrinking by more than 2×, so thin strokes do not vanish). */
export function resize(grey: GreyImage, scale: number): GreyImage {
  let source = grey;
  while (scale < 0.5) {
    source = halve(source);
    scale *= 2;
  }
  const width = Math.max(1, Math.round(source.width * scale));
  const height = Math.max(1, Math.round(source.height * scale));
  const out = new Uint8Array(width * height);
  const xRatio = source.width / width;
  const yRatio = source.height / height;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(source.height - 1, Math.max(0, (y + 0.5) * yRatio - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(source.height - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(source.width - 1, Math.max(0, (x + 0.5) * xRatio - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(source.width - 1, x0 + 1);
      const fx = sx - x0;
      const top = source.data[y0 * source.width + x0]! * (1 - fx) + source.data[y0 * source.width + x1]! * fx;
      const bottom =
        source.data[y1 * source.width + x0]! * (1 - fx) + source.data[y1 * source.width + x1]! * fx;
      out[y * width + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { width, height, data: out };
}

function halve(grey: GreyImage): GreyImage {
  const width = Math.max(1, Math.floor(grey.width / 2));
  const height = Math.max(1, Math.floor(grey.height / 2));
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = 2 * y * grey.width + 2 * x;
      out[y * width + x] =
        (grey.data[at]! +
          grey.data[at + 1]! +
          grey.data[at + grey.width]! +
          grey.data[at + grey.width + 1]! +
          2) >>
        2;
    }
  }
  return { width, height, data: out };
}

/**
 * The grey image as a binary PGM (P5): a header and the bytes, which tesseract's image reader (leptonica)
 * opens without a decoder and without the slow copy its BMP path makes.
 */
export function encodePgm(grey: GreyImage): Uint8Array<ArrayBuffer> {
  const header = new TextEncoder().encode(`P5\n${grey.width} ${grey.height}\n255\n`);
  const out = new Uint8Array(header.length + grey.data.length);
  out.set(header);
  out.set(grey.data, header.length);
  return out;
}

/** The part of the image inside the box (clipped to the image), as a new image. */
export function crop(grey: GreyImage, box: { x0: number; y0: number; x1: number; y1: number }): GreyImage {
  const x0 = Math.max(0, Math.floor(box.x0));
  const y0 = Math.max(0, Math.floor(box.y0));
  const x1 = Math.min(grey.width, Math.ceil(box.x1));
  const y1 = Math.min(grey.height, Math.ceil(box.y1));
  const width = Math.max(1, x1 - x0);
  const height = Math.max(1, y1 - y0);
  const out = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < height && y0 + y < grey.height; y++) {
    out.set(grey.data.subarray((y0 + y) * grey.width + x0, (y0 + y) * grey.width + x0 + width), y * width);
  }
  return { width, height, data: out };
}

/** Otsu's threshold: the grey level that best splits the picture into ink and paper. */
export function otsuThreshold(grey: GreyImage): number {
  const histogram = new Array<number>(256).fill(0);
  for (const value of grey.data) histogram[value]!++;
  const total = grey.data.length;
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * histogram[i]!;
  let sumBelow = 0;
  let countBelow = 0;
  let best = 0;
  let threshold = 127;
  for (let t = 0; t < 256; t++) {
    countBelow += histogram[t]!;
    if (countBelow === 0) continue;
    const countAbove = total - countBelow;
    if (countAbove === 0) break;
    sumBelow += t * histogram[t]!;
    const meanBelow = sumBelow / countBelow;
    const meanAbove = (sumAll - sumBelow) / countAbove;
    const between = countBelow * countAbove * (meanBelow - meanAbove) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold;
}

/** Black ink on white paper, split at Otsu's threshold. */
export function otsu(grey: GreyImage): GreyImage {
  const threshold = otsuThreshold(grey);
  const out = new Uint8Array(grey.data.length);
  for (let i = 0; i < out.length; i++) out[i] = grey.data[i]! <= threshold ? 0 : 255;
  return { width: grey.width, height: grey.height, data: out };
}
