/**
 * Sync through the browser's own `storage.sync` (issue 11). The vault service seals and merges (it alone
 * holds the key); this module moves sealed items between it and `storage.sync`:
 *
 * - push: after every vault change, lay out the sealed records (src/core/sync/chunks.ts), diff them with what
 *   `storage.sync` holds, and queue the difference on the write scheduler (debounced, rate-limited, backed
 *   off after errors: src/core/sync/backoff.ts). A layout that does not fit the quota holds every write; the
 *   local vault goes on as the source of truth, and the popup says that sync is paused and why.
 * - pull: when `storage.sync` changes (another device's write, delivered by the browser's sync engine), or
 *   after an unlock, assemble what is there and hand it to the vault service to merge.
 *
 * Nothing here ever sees a key or a plaintext: only ciphertext, its layout and the header's public parts.
 */
import { isSpareError } from '../core/errors';
import {
  assembleSyncItems,
  HEADER_KEY,
  isSyncLayoutKey,
  planSyncWrite,
  recordKey,
  type SyncFit,
} from '../core/sync/chunks';
import { SyncWriteScheduler, type SyncBatch, type SyncPauseReason } from '../core/sync/backoff';
import { SYNC_QUOTA_BYTES } from '../core/sync/limits';
import type { SyncStatus } from '../messaging';
import type { VaultService } from './vault-service';

/** The parts of `storage.sync` this module uses (tests pass an in-memory one). */
export interface SyncArea {
  get(): Promise<Record<string, unknown>>;
  set(items: Record<string, string>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export interface SyncEngineOptions {
  vault: VaultService;
  area: SyncArea;
  now?: () => number;
  /** Wakes the worker for a write that is due later, in case it stops before its timer fires. */
  armAlarm?: (when: number | null) => void;
}

/** Why sync stopped pushing, besides the scheduler's own quota and rate-limit pauses. */
type Problem = 'other-vault' | 'password-changed' | 'error';

export class SyncEngine {
  private readonly vault: VaultService;
  private readonly area: SyncArea;
  private readonly now: () => number;
  private readonly armAlarm: (when: number | null) => void;
  private scheduler: SyncWriteScheduler;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private fit: SyncFit | undefined;
  private problem: Problem | null = null;
  /** Whether what `storage.sync` holds was merged since the vault last unlocked (it must be, before a push). */
  private pulled = false;
  /** What this device wrote last, by key: the change events of its own writes need no pull. */
  private readonly written = new Map<string, string | undefined>();
  /** A header this device changed (a new password) and has not written yet: the synced one is older. */
  private headerPending = false;

  constructor(options: SyncEngineOptions) {
    this.vault = options.vault;
    this.area = options.area;
    this.now = options.now ?? Date.now;
    this.armAlarm = options.armAlarm ?? (() => undefined);
    this.scheduler = new SyncWriteScheduler({ now: this.now });
  }

  // ---------------------------------------------------------------------------------------------------
  // what the popup asks
  // ---------------------------------------------------------------------------------------------------

  status(): Promise<SyncStatus> {
    return this.run(() => this.currentStatus());
  }

  /**
   * Turns sync on. If `storage.sync` holds another device's vault, joining it needs that vault's master
   * password ('sync-other-vault' without one); this device's accounts are then added to it.
   */
  enable(password?: string): Promise<SyncStatus> {
    return this.run(async () => {
      const remote = await assembleSyncItems(await this.area.get());
      if (password !== undefined) await this.vault.joinSyncedVault(password, remote);
      else await this.vault.startSync(remote);
      this.problem = null;
      this.pulled = true;
      await this.push();
      return this.currentStatus();
    });
  }

  disable(): Promise<SyncStatus> {
    return this.run(async () => {
      await this.vault.stopSync();
      this.reset();
      return this.currentStatus();
    });
  }

  /** First run on a new device: whether this browser's sync holds a vault to join. */
  async syncedVaultAvailable(): Promise<boolean> {
    const items = await this.area.get();
    return typeof items[HEADER_KEY] === 'string';
  }

  // ---------------------------------------------------------------------------------------------------
  // events
  // ---------------------------------------------------------------------------------------------------

  /** After the vault unlocked or its accounts changed. */
  vaultChanged(): Promise<void> {
    return this.run(() => this.push()).catch(report);
  }

  /** After the vault locked: the next unlock pulls before it pushes. Queued (sealed) writes still go. */
  vaultLocked(): void {
    this.pulled = false;
  }

  /** `storage.onChanged` for the sync area: another device's write, or this device's own. */
  areaChanged(changes: Record<string, { newValue?: unknown }>): Promise<void> {
    const keys = Object.keys(changes);
    const theirs = keys.some(
      (key) =>
        isSyncLayoutKey(key) && !(this.written.has(key) && this.written.get(key) === changes[key]!.newValue),
    );
    if (theirs) return this.run(() => this.pull()).catch(report);
    // Other synced data took or freed room: the quota check must be made again.
    if (keys.some((key) => !isSyncLayoutKey(key))) return this.run(() => this.push()).catch(report);
    return Promise.resolve();
  }

  /** The write alarm: a timer that did not fire (the worker stopped), or the first wake after a start. */
  wake(): Promise<void> {
    // A layout over the quota is planned again (the vault, or other synced data, may have shrunk meanwhile).
    const flushOnly = this.scheduler.hasPending() && this.fit?.fits !== false;
    return this.run(() => (flushOnly ? this.flush() : this.push())).catch(report);
  }

  /** Resolves once every queued task has run (tests, and a caller that must see the result). */
  settled(): Promise<void> {
    return this.run(async () => undefined);
  }

  // ---------------------------------------------------------------------------------------------------
  // internals
  // ---------------------------------------------------------------------------------------------------

  private run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private reset(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armAlarm(null);
    this.scheduler = new SyncWriteScheduler({ now: this.now });
    this.fit = undefined;
    this.problem = null;
    this.pulled = false;
    this.written.clear();
    this.headerPending = false;
  }

  private async pull(): Promise<void> {
    if (!(await this.vault.syncReady())) return;
    const remote = await assembleSyncItems(await this.area.get());
    const outcome = await this.vault.applySynced(remote, { headerPending: this.headerPending });
    if (outcome === 'other-vault') {
      // Never write over another vault: hold everything until the user joins it or turns sync off.
      this.problem = 'other-vault';
      this.scheduler.holdForQuota(true);
      return;
    }
    if (outcome === 'relocked') {
      this.problem = 'password-changed';
      this.pulled = false;
      return;
    }
    if (this.problem === 'other-vault' || this.problem === 'password-changed') this.problem = null;
    this.pulled = true;
    await this.push();
  }

  private async push(): Promise<void> {
    if (!(await this.vault.syncReady())) return;
    if (this.problem === 'other-vault') return;
    if (!this.pulled) return this.pull();
    const content = await this.vault.syncContent();
    const current = await this.area.get();
    const plan = await planSyncWrite(current, content);
    // Only remove what this device's own layout no longer has: a record another device wrote that did not
    // open or arrive whole here is not ours to delete.
    const own = new Set([HEADER_KEY, ...[...content.records.keys()].map(recordKey)]);
    const remove = plan.diff.remove.filter((key) => own.has(key.split('.')[0]!));
    if (HEADER_KEY in plan.diff.set) this.headerPending = true;
    this.fit = plan.fit;
    this.scheduler.holdForQuota(!plan.fit.fits);
    this.scheduler.queue({ set: plan.diff.set, remove });
    this.arm();
  }

  private async flush(): Promise<void> {
    const batch = this.scheduler.take();
    if (batch) await this.write(batch);
    this.arm();
  }

  private async write(batch: SyncBatch): Promise<void> {
    try {
      for (const key of batch.remove) this.written.set(key, undefined);
      for (const [key, value] of Object.entries(batch.set)) this.written.set(key, value as string);
      if (batch.remove.length > 0) await this.area.remove(batch.remove);
      if (Object.keys(batch.set).length > 0) await this.area.set(batch.set as Record<string, string>);
      this.scheduler.succeeded();
      if (HEADER_KEY in batch.set) this.headerPending = false;
      if (this.problem === 'error') this.problem = null;
    } catch (error) {
      const kind = this.scheduler.failed(error);
      if (kind === 'other') this.problem = 'error';
      // No key or plaintext is in a sync error: the engine only ever saw ciphertext.
      console.warn('Spare: a sync write failed; it will be retried', kind);
    }
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const due = this.scheduler.dueAt();
    this.armAlarm(due ?? null);
    if (due === undefined) return;
    this.timer = setTimeout(
      () => void this.run(() => this.flush()).catch(report),
      Math.max(0, due - this.now()),
    );
  }

  private async currentStatus(): Promise<SyncStatus> {
    const settings = await this.vault.getSettings();
    if (!settings.sync) return { enabled: false };
    const usage = { usedBytes: this.fit?.totalBytes ?? null, quotaBytes: SYNC_QUOTA_BYTES };
    if (this.problem === 'other-vault' || this.problem === 'password-changed') {
      return { enabled: true, state: 'paused', reason: this.problem, retryAt: null, ...usage };
    }
    if (!(await this.vault.syncReady())) return { enabled: true, state: 'locked', ...usage };
    const state = this.scheduler.state();
    if (typeof state === 'object') {
      const reason: SyncPauseReason = state.paused;
      return { enabled: true, state: 'paused', reason, retryAt: state.retryAt, ...usage };
    }
    if (this.problem === 'error')
      return { enabled: true, state: 'paused', reason: 'error', retryAt: null, ...usage };
    return { enabled: true, state: state === 'idle' ? 'synced' : 'pending', ...usage };
  }
}

function report(error: unknown): void {
  if (isSpareError(error, 'vault-locked')) return;
  console.error('Spare: sync', isSpareError(error) ? error.code : error);
}
