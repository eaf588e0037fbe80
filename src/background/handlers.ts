/**
 * The background's answers to every request of `src/messaging.ts`. The router has already checked the
 * schema and classified the sender; content-script handlers get only what the browser says about the sender.
 */
import { parsePlain, serializePlain, type PlainVault } from '../core/backup';
import type { ContentHandlers, ExtensionIdentity, PageHandlers } from '../messaging';
import { accountsToPlain, plainToAccounts } from './backup';
import type { VaultService } from './vault-service';

/** The encrypted backup file format (from `src/core/backup`). */
export interface BackupCodec {
  encrypt(plain: PlainVault, password: string): Promise<string>;
  decrypt(text: string, password: string): Promise<PlainVault>;
}

export function backupFileName(now: Date): string {
  return `spare-backup-${now.toISOString().slice(0, 10)}.spare`;
}

export function pageHandlers(
  service: VaultService,
  codec: BackupCodec,
  self: ExtensionIdentity,
  now: () => Date = () => new Date(),
): PageHandlers {
  const state = async () => ({ state: await service.status() });
  return {
    status: state,
    'create-vault': async ({ password }) => (await service.create(password), state()),
    unlock: async ({ password }) => (await service.unlock(password), state()),
    lock: async () => (await service.lock(), state()),
    'change-password': async ({ oldPassword, newPassword }) => {
      await service.changePassword(oldPassword, newPassword);
      return null;
    },
    'get-settings': () => service.getSettings(),
    'update-settings': ({ settings }) => service.updateSettings(settings),
    'list-accounts': () => service.listAccounts(),
    'accounts-for-url': ({ url }) => service.accountsForUrl(url),
    'get-account': ({ accountId }) => service.getAccount(accountId),
    'add-account': ({ account }) => service.addAccount(account),
    'update-account': ({ accountId, changes }) => service.updateAccount(accountId, changes),
    'delete-account': async ({ accountId }) => (await service.deleteAccount(accountId), null),
    'mark-code': ({ accountId, codeId, used }) => service.markCode(accountId, codeId, used),
    'replace-codes': ({ accountId, codes }) => service.replaceCodes(accountId, codes),
    'reserve-code': ({ accountId, tabId }, sender) => {
      const holderTab = tabId ?? sender.tabId;
      const origin = new URL(self.baseUrl).origin;
      return service.reserve(accountId, holderTab === undefined ? { origin } : { tabId: holderTab, origin });
    },
    'confirm-code': ({ accountId, codeId, usedOn }) => service.confirm(accountId, codeId, usedOn),
    'release-code': ({ accountId, codeId }) => service.release(accountId, codeId),
    'export-backup': async ({ password }) => {
      await service.verifyPassword(password);
      const plain = accountsToPlain(await service.snapshot());
      return { text: await codec.encrypt(plain, password), fileName: backupFileName(now()) };
    },
    'export-plain': async ({ password }) => {
      await service.verifyPassword(password);
      const accounts = await service.snapshot();
      return { json: serializePlain(accountsToPlain(accounts)), accounts };
    },
    'restore-backup': async ({ text, password, mode }) => {
      await service.ensureUnlocked();
      return service.restore(plainToAccounts(await codec.decrypt(text, password)), mode);
    },
    'import-plain': async ({ text, mode }) => service.restore(plainToAccounts(parsePlain(text)), mode),
  };
}

export function contentHandlers(service: VaultService): ContentHandlers {
  return {
    'content:reserve': ({ accountId }, sender) => service.reserveForPage(sender, accountId),
    'content:confirm': ({ accountId, codeId }, sender) => service.confirmForPage(sender, accountId, codeId),
    'content:release': ({ accountId, codeId }, sender) => service.releaseForPage(sender, accountId, codeId),
  };
}
