export { classify } from './classify';
export { scan } from './scan';
export type { Detection, DetectionKind, DetectorHints } from './types';

/** Bumped when the detector's decisions change, so reports and bug reports can say which one ran. */
export const DETECTOR_VERSION = '1.0.0';
