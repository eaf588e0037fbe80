/**
 * Spare's cryptography: Argon2id (hash-wasm) turns the master password into a wrapping key; a random
 * AES-256-GCM data key, wrapped by it, encrypts every record with a fresh 96-bit IV and AAD that names the
 * record. Changing the password re-wraps the data key only. Pure: WebCrypto and hash-wasm, no extension APIs.
 */
export {
  DEFAULT_KDF,
  KDF_BOUNDS,
  KDF_MAX_WORK_KIB_PASSES,
  SALT_BYTES,
  checkKdfParams,
  deriveWrappingKey,
  newKdfParams,
  type KdfParams,
} from './kdf';
export {
  DATA_KEY_BYTES,
  IV_BYTES,
  TAG_BYTES,
  exportRawKey,
  generateDataKey,
  importDataKey,
  keyWrapAad,
  open,
  openJson,
  recordAad,
  seal,
  sealJson,
  unwrapDataKey,
  wrapDataKey,
  type Sealed,
} from './aead';
export { bytesEqual, encoding } from './encoding';
