/**
 * The vault service: the single owner of decrypted state (design §2). Decrypted accounts live only in this
 * object's memory; on disk they are sealed records, and across service-worker restarts only the raw data key
 * survives, in `storage.session`, so that a restart does not lock the vault.
 *
 * Every operation runs through one queue, so two requests never interleave: the read-modify-write of a
 * reservation is atomic, and a lock can never land between a reservation's read and its write. Memory is
 * updated only after the write succeeded, so a failed write leaves both disk and memory as they were.
 */
import {
  DATA_KEY_BYTES,
  IV_BYTES,
  TAG_BYTES,
  checkKdfParams,
  deriveWrappingKey,
  encoding,
  exportRawKey,
  generateDataKey,
  importDataKey,
  keyWrapAad,
  newKdfParams,
  open,
  openJson,
  recordAad,
  seal,
  sealJson,
  unwrapDataKey,
  wrapDataKey,
  type KdfParams,
} from '../core/crypto';
import { SpareError, isSpareError } from '../core/errors';
import {
  answerCopied,
  codeKey,
  codesLeft,
  confirmCode,
  createCode,
  isCopied,
  markUnusedByHand,
  markUsedByHand,
  nextUnusedCode,
  releaseCode,
  reserveCode,
  retireCode,
  summarize,
  withCode,
  type Account,
  type AccountSummary,
  type Code,
  type CodeActor,
  type NewCode,
  type ReservationHolder,
} from '../core/vault';
import { AUTO_LOCK_PRESETS, type AutoLockMinutes } from '../messaging';
import type {
  AccountChanges,
  CodeCount,
  ContentSender,
  CopyQuestion,
  NewAccount,
  Reservation,
  RestoreMode,
  RestoreResult,
  Settings,
  VaultState,
} from '../messaging';
import { SCHEMA_VERSION, VaultRepository, type SealedRecord, type VaultHeader } from '../storage';
import type { AssembledSync, SyncContent } from '../core/sync/chunks';
import { decodeSyncedHeader, type Replica, type SyncedHeader } from '../core/sync/codec';
import { startClock } from '../core/sync/hlc';
import { EMPTY_SYNC_STATE, isUseSynced, mergeReplicas, type SyncState } from '../core/sync/merge';
import { joinAccounts } from '../core/sync/join';
import { toAccounts, toSyncState } from '../core/sync/replica';
import { openReplica, sameSyncedHeader, sealReplica, syncedHeaderOf, SyncSealCache } from './vault-sync';
import type { SessionKeyStore } from './session-key';
import { pageMatchesSite, registrableDomain } from '../core/domain';

export const DEFAULT_SETTINGS: Settings = { autoLockMinutes: 15, sync: false };

/**
 * The preset closest to a number of minutes stored before presets existed; a tie goes to the shorter one (the
 * safer). 0 (no idle timer) stays 0: "when the browser restarts" is what it did already.
 */
export function nearestAutoLockPreset(minutes: unknown): AutoLockMinutes {
  if (typeof minutes !== 'number' || !Number.isFinite(minutes)) return DEFAULT_SETTINGS.autoLockMinutes;
  if (minutes <= 0) return 0;
  const timed = AUTO_LOCK_PRESETS.filter((preset) => preset > 0).sort((a, b) => a - b);
  return timed.reduce((best, preset) =>
    Math.abs(preset - minutes) < Math.abs(best - minutes) ? preset : best,
  );
}

export interface VaultServiceOptions {
  keyStore: SessionKeyStore;
  openRepository?: () => Promise<VaultRepository>;
  /** KDF parameters for a new vault or a new password; tests pass cheap ones. */
  newKdfParams?: () => KdfParams;
  now?: () => Date;
  /**
   * Called after each operation a person made in an extension page (the auto-lock timer restarts from here).
   * Content-script traffic never counts: a page that keeps focusing a field must not keep the vault open.
   */
  onUse?: (settings: Settings) => void;
  /** Called after the vault locked, for whatever reason. */
  onLock?: () => void;
  /** Called after the vault unlocked or its accounts changed (badge, open offers). */
  onChange?: () => void;
  /**
   * Which reservations are still held by a live page: called when the vault unlocks (or is rebuilt after a
   * service-worker restart) and by `sweepReservations`. Without it, only the time limit applies.
   */
  liveHolders?: () => Promise<(holder: ReservationHolder) => boolean>;
}

/** A filled code that is not submitted within this time goes back to unused (issue: "5 minutes passing"). */
export const RESERVATION_TTL_MS = 5 * 60 * 1000;

/** Where an offer asks for a code: its tab and frame, and the pages they show. */
export interface FillTarget {
  tabId: number;
  frameId: number;
  topUrl: string;
  frameUrl: string;
  session?: string;
}

interface Unlocked {
  header: VaultHeader;
  key: CryptoKey;
  accounts: Map<string, Account>;
  /**
   * Ids of the records that could not be opened (issue 8): set aside, never written, deleted or exported.
   * They stay on disk exactly as they are, so a damaged record never takes the rest of the vault with it.
   */
  unreadable: string[];
  /** This device's sync replica while sync is on (issue 11): the synced state the accounts were built from. */
  sync: Replica | null;
}

/** What applying another device's synced records did. */
export type SyncApplied =
  /** Merged (the accounts may or may not have changed). */
  | 'merged'
  /** The synced header is of the same vault with another password: this device took it and locked. */
  | 'relocked'
  /** Sync holds another vault: nothing was applied (joining it needs its master password). */
  | 'other-vault';

export class VaultService {
  private readonly options: Required<
    Omit<VaultServiceOptions, 'onUse' | 'onLock' | 'onChange' | 'liveHolders'>
  > &
    Pick<VaultServiceOptions, 'onUse' | 'onLock' | 'onChange' | 'liveHolders'>;
  private repository: Promise<VaultRepository> | null = null;
  private unlocked: Unlocked | null = null;
  private settings: Settings | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly changeListeners = new Set<() => void>();
  private readonly lockListeners = new Set<() => void>();
  /** Tabs closed while the vault was locked: their reservations are released at the next unlock. */
  private readonly closedWhileLocked = new Set<number>();
  private readonly syncSeals = new SyncSealCache();

  constructor(options: VaultServiceOptions) {
    this.options = {
      openRepository: () => VaultRepository.open(),
      newKdfParams,
      now: () => new Date(),
      ...options,
    };
  }

  // ---------------------------------------------------------------------------------------------------
  // lifecycle
  // ---------------------------------------------------------------------------------------------------

  status(): Promise<VaultState> {
    return this.exclusive(async () => {
      const header = await (await this.repo()).readHeader();
      if (!header) return 'no-vault';
      if (this.unlocked) return 'unlocked';
      // After a service-worker restart: 'unlocked' only if the stored key really opens this vault.
      try {
        await this.session();
        return 'unlocked';
      } catch (error) {
        if (isSpareError(error, 'vault-locked')) return 'locked';
        throw error;
      }
    });
  }

  create(password: string): Promise<void> {
    return this.exclusive(async () => {
      await this.createVault(password, []);
    });
  }

  /**
   * First run on a new machine: a vault whose master password is the backup's password, holding the backup's
   * accounts. The caller decrypted the file with that password, so nothing here can fail for a wrong password
   * or a damaged file; the header and the accounts are written in one transaction, so a failure (a bad site
   * in the file, a full disk) leaves no vault at all.
   */
  createFromBackup(password: string, accounts: NewAccount[]): Promise<RestoreResult> {
    return this.exclusive(async () => {
      const result: RestoreResult = { accountsAdded: 0, accountsUpdated: 0, codesAdded: 0 };
      const merged = mergeAccounts([], accounts, this.timestamp(), result);
      await this.createVault(password, merged);
      this.changed();
      return result;
    });
  }

  private async createVault(password: string, accounts: Account[]): Promise<void> {
    const repo = await this.repo();
    if (await repo.readHeader()) throw new SpareError('vault-exists', 'A vault already exists.');
    const kdf = this.options.newKdfParams();
    const wrappingKey = await deriveWrappingKey(password, kdf);
    const dataKey = await generateDataKey();
    const vaultId = encoding.randomId();
    const header: VaultHeader = {
      vaultId,
      kdf,
      wrappedKey: await wrapDataKey(wrappingKey, dataKey, keyWrapAad(vaultId, SCHEMA_VERSION)),
      keyCheck: await seal(dataKey, KEY_CHECK, keyCheckAad(vaultId, SCHEMA_VERSION)),
      schemaVersion: SCHEMA_VERSION,
      createdAt: this.timestamp(),
    };
    const records: SealedRecord[] = [];
    for (const account of accounts) {
      records.push({
        id: account.id,
        sealed: await sealJson(dataKey, account, recordAad(vaultId, account.id, SCHEMA_VERSION)),
      });
    }
    await repo.createVault(header, records);
    await this.remember(header, dataKey, {
      accounts: new Map(accounts.map((account) => [account.id, account])),
      unreadable: [],
      sync: null,
    });
  }

  unlock(password: string): Promise<void> {
    return this.exclusive(async () => {
      const header = await this.requireHeader();
      const dataKey = await this.unwrapWith(password, header);
      await this.checkKey(header, dataKey);
      const loaded = await this.loadAccounts(header, dataKey);
      await this.remember(header, dataKey, { ...loaded, sync: await this.loadReplica(header, dataKey) });
      await this.sweepIn(this.unlocked!);
      this.changed();
    });
  }

  /** Calls `listener` after the vault unlocked or its accounts changed (besides `options.onChange`). */
  addChangeListener(listener: () => void): void {
    this.changeListeners.add(listener);
  }

  /** Calls `listener` after the vault locked, for whatever reason (besides `options.onLock`). */
  addLockListener(listener: () => void): void {
    this.lockListeners.add(listener);
  }

  private changed(): void {
    this.options.onChange?.();
    for (const listener of this.changeListeners) listener();
  }

  lock(): Promise<void> {
    return this.exclusive(() => this.lockNow());
  }

  /**
   * Re-wraps the data key under the new password; account records are not touched. A record that could not
   * be read stays as it is: the data key does not change, so it is exactly as unreadable (and as recognisable
   * as such) under the new password as under the old one.
   */
  changePassword(oldPassword: string, newPassword: string): Promise<void> {
    return this.exclusive(async () => {
      const header = await this.requireHeader();
      const dataKey = await this.unwrapWith(oldPassword, header);
      const kdf = this.options.newKdfParams();
      const wrappingKey = await deriveWrappingKey(newPassword, kdf);
      const next: VaultHeader = {
        ...header,
        kdf,
        wrappedKey: await wrapDataKey(wrappingKey, dataKey, keyWrapAad(header.vaultId, header.schemaVersion)),
      };
      await (await this.repo()).writeHeader(next, header.vaultId);
      if (this.unlocked) {
        this.unlocked = { ...this.unlocked, header: next };
        // With sync on, the new header goes to the other devices (the listeners push it).
        this.changed();
      }
    });
  }

  getSettings(): Promise<Settings> {
    return this.exclusive(() => this.loadSettings());
  }

  updateSettings(changes: Partial<Settings>): Promise<Settings> {
    return this.exclusive(async () => {
      const next = { ...(await this.loadSettings()), ...changes };
      await (await this.repo()).writeSettings(next);
      this.settings = next;
      if (this.unlocked || (await this.hasSessionKey())) this.options.onUse?.(next);
      return next;
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // accounts
  // ---------------------------------------------------------------------------------------------------

  /** Ids of the account records that could not be read and were set aside at unlock (still on disk). */
  unreadableAccounts(): Promise<string[]> {
    return this.withVault(async (vault) => [...vault.unreadable]);
  }

  listAccounts(): Promise<AccountSummary[]> {
    return this.withVault(async (vault) => sortAccounts([...vault.accounts.values()]).map(summarize));
  }

  accountsForUrl(url: string): Promise<AccountSummary[]> {
    return this.withVault(async (vault) =>
      sortAccounts([...vault.accounts.values()])
        .filter((a) => pageMatchesSite(url, a.site))
        .map(summarize),
    );
  }

  /** The accounts an offer in this tab and frame may fill from (never touches the idle timer). */
  accountsForFill(target: Pick<FillTarget, 'topUrl' | 'frameUrl'>): Promise<AccountSummary[]> {
    return this.withVault(
      async (vault) =>
        sortAccounts([...vault.accounts.values()])
          .filter((a) => targetMayUse(target, a))
          .map(summarize),
      { use: false },
    );
  }

  getAccount(accountId: string): Promise<Account> {
    return this.withVault(async (vault) => structuredClone(requireAccount(vault, accountId)));
  }

  addAccount(input: NewAccount): Promise<Account> {
    return this.withVault(async (vault) => {
      const at = this.timestamp();
      const account: Account = {
        id: encoding.randomId(),
        site: normaliseSite(input.site),
        codes: this.newCodes(input.codes, at, 'hand'),
        createdAt: at,
        updatedAt: at,
      };
      setText(account, 'label', input.label);
      setText(account, 'note', input.note);
      await this.save(vault, [account]);
      return structuredClone(account);
    });
  }

  updateAccount(accountId: string, changes: AccountChanges): Promise<Account> {
    return this.withVault(async (vault) => {
      const next: Account = { ...requireAccount(vault, accountId), updatedAt: this.timestamp() };
      if (changes.site !== undefined) next.site = normaliseSite(changes.site);
      if (changes.label !== undefined) setText(next, 'label', changes.label);
      if (changes.note !== undefined) setText(next, 'note', changes.note);
      await this.save(vault, [next]);
      return structuredClone(next);
    });
  }

  /** Every site that has an account, or null while the vault is locked (the list is inside the ciphertext). */
  accountSites(): Promise<string[] | null> {
    return this.exclusive(async () => {
      const vault = await this.session().catch((error: unknown) => {
        if (isSpareError(error, 'vault-locked') || isSpareError(error, 'vault-missing')) return null;
        throw error;
      });
      return vault ? [...new Set([...vault.accounts.values()].map((a) => a.site))] : null;
    });
  }

  /** Of these sites, the ones no account uses (after an account moved away from one, say). */
  sitesWithoutAccounts(sites: string[]): Promise<string[]> {
    return this.withVault(async (vault) => orphanedSites(vault, sites), { use: false });
  }

  /** Deletes an account; answers the sites that no account uses any more (their permission can go). */
  deleteAccount(accountId: string): Promise<string[]> {
    return this.withVault(async (vault) => {
      const { site } = requireAccount(vault, accountId);
      await this.save(vault, [], { drop: [accountId] });
      return orphanedSites(vault, [site]);
    });
  }

  /** Marks one code used or unused by hand. A reserved code is released first (the user knows best). */
  markCode(accountId: string, codeId: string, used: boolean): Promise<Account> {
    return this.withVault(async (vault) => {
      const account = requireAccount(vault, accountId);
      const at = this.timestamp();
      let code = requireCode(account, codeId);
      // Used only ever wins in sync (issue 11): a use that reached the other devices cannot be taken back
      // here, and pretending it could would only last until the next merge.
      if (!used && code.state === 'used' && vault.sync && isUseSynced(vault.sync.state, accountId, codeId)) {
        throw new SpareError(
          'sync-used-stays',
          'With sync on, a used code stays used on every device: it may have been submitted on one of them.',
        );
      }
      const wasReserved = code.state === 'reserved';
      if (wasReserved) code = releaseCode(code, at, 'hand');
      if (used) code = markUsedByHand(code, at);
      // A released code is unused already; an unused one marked unused is still refused.
      else if (!wasReserved) code = markUnusedByHand(code, at);
      const next = withCode(account, code, at);
      await this.save(vault, [next]);
      return structuredClone(next);
    });
  }

  /**
   * Adds codes to an account that has the same site and name as one being added: the codes it holds already
   * (compared as restore does) are skipped, and every code it has keeps its state and history.
   */
  addCodes(accountId: string, codes: NewCode[]): Promise<{ account: Account; added: number }> {
    return this.withVault(async (vault) => {
      const account = requireAccount(vault, accountId);
      const at = this.timestamp();
      const known = new Set(account.codes.map((c) => codeKey(c.value)));
      const added = this.newCodes(codes, at, 'hand').filter((c) => !known.has(codeKey(c.value)));
      if (added.length === 0) return { account: structuredClone(account), added: 0 };
      const next: Account = { ...account, codes: [...account.codes, ...added], updatedAt: at };
      await this.save(vault, [next]);
      return { account: structuredClone(next), added: added.length };
    });
  }

  /**
   * After regenerating codes at the site: the new set is all unused. The old set goes to `earlierSets`
   * without its values (the site no longer accepts them), so the account's history keeps what happened to it.
   */
  replaceCodes(accountId: string, codes: NewCode[]): Promise<Account> {
    return this.withVault(async (vault) => {
      const at = this.timestamp();
      const account = requireAccount(vault, accountId);
      const next: Account = {
        ...account,
        codes: this.newCodes(codes, at, 'replace'),
        earlierSets: [
          ...(account.earlierSets ?? []),
          { replacedAt: at, codes: account.codes.map(retireCode) },
        ],
        updatedAt: at,
      };
      await this.save(vault, [next]);
      return structuredClone(next);
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // reserve → confirm | release
  // ---------------------------------------------------------------------------------------------------

  /**
   * The user copied this code in the popup (issue 9): an unused code is reserved for the copy, so the next code
   * comes first and the offer skips it, while "left" still counts it (design §4.6) until the user answers. A
   * code a page holds, a used code or one already copied is left as it is: the offer's reservation is the
   * page's to confirm or release.
   */
  reserveCopied(accountId: string, codeId: string, origin: string): Promise<Account> {
    return this.withVault(async (vault) => {
      const account = requireAccount(vault, accountId);
      const code = requireCode(account, codeId);
      if (code.state !== 'unused') return structuredClone(account);
      const at = this.timestamp();
      const next = withCode(account, reserveCode(code, { origin, copied: true }, at, 'copy'), at);
      await this.save(vault, [next]);
      return structuredClone(next);
    });
  }

  /**
   * The copied codes the popup has not asked about yet, marked as asked in the same write: each is asked once,
   * at the next opening of the popup. A question the user leaves unanswered is not asked again; the code stays
   * reserved (it still counts as left, and the account screen can settle it).
   */
  takeCopyQuestions(): Promise<CopyQuestion[]> {
    return this.withVault(async (vault) => {
      const questions: CopyQuestion[] = [];
      const changed: Account[] = [];
      for (const account of sortAccounts([...vault.accounts.values()])) {
        let next = account;
        for (const code of account.codes) {
          if (!isCopied(code) || code.reservedBy?.asked) continue;
          const question: CopyQuestion = {
            accountId: account.id,
            codeId: code.id,
            site: account.site,
            code: code.value,
          };
          if (account.label !== undefined) question.label = account.label;
          questions.push(question);
          next = withCode(
            next,
            { ...code, reservedBy: { ...code.reservedBy!, asked: true } },
            next.updatedAt,
          );
        }
        if (next !== account) changed.push(next);
      }
      if (changed.length > 0) await this.save(vault, changed);
      return questions;
    });
  }

  /** "Did you use …?" answered: Used → used now; Not used → back to unused. */
  answerCopied(accountId: string, codeId: string, used: boolean): Promise<CodeCount> {
    return this.withVault(async (vault) => {
      const account = requireAccount(vault, accountId);
      const at = this.timestamp();
      const next = withCode(account, answerCopied(requireCode(account, codeId), used, at), at);
      await this.save(vault, [next]);
      return countOf(next);
    });
  }

  /**
   * Reserves the next unused code of an account for a fill the user asked for in an offer. The account must
   * belong to the tab's top-level site and to the frame's site. A code this frame already holds stays held
   * until the new fill lands (`releaseHeld`), so a second fill always gets a different code.
   */
  reserveForFill(target: FillTarget, accountId: string): Promise<Reservation> {
    return this.withVault(async (vault) => {
      const account = vault.accounts.get(accountId);
      if (!account || !targetMayUse(target, account)) throw forbidden();
      return this.reserveIn(vault, account, holderOf(target));
    });
  }

  /**
   * Releases every code this tab and frame hold, of any account, except `keepCodeId` (the code just filled):
   * the field holds one code at a time.
   */
  releaseHeld(target: FillTarget, keepCodeId?: string): Promise<number> {
    const holder = holderOf(target);
    return this.withVault(
      async (vault) =>
        this.releaseWhere(
          vault,
          (code) => code.id !== keepCodeId && sameHolder(code.reservedBy, holder),
          'fill',
        ),
      { use: false },
    );
  }

  /** Only the tab, frame and origin that hold a code may confirm it; the page's own URL is recorded. */
  confirmForPage(sender: ContentSender, accountId: string, codeId: string): Promise<CodeCount> {
    return this.withVault(
      async (vault) => {
        const { account, code } = this.heldCode(vault, sender, accountId, codeId);
        return this.confirmIn(vault, account, code, sender.frameUrl);
      },
      { use: false },
    );
  }

  releaseForPage(sender: ContentSender, accountId: string, codeId: string): Promise<CodeCount> {
    return this.withVault(
      async (vault) => {
        const { account, code } = this.heldCode(vault, sender, accountId, codeId);
        return this.releaseIn(vault, account, code);
      },
      { use: false },
    );
  }

  /**
   * Releases every reservation that no live page holds any more: past the time limit, from an earlier
   * browser session, or from a tab that is gone. Runs at unlock, after a service-worker restart and on a
   * timer; does nothing while locked (the next unlock sweeps).
   */
  sweepReservations(): Promise<number> {
    return this.exclusive(async () => {
      const vault = await this.session().catch((error: unknown) => {
        if (isSpareError(error, 'vault-locked')) return null;
        throw error;
      });
      return vault ? this.sweepIn(vault) : 0;
    });
  }

  /** When the oldest reservation runs out, for the background's timer; null when nothing is reserved. */
  nextReservationExpiry(): Promise<number | null> {
    return this.exclusive(async () => {
      if (!this.unlocked) return null;
      let first: number | null = null;
      for (const account of this.unlocked.accounts.values()) {
        for (const code of account.codes) {
          if (code.state !== 'reserved' || !code.reservedAt) continue;
          const expires = Date.parse(code.reservedAt) + RESERVATION_TTL_MS;
          if (first === null || expires < first) first = expires;
        }
      }
      return first;
    });
  }

  /**
   * A closed tab will never submit: its reservations go back to unused. While the vault is locked the tab
   * is remembered and released at the next unlock.
   */
  releaseTab(tabId: number): Promise<number> {
    return this.exclusive(async () => {
      const vault = await this.session().catch((error: unknown) => {
        if (isSpareError(error, 'vault-locked')) return null;
        throw error;
      });
      if (!vault) {
        this.closedWhileLocked.add(tabId);
        return 0;
      }
      return this.releaseWhere(vault, (code) => code.reservedBy?.tabId === tabId);
    });
  }

  /**
   * The tab loaded a new page at `at`: the codes it held from before will not be submitted any more. (The
   * page's own `pagehide` says so too, but a browser may drop a message sent while a page unloads.) Does
   * nothing while locked: the time limit catches those.
   */
  releaseTabNavigated(tabId: number, at: Date): Promise<number> {
    return this.exclusive(async () => {
      if (!this.unlocked) return 0;
      const before = at.getTime();
      return this.releaseWhere(
        this.unlocked,
        (code) =>
          code.reservedBy?.tabId === tabId && !!code.reservedAt && Date.parse(code.reservedAt) < before,
      );
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // backup helpers (shared by the popup's backup screens and the CLI)
  // ---------------------------------------------------------------------------------------------------

  /** Throws 'vault-locked' unless the vault is unlocked (before costly work that needs it anyway). */
  ensureUnlocked(): Promise<void> {
    return this.withVault(async () => undefined);
  }

  /** Checks the master password without changing anything (export asks for it again). */
  verifyPassword(password: string): Promise<void> {
    return this.withVault(async () => {
      await this.unwrapWith(password, await this.requireHeader());
    });
  }

  /** A copy of every account, for export; the caller must have checked the password. */
  snapshot(): Promise<Account[]> {
    return this.withVault(async (vault) => structuredClone(sortAccounts([...vault.accounts.values()])));
  }

  /**
   * Restores accounts all-or-nothing. 'replace' drops every current account; 'merge' adds codes the vault
   * does not hold yet to the account with the same site and label, and adds accounts it does not have.
   */
  restore(accounts: NewAccount[], mode: RestoreMode): Promise<RestoreResult> {
    return this.withVault(async (vault) => {
      const result: RestoreResult = { accountsAdded: 0, accountsUpdated: 0, codesAdded: 0 };
      const existing = mode === 'merge' ? sortAccounts([...vault.accounts.values()]) : [];
      const writes = mergeAccounts(existing, accounts, this.timestamp(), result);
      const dropped = new Set(writes.map((a) => a.id));
      const drop = mode === 'replace' ? [...vault.accounts.keys()].filter((id) => !dropped.has(id)) : [];
      await this.save(vault, writes, { drop });
      return result;
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // sync (issue 11): the service seals and merges; src/background/sync.ts talks to storage.sync
  // ---------------------------------------------------------------------------------------------------

  /** Whether sync is on here, and the vault is unlocked with a replica to sync from. */
  syncReady(): Promise<boolean> {
    return this.exclusive(async () => {
      if (!(await this.loadSettings()).sync) return false;
      const vault = await this.session().catch(() => null);
      return vault?.sync != null;
    });
  }

  /** The header every device shares, as synced (readable without the vault being unlocked). */
  syncedHeader(): Promise<SyncedHeader | null> {
    return this.exclusive(async () => {
      const header = await (await this.repo()).readHeader();
      return header ? syncedHeaderOf(header) : null;
    });
  }

  /** What to push: the shared header and one sealed record per synced account. */
  syncContent(): Promise<SyncContent> {
    return this.withVault(
      async (vault) => {
        if (!vault.sync) throw new SpareError('invalid-transition', 'Sync is off.');
        return this.syncSeals.content(vault.key, vault.header, vault.sync.state);
      },
      { use: false },
    );
  }

  /**
   * Turns sync on for this vault. `remote` is what `storage.sync` holds now: nothing, or this same vault
   * (synced before, or by another device that joined it). This device's accounts are recorded as they are and
   * joined with the synced ones. Syncing another vault goes through `joinSyncedVault`.
   */
  startSync(remote: AssembledSync): Promise<void> {
    return this.withVault(async (vault) => {
      const synced = remote.header ? decodeSyncedHeader(remote.header) : null;
      if (synced && synced.vaultId !== vault.header.vaultId) throw otherVault();
      const local = [...vault.accounts.values()];
      const fresh = toSyncState(local, EMPTY_SYNC_STATE, startClock(newReplicaId()), this.nowMs());
      const opened = synced ? await this.syncSeals.open(vault.key, vault.header, remote) : null;
      const state = opened ? mergeReplicas(fresh.state, opened.state) : fresh.state;
      await this.writeSetting({ sync: true });
      vault.sync = { state, clock: fresh.clock };
      await this.applyState(vault, state);
    });
  }

  /** Turns sync off here: the replica goes; what other devices synced stays in `storage.sync` for them. */
  stopSync(): Promise<void> {
    return this.exclusive(async () => {
      await this.writeSetting({ sync: false });
      const vault = this.unlocked;
      if (vault) vault.sync = null;
      await (await this.repo()).writeAccounts({ syncReplica: null });
      this.syncSeals.clear();
    });
  }

  /**
   * Merges what another device pushed. Records that do not open are skipped (they stay in `storage.sync`,
   * untouched). A header of this vault with another wrapped key means the password was changed on another
   * device: it is taken, and the vault locks so that the user unlocks with the new password. The data key
   * is the same, so nothing here is lost or re-sealed.
   */
  applySynced(remote: AssembledSync, { headerPending = false } = {}): Promise<SyncApplied> {
    return this.withVault(
      async (vault) => {
        if (!vault.sync) return 'merged';
        if (remote.header) {
          const synced = decodeSyncedHeader(remote.header);
          if (synced.vaultId !== vault.header.vaultId) return 'other-vault';
          if (!headerPending && !sameSyncedHeader(synced, syncedHeaderOf(vault.header))) {
            await (await this.repo()).writeHeader({ ...vault.header, ...synced }, vault.header.vaultId);
            await this.lockNow();
            return 'relocked';
          }
        }
        const opened = await this.syncSeals.open(vault.key, vault.header, remote);
        await this.applyState(vault, mergeReplicas(vault.sync.state, opened.state));
        return 'merged';
      },
      { use: false },
    );
  }

  /**
   * Joins the vault another device synced: this device's vault takes its header (so the same master password
   * unlocks here), and this device's accounts are added to it, sealed again under its key. `password` is that
   * vault's master password. Works on a first run too (no vault here yet).
   */
  joinSyncedVault(password: string, remote: AssembledSync): Promise<void> {
    return this.exclusive(async () => {
      if (!remote.header) throw new SpareError('vault-missing', 'This browser’s sync holds no Spare vault.');
      const synced = decodeSyncedHeader(remote.header);
      const repo = await this.repo();
      const current = await repo.readHeader();
      const header: VaultHeader = { ...synced, createdAt: current?.createdAt ?? this.timestamp() };
      const key = await this.unwrapWith(password, header).catch((error: unknown) => {
        if (!isSpareError(error, 'wrong-password')) throw error;
        throw new SpareError(
          'wrong-password',
          'That is not the master password of the vault synced to this browser.',
          { cause: error },
        );
      });
      await this.checkKey(header, key);
      // Local accounts need the vault open here; on a first run there are none.
      const vault = current ? await this.session() : null;
      const local = vault ? [...vault.accounts.values()] : [];
      const opened = await this.syncSeals.open(key, header, remote);
      const clock = startClock(newReplicaId());
      // An account held here and in the synced vault (same site and name) is folded into it, not doubled.
      const joined = joinAccounts(toAccounts(opened.state), local, this.timestamp());
      const recorded = toSyncState(joined, opened.state, clock, this.nowMs());
      const accounts = toAccounts(recorded.state, joined);
      // A folded account's own record goes: sealed under this device's old key, it could never be read again.
      const kept = new Set(accounts.map((a) => a.id));
      const folded = local.filter((a) => !kept.has(a.id)).map((a) => a.id);
      const records: SealedRecord[] = [];
      for (const account of accounts) {
        records.push({
          id: account.id,
          sealed: await sealJson(key, account, recordAad(header.vaultId, account.id, header.schemaVersion)),
        });
      }
      const replica: Replica = recorded;
      if (current) {
        await repo.replaceVault(header, {
          put: records,
          delete: folded,
          syncReplica: { sealed: await sealReplica(key, header, replica) },
        });
      } else {
        await repo.createVault(header, records);
        await repo.writeAccounts({ syncReplica: { sealed: await sealReplica(key, header, replica) } });
      }
      await this.writeSetting({ sync: true });
      await this.remember(header, key, {
        accounts: new Map(accounts.map((a) => [a.id, a])),
        // Records this device could not read stay as they were (and stay unreadable under the new header).
        unreadable: vault?.unreadable ?? [],
        sync: replica,
      });
      this.changed();
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // internals
  // ---------------------------------------------------------------------------------------------------

  private exclusive<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Runs `run` on the unlocked vault; a locked vault is 'vault-locked' with nothing else. `use: false` for
   * what a page (not a person in an extension page) caused: it does not restart the idle timer.
   */
  private withVault<T>(run: (vault: Unlocked) => Promise<T>, { use = true } = {}): Promise<T> {
    return this.exclusive(async () => {
      const vault = await this.session();
      // Read before the work: a read failing after a write that landed would report a change that happened
      // as failed, and the user would make it twice.
      const settings = await this.loadSettings();
      const result = await run(vault);
      if (use) this.options.onUse?.(settings);
      return result;
    });
  }

  /** Releases every reserved code that `stale` picks, in one write. */
  private async releaseWhere(
    vault: Unlocked,
    stale: (code: Code) => boolean,
    by: CodeActor = 'tab-closed',
  ): Promise<number> {
    const at = this.timestamp();
    const changed: Account[] = [];
    let released = 0;
    for (const account of vault.accounts.values()) {
      let next = account;
      for (const code of account.codes) {
        if (code.state === 'reserved' && stale(code)) {
          next = withCode(next, releaseCode(code, at, by), at);
          released++;
        }
      }
      if (next !== account) changed.push(next);
    }
    if (changed.length > 0) await this.save(vault, changed);
    return released;
  }

  /** Never throws: a sweep that fails to write leaves memory as it was, and the next one tries again. */
  private async sweepIn(vault: Unlocked): Promise<number> {
    try {
      return await this.sweepOnce(vault);
    } catch (error) {
      console.error('Spare: releasing stale reservations failed', error);
      return 0;
    }
  }

  private async sweepOnce(vault: Unlocked): Promise<number> {
    const isLive = (await this.options.liveHolders?.()) ?? (() => true);
    const closed = new Set(this.closedWhileLocked);
    this.closedWhileLocked.clear();
    const now = this.options.now().getTime();
    return this.releaseWhere(vault, (code) => {
      const holder = code.reservedBy;
      // Only fills have a tab; a reservation without one belongs to an extension page and has no deadline.
      if (holder?.tabId === undefined) return false;
      if (closed.has(holder.tabId)) return true;
      if (code.reservedAt && now - Date.parse(code.reservedAt) >= RESERVATION_TTL_MS) return true;
      return !isLive(holder);
    });
  }

  private repo(): Promise<VaultRepository> {
    if (!this.repository) {
      this.repository = this.options.openRepository();
      this.repository.catch(() => (this.repository = null));
    }
    return this.repository;
  }

  private async requireHeader(): Promise<VaultHeader> {
    const header = await (await this.repo()).readHeader();
    if (!header) throw new SpareError('vault-missing', 'There is no vault yet. Create one first.');
    return header;
  }

  private async unwrapWith(password: string, header: VaultHeader): Promise<CryptoKey> {
    const damage = headerDamage(header);
    if (damage) throw vaultDamaged(`its header is damaged (${damage})`);
    // Bounds are checked on every read: a tampered header must not make guessing cheap (design §3).
    const kdf = checkKdfParams(header.kdf);
    const wrappingKey = await deriveWrappingKey(password, kdf);
    try {
      return await unwrapDataKey(
        wrappingKey,
        header.wrappedKey,
        keyWrapAad(header.vaultId, header.schemaVersion),
      );
    } catch (error) {
      // A changed wrapped key, salt, cost or vault id gives another key just as a wrong password does: AES-GCM
      // cannot tell them apart, and the header carries nothing else to check them against. So the message
      // names both, the likely cause first.
      if (isSpareError(error, 'wrong-password')) {
        throw new SpareError(
          'wrong-password',
          'Wrong password. If you are sure it is right, the vault’s header may be damaged.',
          { cause: error },
        );
      }
      throw error;
    }
  }

  /**
   * After the password opened the wrapped key, the key check must open too. The data key authenticated, so
   * the password is right: a key check that fails now is damage, and it is reported as such.
   */
  private async checkKey(header: VaultHeader, key: CryptoKey): Promise<void> {
    try {
      await open(key, header.keyCheck, keyCheckAad(header.vaultId, header.schemaVersion));
    } catch (error) {
      if (isSpareError(error, 'decrypt-failed')) throw vaultDamaged('its key check is damaged', error);
      throw error;
    }
  }

  /**
   * Opens every record it can. One that fails to authenticate, is not JSON or is not the account its id names
   * is set aside by id, untouched: one damaged record must not lock the whole vault (issue 8).
   */
  private async loadAccounts(
    header: VaultHeader,
    key: CryptoKey,
  ): Promise<Pick<Unlocked, 'accounts' | 'unreadable'>> {
    const records = await (await this.repo()).readAccounts();
    const accounts = new Map<string, Account>();
    const unreadable: string[] = [];
    for (const record of records) {
      const account = await openJson<unknown>(
        key,
        record.sealed,
        recordAad(header.vaultId, record.id, header.schemaVersion),
      ).catch((error: unknown) => {
        if (isSpareError(error, 'decrypt-failed') || error instanceof TypeError) return null;
        throw error;
      });
      if (isAccountOf(account, record.id)) accounts.set(account.id, account);
      else unreadable.push(record.id);
    }
    if (unreadable.length > 0) {
      // Ids only: they are random and say nothing about the account.
      console.warn(`Spare: ${unreadable.length} account record(s) could not be read and were set aside.`);
    }
    return { accounts, unreadable };
  }

  private async remember(
    header: VaultHeader,
    key: CryptoKey,
    loaded: Pick<Unlocked, 'accounts' | 'unreadable' | 'sync'>,
  ): Promise<void> {
    // Before the key is stored: a failure here must not leave an unlock that reports failure but took effect.
    const settings = await this.loadSettings();
    const raw = await exportRawKey(key);
    try {
      await this.options.keyStore.set(raw);
    } finally {
      raw.fill(0);
    }
    this.unlocked = { header, key, ...loaded };
    this.options.onUse?.(settings);
  }

  /** The unlocked vault, rebuilt from the session key after a service-worker restart. */
  private async session(): Promise<Unlocked> {
    if (this.unlocked) return this.unlocked;
    const raw = await this.options.keyStore.get();
    if (!raw) throw locked();
    try {
      const header = await this.requireHeader();
      const key = await importDataKey(raw);
      await open(key, header.keyCheck, keyCheckAad(header.vaultId, header.schemaVersion));
      this.unlocked = {
        header,
        key,
        ...(await this.loadAccounts(header, key)),
        sync: await this.loadReplica(header, key),
      };
      // A restart may have missed tab closings and deadlines: catch up before anyone reads the codes.
      await this.sweepIn(this.unlocked);
      return this.unlocked;
    } catch (error) {
      // A key that no longer opens this vault (deleted or replaced meanwhile) is useless: forget it.
      if (isSpareError(error, 'decrypt-failed') || isSpareError(error, 'vault-missing')) {
        await this.lockNow();
        throw locked();
      }
      throw error;
    } finally {
      raw.fill(0);
    }
  }

  /** Whether a key waits in `storage.session` (after a restart), without keeping its bytes around. */
  private async hasSessionKey(): Promise<boolean> {
    const raw = await this.options.keyStore.get();
    raw?.fill(0);
    return raw !== null;
  }

  private async lockNow(): Promise<void> {
    this.unlocked = null;
    this.syncSeals.clear();
    await this.options.keyStore.clear();
    this.options.onLock?.();
    for (const listener of this.lockListeners) listener();
  }

  private async loadSettings(): Promise<Settings> {
    if (!this.settings) {
      const repo = await this.repo();
      const stored = await repo.readSettings();
      const settings: Settings = {
        ...DEFAULT_SETTINGS,
        ...stored,
        sync: stored?.sync === true,
        autoLockMinutes: nearestAutoLockPreset(stored?.autoLockMinutes ?? DEFAULT_SETTINGS.autoLockMinutes),
      };
      // Before presets (issue 9) any whole number of minutes could be stored: keep the migrated value.
      if (stored && stored.autoLockMinutes !== settings.autoLockMinutes) {
        await repo.writeSettings(settings).catch((error: unknown) => {
          console.error('Spare: saving the migrated auto-lock setting', error);
        });
      }
      this.settings = settings;
    }
    return this.settings;
  }

  /**
   * Seals and writes accounts in one transaction, then (only then) updates memory. `drop` deletes accounts
   * by id; a 'replace' restore names only the accounts Spare could read: the unreadable records stay (they
   * were never shown, so a 'replace' the user chose cannot have meant them). With sync on, the change is
   * recorded into the replica in the same transaction (issue 11).
   */
  private async save(vault: Unlocked, accounts: Account[], { drop = [] as string[] } = {}): Promise<void> {
    const { vaultId, schemaVersion } = vault.header;
    const records: SealedRecord[] = [];
    for (const account of accounts) {
      records.push({
        id: account.id,
        sealed: await sealJson(vault.key, account, recordAad(vaultId, account.id, schemaVersion)),
      });
    }
    const next = new Map(vault.accounts);
    for (const id of drop) next.delete(id);
    for (const account of accounts) next.set(account.id, account);
    const replica = vault.sync ? this.recorded(vault, vault.sync, [...next.values()]) : null;
    await (
      await this.repo()
    ).writeAccounts({
      put: records,
      delete: drop,
      ...(replica ? { syncReplica: { sealed: await sealReplica(vault.key, vault.header, replica) } } : {}),
    });
    vault.accounts = next;
    if (replica) vault.sync = replica;
    this.changed();
  }

  /**
   * The replica with this device's accounts recorded into it. An account whose record could not be read is
   * not missing, it is unknown: it is kept out of the comparison so that it is never recorded as deleted.
   */
  private recorded(vault: Unlocked, replica: Replica, accounts: Account[]): Replica {
    const unknown = new Set(vault.unreadable);
    const kept: SyncState['accounts'] = {};
    const compared: SyncState['accounts'] = {};
    for (const [id, account] of Object.entries(replica.state.accounts)) {
      (unknown.has(id) ? kept : compared)[id] = account;
    }
    const { state, clock } = toSyncState(
      accounts,
      { accounts: compared },
      replica.clock,
      this.options.now().getTime(),
    );
    return { state: { accounts: { ...state.accounts, ...kept } }, clock };
  }

  private async loadReplica(header: VaultHeader, key: CryptoKey): Promise<Replica | null> {
    if (!(await this.loadSettings()).sync) return null;
    const stored = await (await this.repo()).readSyncReplica();
    return stored ? openReplica(key, header, stored.sealed) : null;
  }

  /**
   * Makes the vault what `state` says, keeping this device's reservations and histories (`toAccounts`), and
   * records the result: the replica is then `state` plus anything here it did not know.
   */
  private async applyState(vault: Unlocked, state: SyncState): Promise<void> {
    const current = [...vault.accounts.values()];
    const next = toAccounts(state, current);
    const nextIds = new Set(next.map((a) => a.id));
    const changed = next.filter((a) => JSON.stringify(a) !== JSON.stringify(vault.accounts.get(a.id)));
    const drop = current.filter((a) => !nextIds.has(a.id)).map((a) => a.id);
    vault.sync = { state, clock: vault.sync?.clock ?? startClock(newReplicaId()) };
    await this.save(vault, changed, { drop });
  }

  private async writeSetting(changes: Partial<Settings>): Promise<void> {
    const next = { ...(await this.loadSettings()), ...changes };
    await (await this.repo()).writeSettings(next);
    this.settings = next;
  }

  private nowMs(): number {
    return this.options.now().getTime();
  }

  private newCodes(input: NewCode[], at: string, by: 'hand' | 'replace' | 'import'): Code[] {
    const codes = dedupe(input).map((c) => createCode(c, encoding.randomId(), at, by));
    if (codes.length === 0) throw new SpareError('no-codes-found', 'There are no codes to save.');
    return codes;
  }

  private async reserveIn(
    vault: Unlocked,
    account: Account,
    holder: ReservationHolder,
  ): Promise<Reservation> {
    const code = nextUnusedCode(account);
    if (!code) throw noCodeLeft();
    const at = this.timestamp();
    const reserved = reserveCode(code, holder, at);
    const next = withCode(account, reserved, at);
    await this.save(vault, [next]);
    return reservationOf(next, reserved);
  }

  private async confirmIn(vault: Unlocked, account: Account, code: Code, usedOn: string): Promise<CodeCount> {
    const at = this.timestamp();
    const next = withCode(account, confirmCode(code, usedOn, at), at);
    await this.save(vault, [next]);
    return countOf(next);
  }

  private async releaseIn(vault: Unlocked, account: Account, code: Code): Promise<CodeCount> {
    const at = this.timestamp();
    const next = withCode(account, releaseCode(code, at), at);
    await this.save(vault, [next]);
    return countOf(next);
  }

  private heldCode(vault: Unlocked, sender: ContentSender, accountId: string, codeId: string) {
    const account = vault.accounts.get(accountId);
    if (!account || !targetMayUse(sender, account)) throw forbidden();
    const code = account.codes.find((c) => c.id === codeId);
    if (!code || code.state !== 'reserved' || !sameHolder(code.reservedBy, holderOf(sender))) {
      throw new SpareError('invalid-transition', 'This page does not hold that code.');
    }
    return { account, code };
  }

  private timestamp(): string {
    return this.options.now().toISOString();
  }
}

// -------------------------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------------------------

const KEY_CHECK = new TextEncoder().encode('spare key check');
// Account ids are URL-safe base64, so this record id can never collide with one.
const keyCheckAad = (vaultId: string, schemaVersion: number) =>
  recordAad(vaultId, '#key-check', schemaVersion);

const locked = () => new SpareError('vault-locked', 'Spare is locked.');
/**
 * A device's id in sync stamps (72 random bits): unique among one user's devices, and short, because every
 * stamp in every synced record repeats it.
 */
const newReplicaId = () => encoding.randomId().slice(0, 12);
const otherVault = () =>
  new SpareError(
    'sync-other-vault',
    'This browser’s sync holds a Spare vault from another device. Enter its master password to join it.',
  );
const vaultDamaged = (what: string, cause?: unknown) =>
  new SpareError(
    'vault-damaged',
    `Your password is right, but Spare cannot open this vault: ${what}. Nothing was changed; ` +
      'an exported backup file, if you have one, still holds your codes.',
    { cause },
  );

// By tag, not instanceof: IndexedDB may hand back bytes made in another realm.
const isBytes = (value: unknown): value is Uint8Array =>
  Object.prototype.toString.call(value) === '[object Uint8Array]';
/** An AES-GCM message whose ciphertext is `ctLength` bytes, or at least a tag when no length is known. */
const isSealed = (value: unknown, ctLength?: number): boolean => {
  const sealed = value as { iv?: unknown; ct?: unknown } | null;
  if (typeof sealed !== 'object' || sealed === null) return false;
  if (!isBytes(sealed.iv) || sealed.iv.length !== IV_BYTES || !isBytes(sealed.ct)) return false;
  return ctLength === undefined ? sealed.ct.length >= TAG_BYTES : sealed.ct.length === ctLength;
};

/**
 * What is structurally wrong with a stored header, or null. Checked before any key derivation, so a header
 * with missing or malformed parts is reported as damage rather than as a wrong password. (A flipped byte
 * keeps the shape; that is found by the AES-GCM checks, see `unwrapWith` and `checkKey`.)
 */
function headerDamage(header: VaultHeader): string | null {
  if (typeof header !== 'object' || header === null) return 'not an object';
  if (typeof header.vaultId !== 'string' || header.vaultId === '') return 'no vault id';
  if (!Number.isInteger(header.schemaVersion)) return 'no schema version';
  if (typeof header.kdf !== 'object' || header.kdf === null) return 'no key derivation parameters';
  if (!isSealed(header.wrappedKey, DATA_KEY_BYTES + TAG_BYTES)) return 'the wrapped key is malformed';
  if (!isSealed(header.keyCheck)) return 'the key check is malformed';
  return null;
}

function isAccountOf(value: unknown, id: string): value is Account {
  const account = value as Partial<Account> | null;
  return (
    typeof account === 'object' &&
    account !== null &&
    account.id === id &&
    typeof account.site === 'string' &&
    Array.isArray(account.codes)
  );
}
const forbidden = () => new SpareError('forbidden-sender', 'This page may not use that account.');
const noCodeLeft = () => new SpareError('no-code-left', 'No unused code is left for this account.');

function sortAccounts(accounts: Account[]): Account[] {
  return accounts.sort(
    (a, b) =>
      a.site.localeCompare(b.site) ||
      (a.label ?? '').localeCompare(b.label ?? '') ||
      a.createdAt.localeCompare(b.createdAt) ||
      a.id.localeCompare(b.id),
  );
}

function requireAccount(vault: Unlocked, accountId: string): Account {
  const account = vault.accounts.get(accountId);
  if (!account) throw new SpareError('not-found', 'That account does not exist (any more).');
  return account;
}

function requireCode(account: Account, codeId: string): Code {
  const code = account.codes.find((c) => c.id === codeId);
  if (!code) throw new SpareError('not-found', 'That code does not exist (any more).');
  return code;
}

/**
 * A registrable domain (or localhost / an IP), lower-case, as `registrableDomain` spells it: an IPv6 address
 * without brackets (`::1`, what the popup sends; a bracketed one is accepted too). Anything else is refused.
 */
export function normaliseSite(input: string): string {
  const site = input
    .trim()
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[([0-9a-f:.]+)\]$/, '$1');
  // A colon is valid only in an IPv6 address, which needs its brackets back to be read as a host.
  const canonical = registrableDomain(site.includes(':') ? `[${site}]` : site);
  if (site === '' || /[/@\s]/.test(site) || canonical !== site) {
    throw new SpareError('invalid-input', `“${input}” is not a website domain such as example.com.`);
  }
  return site;
}

function setText(account: Account, field: 'label' | 'note', value: string | undefined): void {
  const text = value?.trim();
  if (text) account[field] = text;
  else delete account[field];
}

function dedupe(codes: NewCode[]): NewCode[] {
  const seen = new Set<string>();
  const out: NewCode[] = [];
  for (const code of codes) {
    const value = code.value.trim();
    const key = codeKey(value);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push({ ...code, value });
  }
  return out;
}

/**
 * The accounts to write when `inputs` are restored on top of `existing`: codes the vault does not hold yet go
 * to the account with the same site and label, other accounts are new. Counts what it did into `result`.
 * Throws 'invalid-input' for a site that is not a website domain, before anything is written.
 */
function mergeAccounts(
  existing: Account[],
  inputs: NewAccount[],
  at: string,
  result: RestoreResult,
): Account[] {
  const writes = new Map<string, Account>();
  for (const input of inputs) {
    const site = normaliseSite(input.site);
    const label = input.label?.trim() || undefined;
    const target =
      writes.get(findKey(writes, site, label) ?? '') ??
      existing.find((a) => a.site === site && a.label === label);
    if (target) {
      const known = new Set(target.codes.map((c) => codeKey(c.value)));
      const added = dedupe(input.codes)
        .filter((c) => !known.has(codeKey(c.value)))
        .map((c) => createCode(c, encoding.randomId(), at, 'import'));
      if (added.length === 0) continue;
      if (!writes.has(target.id)) result.accountsUpdated++;
      writes.set(target.id, { ...target, codes: [...target.codes, ...added], updatedAt: at });
      result.codesAdded += added.length;
    } else {
      const account: Account = {
        id: encoding.randomId(),
        site,
        codes: dedupe(input.codes).map((c) => createCode(c, encoding.randomId(), at, 'import')),
        createdAt: at,
        updatedAt: at,
      };
      setText(account, 'label', label);
      setText(account, 'note', input.note);
      writes.set(account.id, account);
      result.accountsAdded++;
      result.codesAdded += account.codes.length;
    }
  }
  return [...writes.values()];
}

function findKey(writes: Map<string, Account>, site: string, label: string | undefined): string | undefined {
  for (const [id, account] of writes) if (account.site === site && account.label === label) return id;
  return undefined;
}

/** Both the tab's page and the asking frame must be on the account's site (design §3, §4.2). */
function targetMayUse(target: Pick<FillTarget, 'topUrl' | 'frameUrl'>, account: Account): boolean {
  return pageMatchesSite(target.topUrl, account.site) && pageMatchesSite(target.frameUrl, account.site);
}

function holderOf(target: Pick<FillTarget, 'tabId' | 'frameId' | 'frameUrl' | 'session'>): ReservationHolder {
  const holder: ReservationHolder = {
    tabId: target.tabId,
    frameId: target.frameId,
    origin: new URL(target.frameUrl).origin,
  };
  if (target.session !== undefined) holder.session = target.session;
  return holder;
}

function sameHolder(a: ReservationHolder | undefined, b: ReservationHolder): boolean {
  return a !== undefined && a.tabId === b.tabId && a.origin === b.origin && a.frameId === b.frameId;
}

function orphanedSites(vault: Unlocked, sites: string[]): string[] {
  const used = new Set([...vault.accounts.values()].map((a) => a.site));
  return [...new Set(sites)].filter((site) => !used.has(site));
}

function reservationOf(account: Account, code: Code): Reservation {
  return {
    accountId: account.id,
    codeId: code.id,
    code: code.value,
    site: account.site,
    left: codesLeft(account),
    total: account.codes.length,
  };
}

function countOf(account: Account): CodeCount {
  return { accountId: account.id, left: codesLeft(account), total: account.codes.length };
}
