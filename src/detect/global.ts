/**
 * Entry of the standalone bundle (design §4.3): `npm run build:detector` wraps this file in an IIFE at
 * `.output/detector.js`. Paste it into DevTools on any page to see what Spare sees and why.
 */
import { classify, DETECTOR_VERSION, scan, type Detection } from './index';

interface SpareDetectorGlobal {
  version: string;
  classify(el: Element): Detection | null;
  scan(root?: Document | ShadowRoot): Detection[];
}

(globalThis as typeof globalThis & { SpareDetector: SpareDetectorGlobal }).SpareDetector = {
  version: DETECTOR_VERSION,
  classify: (el) => classify(el),
  scan: (root) => scan(root),
};
