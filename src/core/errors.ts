/**
 * Every failure a user can meet carries a stable `code` (for the UI, the CLI and tests) and a message a
 * person can act on. Add new codes here rather than throwing bare Errors across module boundaries.
 */
export type SpareErrorCode =
  | 'wrong-password'
  | 'vault-locked'
  | 'vault-exists'
  | 'vault-missing'
  | 'kdf-params-out-of-bounds'
  | 'decrypt-failed'
  /** The vault's header or key check is damaged: no password can open it (not a wrong password). */
  | 'vault-damaged'
  | 'backup-tampered'
  | 'backup-truncated'
  | 'backup-unknown-format'
  | 'plain-invalid'
  | 'no-codes-found'
  | 'quota-exceeded'
  | 'storage-failed'
  | 'not-found'
  | 'invalid-transition'
  | 'invalid-message'
  | 'forbidden-sender'
  | 'no-code-left'
  | 'invalid-input'
  /** Too many codes asked for from one tab in a short time (a page trying to drain the codes). */
  | 'too-many-requests'
  /** The page refused the fill: the field moved, was hidden or covered, or is not the one that asked. */
  | 'fill-refused'
  /** An offer's nonce is unknown, expired or belongs to another tab or frame. */
  | 'offer-expired'
  /**
   * The message never reached the background or its answer never came back: its service worker stopped or
   * was restarting. Unlike every other code, this one says nothing about whether the request took effect.
   */
  | 'no-answer'
  /** A password-manager export that is encrypted (Bitwarden "JSON (Encrypted)", a PGP-encrypted Proton Pass file). */
  | 'export-encrypted'
  /** A file that is no password-manager export Spare reads. */
  | 'export-unknown-format'
  /** A password-manager export that is damaged: a broken zip, JSON or CSV. */
  | 'export-corrupt'
  /** A password-manager export, or what its zip expands to, over 50 MB. */
  | 'export-too-large'
  /** The browser's sync holds a vault made on another device: joining it needs that vault's master password. */
  | 'sync-other-vault'
  /** With sync on, a used code cannot be marked unused: its use has reached the other devices. */
  | 'sync-used-stays';

export class SpareError extends Error {
  constructor(
    readonly code: SpareErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SpareError';
  }
}

export function isSpareError(value: unknown, code?: SpareErrorCode): value is SpareError {
  return value instanceof SpareError && (code === undefined || value.code === code);
}
