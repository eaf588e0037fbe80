/** Backup file formats (design §4.4): the encrypted `spare-backup` file and the plain `spare-plain` JSON. */
export {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  decryptBackup,
  encryptBackup,
  inspectBackup,
  type BackupInfo,
  type DecryptOptions,
} from './file';
export {
  PLAIN_FORMAT,
  PLAIN_VERSION,
  parsePlain,
  serializePlain,
  validatePlain,
  type PlainAccount,
  type PlainCode,
  type PlainVault,
} from './plain';
