/**
 * What Spare knows about one website's backup codes. One adapter per file in `src/sites/`, each registered
 * once in `registry.ts` (a test fails when a file is left out). Only facts with a public source go in; an
 * unsourced optional field is left out and the adapter says why.
 */
export interface CodeFormat {
  /** Anchored regex that the normalised code (no separators; lowercase unless `caseSensitive`) must match. */
  normalisedPattern: RegExp;
  /** How the site displays a code, used when formatting lists: e.g. '12345678' → '1234 5678'. */
  display: (normalised: string) => string;
  /** Keep case when comparing and storing. */
  caseSensitive: boolean;
  /** The site accepts the code with or without its spaces/dashes. */
  ignoresSeparators: boolean;
  /** How many codes a set usually has. */
  count?: number;
}

export interface FieldHints {
  names?: string[];
  ids?: string[];
  placeholders?: string[];
  pathPatterns?: RegExp[];
}

export interface SiteAdapter {
  /** Stable id, e.g. 'instagram'. */
  id: string;
  /** Name shown to people, e.g. 'Instagram'. */
  name: string;
  /** Registrable domains (eTLD+1); the first is canonical. Empty for self-hosted software. */
  domains: string[];
  /** Other registrable domains that share the account, only when a source says so. */
  extraDomains?: string[];
  /** The first is the current format; older ones follow so old lists still parse. */
  formats: CodeFormat[];
  /** Page where new codes are generated. */
  regenerateUrl?: string;
  /** Human steps to that page, e.g. 'Settings → Security → Two-factor authentication → Backup codes'. */
  regenerateSteps?: string;
  /** Name of the file the site lets the user download. */
  fileNamePattern?: RegExp;
  fieldHints?: FieldHints;
  /** The site's normal one-time-code field also takes a backup code. */
  otpFieldAcceptsBackup: boolean | 'unknown';
}
