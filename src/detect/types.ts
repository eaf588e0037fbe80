export type DetectionKind = 'backup-code' | 'one-time-code';

/** What the detector reports for one field (design §4.3, a contract: extend only compatibly). */
export interface Detection {
  element: HTMLInputElement | HTMLTextAreaElement;
  /** `backup-code`: a field meant for a backup/recovery code; `one-time-code`: an OTP field (may accept one). */
  kind: DetectionKind;
  /** 0..1; how sure the detector is that this is a code field of that kind. */
  confidence: number;
  /** Human-readable evidence, strongest first, e.g. `label: "Backup code"`. */
  reasons: string[];
  /** Set when the code is split over one-character boxes: every box of the group, in document order. */
  group?: HTMLInputElement[];
}

/**
 * Optional site knowledge (a site adapter's `fieldHints` fits this shape). A field matching a hint is
 * always a candidate; `kind` says what it is when the page's own wording does not.
 */
export interface DetectorHints {
  names?: string[];
  ids?: string[];
  placeholders?: string[];
  pathPatterns?: RegExp[];
  kind?: DetectionKind;
}
