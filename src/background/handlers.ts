/**
 * The background's answers to every request of `src/messaging.ts`. The router has already checked the
 * schema and classified the sender; content-script handlers get only what the browser says about the sender.
 */
import { parsePlain, serializePlain } from '../core/backup';
import { registrableDomain } from '../core/domain';
import { SpareError } from '../core/errors';
import type {
  ClipboardClearPlan,
  RestoreMode,
  CommandResult,
  ContentCommand,
  ContentHandlers,
  ContentSender,
  OfferHandlers,
  PageHandlers,
} from '../messaging';
import type { SyncEngine } from './sync';
import { siteForDomain } from '../sites/registry';
import { accountsToPlain, plainToAccounts, type BackupCodec } from './backup';
import type { FillThrottle, OfferTickets, Ticket } from './offers';
import type { FillTarget, VaultService } from './vault-service';

export function backupFileName(now: Date): string {
  return `spare-backup-${now.toISOString().slice(0, 10)}.spare`;
}

/** What the background does with a code the popup copied (src/background/clipboard.ts). */
export interface CopiedCodes {
  schedule(code: string): Promise<ClipboardClearPlan>;
  /** Who holds a copied code's reservation: the extension's own origin (the popup). */
  readonly origin: string;
}

export function pageHandlers(
  service: VaultService,
  codec: BackupCodec,
  copiedCodes: CopiedCodes,
  /** Gives up the host permission of sites that no account uses any more (and with it the content script). */
  releaseSitesOrFail: (sites: string[]) => Promise<void> = async () => undefined,
  now: () => Date = () => new Date(),
): Omit<PageHandlers, SyncRequestType> {
  // The change has landed by the time permissions are released: a failure there must not report it as failed.
  const releaseSites = (sites: string[]) =>
    sites.length === 0
      ? Promise.resolve()
      : releaseSitesOrFail(sites).catch((error: unknown) =>
          console.error('Spare: releasing site access', error),
        );
  const state = async () => ({ state: await service.status() });
  /** A 'replace' drops every account: the sites left without one give up their permission. */
  const restore = async (accounts: Parameters<VaultService['restore']>[0], mode: RestoreMode) => {
    const before = mode === 'replace' ? ((await service.accountSites()) ?? []) : [];
    const result = await service.restore(accounts, mode);
    if (before.length > 0) await releaseSites(await service.sitesWithoutAccounts(before));
    return result;
  };
  return {
    status: state,
    'create-vault': async ({ password }) => (await service.create(password), state()),
    // Decrypted before anything is written: a wrong password or a damaged file is refused with no vault made.
    'create-vault-from-backup': async ({ text, password }) => {
      if ((await service.status()) !== 'no-vault') {
        throw new SpareError('vault-exists', 'A vault already exists.');
      }
      const accounts = plainToAccounts(await codec.decrypt(text, password));
      const result = await service.createFromBackup(password, accounts);
      return { ...(await state()), result };
    },
    unlock: async ({ password }) => (await service.unlock(password), state()),
    lock: async () => (await service.lock(), state()),
    'change-password': async ({ oldPassword, newPassword }) => {
      await service.changePassword(oldPassword, newPassword);
      return null;
    },
    'get-settings': () => service.getSettings(),
    'update-settings': ({ settings }) => service.updateSettings(settings),
    'list-accounts': () => service.listAccounts(),
    'unreadable-accounts': async () => ({ count: (await service.unreadableAccounts()).length }),
    'accounts-for-url': ({ url }) => service.accountsForUrl(url),
    'get-account': ({ accountId }) => service.getAccount(accountId),
    'add-account': ({ account }) => service.addAccount(account),
    'update-account': async ({ accountId, changes }) => {
      const before = (await service.getAccount(accountId)).site;
      const account = await service.updateAccount(accountId, changes);
      if (account.site !== before) await releaseSites(await service.sitesWithoutAccounts([before]));
      return account;
    },
    'delete-account': async ({ accountId }) => {
      await releaseSites(await service.deleteAccount(accountId));
      return null;
    },
    'mark-code': ({ accountId, codeId, used }) => service.markCode(accountId, codeId, used),
    'replace-codes': ({ accountId, codes }) => service.replaceCodes(accountId, codes),
    'add-codes': ({ accountId, codes }) => service.addCodes(accountId, codes),
    'code-copied': async ({ accountId, codeId }) => {
      const code = (await service.getAccount(accountId)).codes.find((c) => c.id === codeId);
      if (!code) throw new SpareError('not-found', 'That code does not exist (any more).');
      const plan = await copiedCodes.schedule(code.value);
      // After the clear is arranged (a copy whose clear failed is taken back out, so it was never used). A
      // reservation that fails to save costs only the later question: the copy itself stands.
      await service
        .reserveCopied(accountId, codeId, copiedCodes.origin)
        .catch((error: unknown) => console.error('Spare: reserving a copied code', error));
      return plan;
    },
    'take-copy-questions': () => service.takeCopyQuestions(),
    'answer-copy-question': ({ accountId, codeId, used }) => service.answerCopied(accountId, codeId, used),
    // The snapshot holds the accounts Spare could read; the ones it could not are left out and counted.
    'export-backup': async ({ password }) => {
      await service.verifyPassword(password);
      const plain = accountsToPlain(await service.snapshot());
      const unreadable = (await service.unreadableAccounts()).length;
      return { text: await codec.encrypt(plain, password), fileName: backupFileName(now()), unreadable };
    },
    'export-plain': async ({ password }) => {
      await service.verifyPassword(password);
      const accounts = await service.snapshot();
      const unreadable = (await service.unreadableAccounts()).length;
      return { json: serializePlain(accountsToPlain(accounts)), accounts, unreadable };
    },
    'restore-backup': async ({ text, password, mode }) => {
      await service.ensureUnlocked();
      return restore(plainToAccounts(await codec.decrypt(text, password)), mode);
    },
    'import-plain': async ({ text, mode }) => restore(plainToAccounts(parsePlain(text)), mode),
  };
}

type SyncRequestType = 'sync-status' | 'sync-enable' | 'sync-disable' | 'sync-available';

/** Sync with the browser's account (issue 11): the popup's switch and status. */
export function syncHandlers(engine: SyncEngine): Pick<PageHandlers, SyncRequestType> {
  return {
    'sync-status': () => engine.status(),
    'sync-enable': ({ password }) => engine.enable(password),
    'sync-disable': () => engine.disable(),
    'sync-available': async () => ({ available: await engine.syncedVaultAvailable() }),
  };
}

/** What the offer and content handlers need besides the vault. */
export interface OfferDeps {
  tickets: OfferTickets;
  throttle: FillThrottle;
  /** Sends a command to the content script in the ticket's tab and frame (and nowhere else). */
  command: (ticket: Ticket, command: ContentCommand) => Promise<CommandResult>;
  /** Runs the lazy part of the content script (detector, offer, fill) in that frame. */
  injectOffer: (sender: ContentSender) => Promise<void>;
  /** This browser session's id (reservations from an earlier session are stale). */
  browserSession: () => Promise<string>;
}

export function contentHandlers(service: VaultService, deps: OfferDeps): ContentHandlers {
  return {
    'content:load-offer': async (_, sender) => (await deps.injectOffer(sender), null),
    'content:open-offer': async ({ kind }, sender) => {
      const state = await service.status();
      if (state === 'no-vault') return null;
      // While locked Spare cannot know whether this site has codes (the site list is encrypted), and the
      // site is enabled only because an account was added for it: offer to unlock.
      if (state === 'unlocked' && (await service.accountsForFill(sender)).length === 0) return null;
      return { nonce: deps.tickets.issue(sender, kind).nonce, state };
    },
    'content:confirm': ({ accountId, codeId }, sender) => service.confirmForPage(sender, accountId, codeId),
    'content:release': ({ accountId, codeId }, sender) => service.releaseForPage(sender, accountId, codeId),
  };
}

export function offerHandlers(service: VaultService, deps: OfferDeps): OfferHandlers {
  return {
    'offer:state': async ({ nonce }, offer) => {
      const ticket = deps.tickets.forOffer(nonce, offer);
      const site = registrableDomain(ticket.topUrl) ?? new URL(ticket.topUrl).hostname;
      const state = await service.status();
      if (state !== 'unlocked') return { state, site, kind: ticket.kind, accounts: [] };
      const accounts = await service.accountsForFill(ticket);
      const adapter = accounts[0] ? siteForDomain(accounts[0].site) : undefined;
      const regenerate =
        adapter?.regenerateUrl || adapter?.regenerateSteps
          ? { url: adapter.regenerateUrl, steps: adapter.regenerateSteps }
          : undefined;
      return {
        state,
        site,
        kind: ticket.kind,
        accounts: accounts.map(({ id, label, left, total }) => ({ id, label, left, total })),
        ...(regenerate ? { regenerate } : {}),
      };
    },
    'offer:fill': async ({ nonce, accountId }, offer) => {
      const ticket = deps.tickets.forOffer(nonce, offer);
      // The field must still be the one that asked, visible, focused and uncovered before a code is spent.
      refuseUnless(await deps.command(ticket, { type: 'background:check-fill', nonce }));
      deps.throttle.take(ticket.tabId);
      const target: FillTarget = { ...ticket, session: await deps.browserSession() };
      const reservation = await service.reserveForFill(target, accountId);
      const filled = await deps
        .command(ticket, {
          type: 'background:fill',
          nonce,
          code: reservation.code,
          accountId,
          codeId: reservation.codeId,
        })
        .catch((): CommandResult => ({
          ok: false,
          reason: 'The page went away before the code was filled.',
        }));
      if (!filled.ok) {
        await service.releaseForPage(ticket, accountId, reservation.codeId);
        refuseUnless(filled);
      }
      // A code filled earlier into this field (a second fill) goes back to unused now the new one is in.
      await service.releaseHeld(target, reservation.codeId);
      return { accountId, left: reservation.left, total: reservation.total };
    },
    'offer:close': async ({ nonce }, offer) => {
      const ticket = deps.tickets.forOffer(nonce, offer);
      await deps.command(ticket, { type: 'background:close-offer', nonce }).catch(() => undefined);
      return null;
    },
  };
}

function refuseUnless(result: CommandResult): void {
  if (!result.ok) throw new SpareError('fill-refused', result.reason);
}
