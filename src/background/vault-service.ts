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
  codeKey,
  codesLeft,
  confirmCode,
  createCode,
  markUnusedByHand,
  markUsedByHand,
  nextUnusedCode,
  releaseCode,
  reserveCode,
  summarize,
  withCode,
  type Account,
  type AccountSummary,
  type Code,
  type NewCode,
  type ReservationHolder,
} from '../core/vault';
import type {
  AccountChanges,
  CodeCount,
  ContentSender,
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

export interface VaultServiceOptions {
  keyStore: SessionKeyStore;
  openRepository?: () => Promise<VaultRepository>;
  /** KDF parameters for a new vault or a new password; tests pass cheap ones. */
  newKdfParams?: () => KdfParams;
  now?: () => Date;
  /** Called after each operation on the unlocked vault (the auto-lock timer restarts from here). */
  onUse?: (settings: Settings) => void;
  /** Called after the vault locked, for whatever reason. */
  onLock?: () => void;
}

interface Unlocked {
  header: VaultHeader;
  key: CryptoKey;
  accounts: Map<string, Account>;
}

export class VaultService {
  private readonly options: Required<Omit<VaultServiceOptions, 'onUse' | 'onLock'>> &
    Pick<VaultServiceOptions, 'onUse' | 'onLock'>;
  private repository: Promise<VaultRepository> | null = null;
  private unlocked: Unlocked | null = null;
  private settings: Settings | null = null;
  private queue: Promise<unknown> = Promise.resolve();

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
      await repo.createVault(header);
      await this.remember(header, dataKey, new Map());
    });
  }

  unlock(password: string): Promise<void> {
    return this.exclusive(async () => {
      const header = await this.requireHeader();
      const dataKey = await this.unwrapWith(password, header);
      const accounts = await this.loadAccounts(header, dataKey);
      await this.remember(header, dataKey, accounts);
    });
  }

  lock(): Promise<void> {
    return this.exclusive(() => this.lockNow());
  }

  /** Re-wraps the data key under the new password; account records are not touched. */
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

  deleteAccount(accountId: string): Promise<void> {
    return this.withVault(async (vault) => {
      requireAccount(vault, accountId);
      await (await this.repo()).deleteAccount(accountId);
      vault.accounts.delete(accountId);
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

  /** After regenerating codes at the site: the old set is gone, the new one is all unused. */
  replaceCodes(accountId: string, codes: NewCode[]): Promise<Account> {
    return this.withVault(async (vault) => {
      const at = this.timestamp();
      const next: Account = {
        ...requireAccount(vault, accountId),
        codes: this.newCodes(codes, at, 'replace'),
        updatedAt: at,
      };
      await this.save(vault, [next]);
      return structuredClone(next);
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // reserve → confirm | release
  // ---------------------------------------------------------------------------------------------------

  /** Reserves the next unused code of an account (trusted callers: extension pages). */
  reserve(accountId: string, holder: ReservationHolder): Promise<Reservation> {
    return this.withVault(async (vault) => this.reserveIn(vault, requireAccount(vault, accountId), holder));
  }

  /**
   * A content script asks for a code for the page it runs in. The account must belong to the tab's top-level
   * site and to the sending frame's site; a tab that already holds a code of that account gets the same code
   * again rather than spending another.
   */
  reserveForPage(sender: ContentSender, accountId?: string): Promise<Reservation> {
    return this.withVault(async (vault) => {
      const candidates = sortAccounts([...vault.accounts.values()]).filter((a) => senderMayUse(sender, a));
      const holder = holderOf(sender);
      let account: Account | undefined;
      if (accountId !== undefined) {
        account = candidates.find((a) => a.id === accountId);
        if (!account) throw forbidden();
      } else {
        if (candidates.length === 0) throw new SpareError('not-found', 'Spare has no account for this site.');
        account = candidates.find((a) => heldBy(a, holder)) ?? candidates.find((a) => nextUnusedCode(a));
        if (!account) throw noCodeLeft();
      }
      const held = heldBy(account, holder);
      if (held) return reservationOf(account, held);
      return this.reserveIn(vault, account, holder);
    });
  }

  confirm(accountId: string, codeId: string, usedOn: string): Promise<CodeCount> {
    return this.withVault(async (vault) => {
      const account = requireAccount(vault, accountId);
      return this.confirmIn(vault, account, requireCode(account, codeId), usedOn);
    });
  }

  /** Only the tab and origin that reserved a code may confirm it; the page's own URL is recorded. */
  confirmForPage(sender: ContentSender, accountId: string, codeId: string): Promise<CodeCount> {
    return this.withVault(async (vault) => {
      const { account, code } = this.heldCode(vault, sender, accountId, codeId);
      return this.confirmIn(vault, account, code, sender.frameUrl);
    });
  }

  release(accountId: string, codeId: string): Promise<CodeCount> {
    return this.withVault(async (vault) => {
      const account = requireAccount(vault, accountId);
      return this.releaseIn(vault, account, requireCode(account, codeId));
    });
  }

  releaseForPage(sender: ContentSender, accountId: string, codeId: string): Promise<CodeCount> {
    return this.withVault(async (vault) => {
      const { account, code } = this.heldCode(vault, sender, accountId, codeId);
      return this.releaseIn(vault, account, code);
    });
  }

  /** A closed tab will never submit: its reservations go back to unused. Does nothing while locked. */
  releaseTab(tabId: number): Promise<number> {
    return this.exclusive(async () => {
      const vault = await this.session().catch((error: unknown) => {
        if (isSpareError(error, 'vault-locked')) return null;
        throw error;
      });
      if (!vault) return 0;
      const at = this.timestamp();
      const changed: Account[] = [];
      let released = 0;
      for (const account of vault.accounts.values()) {
        let next = account;
        for (const code of account.codes) {
          if (code.state === 'reserved' && code.reservedBy?.tabId === tabId) {
            next = withCode(next, releaseCode(code, at, 'tab-closed'), at);
            released++;
          }
        }
        if (next !== account) changed.push(next);
      }
      if (changed.length > 0) await this.save(vault, changed);
      return released;
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
      const at = this.timestamp();
      const result: RestoreResult = { accountsAdded: 0, accountsUpdated: 0, codesAdded: 0 };
      const existing = mode === 'merge' ? sortAccounts([...vault.accounts.values()]) : [];
      const writes = new Map<string, Account>();
      for (const input of accounts) {
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
      await this.save(vault, [...writes.values()], mode === 'replace');
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

  /** Runs `run` on the unlocked vault; a locked vault is 'vault-locked' with nothing else. */
  private withVault<T>(run: (vault: Unlocked) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      const vault = await this.session();
      // Read before the work: a read failing after a write that landed would report a change that happened
      // as failed, and the user would make it twice.
      const settings = await this.loadSettings();
      const result = await run(vault);
      this.options.onUse?.(settings);
      return result;
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
    // Bounds are checked on every read: a tampered header must not make guessing cheap (design §3).
    const kdf = checkKdfParams(header.kdf);
    const wrappingKey = await deriveWrappingKey(password, kdf);
    return unwrapDataKey(wrappingKey, header.wrappedKey, keyWrapAad(header.vaultId, header.schemaVersion));
  }

  private async loadAccounts(header: VaultHeader, key: CryptoKey): Promise<Map<string, Account>> {
    const records = await (await this.repo()).readAccounts();
    const accounts = new Map<string, Account>();
    for (const record of records) {
      const account = await openJson<Account>(
        key,
        record.sealed,
        recordAad(header.vaultId, record.id, header.schemaVersion),
      );
      if (account.id !== record.id) throw new SpareError('decrypt-failed', 'A record does not match its id.');
      accounts.set(account.id, account);
    }
    return accounts;
  }

  private async remember(header: VaultHeader, key: CryptoKey, accounts: Map<string, Account>): Promise<void> {
    // Before the key is stored: a failure here must not leave an unlock that reports failure but took effect.
    const settings = await this.loadSettings();
    const raw = await exportRawKey(key);
    try {
      await this.options.keyStore.set(raw);
    } finally {
      raw.fill(0);
    }
    this.unlocked = { header, key, accounts };
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
      const accounts = await this.loadAccounts(header, key);
      this.unlocked = { header, key, accounts };
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
  }

  private async loadSettings(): Promise<Settings> {
    if (!this.settings) {
      const stored = await (await this.repo()).readSettings();
      this.settings = { ...DEFAULT_SETTINGS, ...stored };
    }
    return this.settings;
  }

  /** Seals and writes accounts in one transaction, then (only then) updates memory. */
  private async save(vault: Unlocked, accounts: Account[], replaceAll = false): Promise<void> {
    const { vaultId, schemaVersion } = vault.header;
    const records: SealedRecord[] = [];
    for (const account of accounts) {
      records.push({
        id: account.id,
        sealed: await sealJson(vault.key, account, recordAad(vaultId, account.id, schemaVersion)),
      });
    }
    await (await this.repo()).writeAccounts({ put: records, clearFirst: replaceAll });
    if (replaceAll) vault.accounts.clear();
    for (const account of accounts) vault.accounts.set(account.id, account);
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
    if (!account || !senderMayUse(sender, account)) throw forbidden();
    const code = account.codes.find((c) => c.id === codeId);
    const holder = holderOf(sender);
    if (!code || code.state !== 'reserved' || !sameHolder(code.reservedBy, holder)) {
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

function findKey(writes: Map<string, Account>, site: string, label: string | undefined): string | undefined {
  for (const [id, account] of writes) if (account.site === site && account.label === label) return id;
  return undefined;
}

function senderMayUse(sender: ContentSender, account: Account): boolean {
  return pageMatchesSite(sender.topUrl, account.site) && pageMatchesSite(sender.frameUrl, account.site);
}

function holderOf(sender: ContentSender): ReservationHolder {
  return { tabId: sender.tabId, origin: new URL(sender.frameUrl).origin };
}

function sameHolder(a: ReservationHolder | undefined, b: ReservationHolder): boolean {
  return a !== undefined && a.tabId === b.tabId && a.origin === b.origin;
}

function heldBy(account: Account, holder: ReservationHolder): Code | undefined {
  return account.codes.find((c) => c.state === 'reserved' && sameHolder(c.reservedBy, holder));
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
