/**
 * Conversions between the vault's accounts and `spare-plain` v1 (design §4.4), shared by the popup's backup
 * screens (through the vault service) and the CLI. The encrypted file wraps exactly this plain JSON.
 */
import {
  PLAIN_FORMAT,
  PLAIN_VERSION,
  decryptBackup,
  encryptBackup,
  type PlainAccount,
  type PlainCode,
  type PlainVault,
} from '../core/backup';
import type { KdfParams } from '../core/crypto';
import { pageAddress } from '../core/domain';
import type { Account, NewCode } from '../core/vault';
import type { NewAccount } from '../messaging';

export function accountsToPlain(accounts: Account[]): PlainVault {
  return {
    format: PLAIN_FORMAT,
    version: PLAIN_VERSION,
    accounts: accounts.map((account) => {
      const plain: PlainAccount = { site: account.site, codes: account.codes.map(codeToPlain) };
      if (account.label !== undefined) plain.label = account.label;
      // `note` is an extra field: allowed by the format, and read back by `plainToAccounts`.
      if (account.note !== undefined) plain['note'] = account.note;
      return plain;
    }),
  };
}

function codeToPlain(code: Account['codes'][number]): PlainCode {
  // A reserved code was never submitted: in a backup it is simply not used.
  const plain: PlainCode = { code: code.value, used: code.state === 'used' };
  if (code.state === 'used' && code.usedAt !== undefined) plain.usedAt = code.usedAt;
  // Records written before Spare cut the query off may still hold one: an export never carries it.
  if (code.state === 'used' && code.usedOn !== undefined) plain.usedOn = pageAddress(code.usedOn);
  return plain;
}

export function plainToAccounts(plain: PlainVault): NewAccount[] {
  return plain.accounts.map((account) => {
    const out: NewAccount = {
      site: account.site,
      codes: account.codes.map((c) => {
        const code: NewCode = { value: c.code, used: c.used };
        if (c.usedAt !== undefined) code.usedAt = c.usedAt;
        if (c.usedOn !== undefined) code.usedOn = c.usedOn;
        return code;
      }),
    };
    if (account.label !== undefined) out.label = account.label;
    if (typeof account['note'] === 'string') out.note = account['note'];
    return out;
  });
}

/** The encrypted backup file of `src/core/backup`; `kdf` gives each file its parameters (tests: cheap ones). */
/** The encrypted backup file format (from `src/core/backup`), swappable so tests can use a cheap KDF. */
export interface BackupCodec {
  encrypt(plain: PlainVault, password: string): Promise<string>;
  decrypt(text: string, password: string): Promise<PlainVault>;
}

export function createBackupCodec(kdf?: () => KdfParams): BackupCodec {
  return {
    encrypt: (plain, password) => encryptBackup(plain, password, kdf?.()),
    decrypt: (text, password) => decryptBackup(text, password),
  };
}

export const backupCodec: BackupCodec = createBackupCodec();
