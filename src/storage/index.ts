export { VaultRepository, type AccountWrite } from './repository';
export {
  DB_NAME,
  SCHEMA_VERSION,
  upgrade,
  type SealedBytes,
  type SealedRecord,
  type StoredKdfParams,
  type StoredSettings,
  type VaultHeader,
} from './schema';
