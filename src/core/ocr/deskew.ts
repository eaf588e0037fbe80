/**
 * A phone photo of a screen is seldom straight (issue 12): tilted by a degree or two, one row of codes drifts
 * across tesseract's lines, which then split a code or pair it with the wrong list number. The tilt is
 * measured from the first reading (the baseline of each line's characters) and the picture turned back
 * before a second reading. Pure.
 */
import type { GreyImage } from './preprocess';
import type { OcrLine } from './read';

/**
 * Below this (radians, about 0.6°), a line drifts less than a line's height across a phone screenshot, and a
 * straight screenshot's lines measure up to 0.4° (a descender, a box a pixel off): left alone.
 */
export const MIN_SKEW = 0.0105;
/** Above this (about 8°), the picture is not a tilted photo of a screen: left alone. */
const MAX_SKEW = 0.14;
/** A line's characters must span this much (pixels) for its slope to count: a short word's is noise. */
const MIN_SPAN = 150;
const MIN_CHARACTERS = 5;

/** Characters that sit on the baseline: no descender (g, j, p, q, y) and no punctuation. */
const ON_BASELINE = /^[A-PR-Za-fhik-oru-xz0-9]$/;

/**
 * The page's tilt in radians (positive: lines fall to the right, as y grows downwards), or 0 when too few
 * lines say, or they say less than `MIN_SKEW` or more than `MAX_SKEW`. Each line's slope is the least-squares
 * fit of its characters' bottoms; the page's is the median of the lines', so a misplaced box or a line of
 * two fragments does not sway it.
 */
export function estimateSkew(lines: OcrLine[]): number {
  const slopes: number[] = [];
  for (const line of lines) {
    const boxes = line.words
      .flatMap((word) => word.symbols)
      .filter((symbol) => symbol.bbox && ON_BASELINE.test(symbol.text))
      .map((symbol) => symbol.bbox!)
      .sort((a, b) => a.x0 - b.x0);
    for (const run of runs(boxes)) {
      const points = run.map((box) => ({ x: (box.x0 + box.x1) / 2, y: box.y1 }));
      if (points.length < MIN_CHARACTERS) continue;
      if (points[points.length - 1]!.x - points[0]!.x < MIN_SPAN) continue;
      slopes.push(fitSlope(points));
    }
  }
  if (slopes.length < 3) return 0;
  slopes.sort((a, b) => a - b);
  const angle = Math.atan(slopes[Math.floor(slopes.length / 2)]!);
  return Math.abs(angle) < MIN_SKEW || Math.abs(angle) > MAX_SKEW ? 0 : angle;
}

type Box = { x0: number; x1: number; y0: number; y1: number };

/**
 * A line's characters split where a gap is wider than three characters: tesseract joins the first column's
 * row with the second column's row above it when the page is tilted, and a slope fitted across both would
 * measure the jump between them, not the tilt.
 */
function runs(boxes: Box[]): Box[][] {
  const widths = boxes.map((box) => box.x1 - box.x0).sort((a, b) => a - b);
  const charWidth = widths[Math.floor(widths.length / 2)] ?? 1;
  const out: Box[][] = [];
  boxes.forEach((box, i) => {
    if (i === 0 || box.x0 - boxes[i - 1]!.x1 > 3 * charWidth) out.push([box]);
    else out[out.length - 1]!.push(box);
  });
  return out;
}

/** The least-squares slope of y on x. */
function fitSlope(points: { x: number; y: number }[]): number {
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / points.length;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / points.length;
  let covariance = 0;
  let variance = 0;
  for (const p of points) {
    covariance += (p.x - meanX) * (p.y - meanY);
    variance += (p.x - meanX) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}

/**
 * The picture turned by `angle` about its centre, so a line that fell by that angle is level (bilinear, the
 * corners it uncovers white). Same size.
 */
export function rotate(grey: GreyImage, angle: number): GreyImage {
  const { width, height, data } = grey;
  const out = new Uint8Array(width * height);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  for (let y = 0; y < height; y++) {
    const dy = y - cy;
    for (let x = 0; x < width; x++) {
      const dx = x - cx;
      // Where this pixel of the level picture lies in the tilted one.
      const sx = cx + dx * cos - dy * sin;
      const sy = cy + dx * sin + dy * cos;
      if (sx < 0 || sy < 0 || sx > width - 1 || sy > height - 1) {
        out[y * width + x] = 255;
        continue;
      }
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(width - 1, x0 + 1);
      const y1 = Math.min(height - 1, y0 + 1);
      const fx = sx - x0;
      const fy = sy - y0;
      const top = data[y0 * width + x0]! * (1 - fx) + data[y0 * width + x1]! * fx;
      const bottom = data[y1 * width + x0]! * (1 - fx) + data[y1 * width + x1]! * fx;
      out[y * width + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { width, height, data: out };
}
