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
import type { SessionKeyStore } from './session-key';
import { pageMatchesSite, registrableDomain } from '../core/domain';

export const DEFAULT_SETTINGS: Settings = { autoLockMinutes: 15 };

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
}

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
    });
  }

  unlock(password: string): Promise<void> {
    return this.exclusive(async () => {
      const header = await this.requireHeader();
      const dataKey = await this.unwrapWith(password, header);
      await this.checkKey(header, dataKey);
      const loaded = await this.loadAccounts(header, dataKey);
      await this.remember(header, dataKey, loaded);
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
      if (this.unlocked) this.unlocked = { ...this.unlocked, header: next };
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
      await (await this.repo()).deleteAccount(accountId);
      vault.accounts.delete(accountId);
      return orphanedSites(vault, [site]);
    });
  }

  /** Marks one code used or unused by hand. A reserved code is released first (the user knows best). */
  markCode(accountId: string, codeId: string, used: boolean): Promise<Account> {
    return this.withVault(async (vault) => {
      const account = requireAccount(vault, accountId);
      const at = this.timestamp();
      let code = requireCode(account, codeId);
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
      await this.save(vault, writes, mode === 'replace');
      return result;
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
    loaded: Pick<Unlocked, 'accounts' | 'unreadable'>,
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
      this.unlocked = { header, key, ...(await this.loadAccounts(header, key)) };
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
   * Seals and writes accounts in one transaction, then (only then) updates memory. `replaceAll` deletes the
   * accounts Spare could read, by id: the unreadable records stay (they were never shown, so a 'replace' the
   * user chose cannot have meant them).
   */
  private async save(vault: Unlocked, accounts: Account[], replaceAll = false): Promise<void> {
    const { vaultId, schemaVersion } = vault.header;
    const records: SealedRecord[] = [];
    for (const account of accounts) {
      records.push({
        id: account.id,
        sealed: await sealJson(vault.key, account, recordAad(vaultId, account.id, schemaVersion)),
      });
    }
    const writes = new Set(accounts.map((a) => a.id));
    const dropped = replaceAll ? [...vault.accounts.keys()].filter((id) => !writes.has(id)) : [];
    await (await this.repo()).writeAccounts({ put: records, delete: dropped });
    if (replaceAll) vault.accounts.clear();
    for (const account of accounts) vault.accounts.set(account.id, account);
    this.changed();
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
