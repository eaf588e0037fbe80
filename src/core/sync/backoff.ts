/**
 * When to write to `storage.sync`: a pure scheduler with an injected clock. It never touches the browser; the
 * caller asks it for a batch when it says one is due, performs `remove` then `set`, and reports the outcome.
 *
 * - Debounce: a batch is due `debounceMs` after the last change, but never later than `maxWaitMs` after the
 *   first change still pending, so a steady trickle of edits still reaches the other devices.
 * - One batch = at most one `remove` and one `set` call, holding every pending change (newest wins per key).
 * - Rate: every call made is counted; a batch waits rather than take the last minute's or last hour's count
 *   over the engine's limits (counted over sliding windows, which is stricter than any fixed window).
 * - Errors: a quota or rate-limit error backs off exponentially up to a cap; any other error backs off too.
 *   The failed batch goes back under the changes queued meanwhile: nothing pending is ever dropped (and the
 *   local vault stays the source of truth anyway).
 */
import { SYNC_LIMITS, type SyncLimits } from './limits';

export type SyncValue = unknown;

/** Writes still owed to `storage.sync`. A key is in at most one of the two. */
export interface SyncBatch {
  set: Record<string, SyncValue>;
  remove: string[];
}

export type SyncPauseReason = 'quota' | 'rate-limit';

/** What the popup shows. `retryAt` is null when only a smaller vault can resume sync (it does not fit). */
export type SyncWriteState = 'idle' | 'pending' | { paused: SyncPauseReason; retryAt: number | null };

export interface SchedulerOptions {
  /** The clock, in milliseconds (Date.now in the background; a fake in tests). */
  now: () => number;
  debounceMs?: number;
  maxWaitMs?: number;
  /** The first back-off after an error; doubled after each further error in a row, up to `backoffCapMs`. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  limits?: Pick<SyncLimits, 'maxWritesPerMinute' | 'maxWritesPerHour'>;
}

export const DEFAULT_DEBOUNCE_MS = 2_000;
export const DEFAULT_MAX_WAIT_MS = 10_000;
/** A rate-limit error clears within a minute at best, so retrying sooner only spends more of the hour. */
export const DEFAULT_BACKOFF_BASE_MS = 60_000;
export const DEFAULT_BACKOFF_CAP_MS = 60 * 60_000;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export type SyncErrorKind = SyncPauseReason | 'other';

/**
 * What the engine's error means. The messages, as the browsers throw them:
 * - Chrome, byte and item quotas: "QUOTA_BYTES quota exceeded", "QUOTA_BYTES_PER_ITEM quota exceeded",
 *   "MAX_ITEMS quota exceeded" (older releases); "Resource::kQuotaBytes quota exceeded",
 *   "Resource::kQuotaBytesPerItem quota exceeded", "Resource::kMaxItems quota exceeded" (2025 on).
 * - Chrome, write rate: "This request exceeds the MAX_WRITE_OPERATIONS_PER_MINUTE quota." and
 *   "... MAX_WRITE_OPERATIONS_PER_HOUR quota." (older releases also MAX_SUSTAINED_WRITE_OPERATIONS_PER_MINUTE).
 * - Firefox (any quota, since 79): "QuotaExceededError: storage.sync API call exceeded its quota limitations."
 * The write-rate names are checked first: they contain "quota" too.
 */
export function classifySyncError(error: unknown): SyncErrorKind {
  const message = String((error as { message?: unknown } | null)?.message ?? error);
  if (/MAX_(?:SUSTAINED_)?WRITE_OPERATIONS|kMax(?:Sustained)?WriteOperations/i.test(message))
    return 'rate-limit';
  if (
    /QUOTA_BYTES|kQuotaBytes|MAX_ITEMS|kMaxItems|QuotaExceeded|quota (?:limitations|exceeded)/i.test(message)
  ) {
    return 'quota';
  }
  return 'other';
}

export class SyncWriteScheduler {
  private readonly now: () => number;
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;
  private readonly backoffBaseMs: number;
  private readonly backoffCapMs: number;
  private readonly limits: Pick<SyncLimits, 'maxWritesPerMinute' | 'maxWritesPerHour'>;

  private pending: SyncBatch = { set: {}, remove: [] };
  private firstChangeAt: number | undefined;
  private lastChangeAt: number | undefined;
  private inFlight: SyncBatch | undefined;
  /** Times of the write calls made in the last hour, oldest first. */
  private writes: number[] = [];
  private errorsInARow = 0;
  private backoffUntil: number | undefined;
  private backoffReason: SyncErrorKind | undefined;
  private quotaHold = false;

  constructor(options: SchedulerOptions) {
    this.now = options.now;
    this.debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.backoffBaseMs = options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS;
    this.backoffCapMs = options.backoffCapMs ?? DEFAULT_BACKOFF_CAP_MS;
    this.limits = options.limits ?? SYNC_LIMITS;
  }

  /** Adds changes (typically a `diffSyncItems` result). Later changes to a key replace earlier ones. */
  queue(change: SyncBatch): void {
    if (Object.keys(change.set).length === 0 && change.remove.length === 0) return;
    this.pending = mergeBatches(this.pending, change);
    const now = this.now();
    this.firstChangeAt ??= now;
    this.lastChangeAt = now;
  }

  /**
   * Holds every write while the layout does not fit the quota (`checkSyncFit`); the popup then says why.
   * Changes keep queueing; releasing the hold lets them go at the next due time.
   */
  holdForQuota(hold: boolean): void {
    this.quotaHold = hold;
  }

  /** Forgets the back-off (the caller knows its cause is gone, e.g. the vault shrank back under the quota). */
  resume(): void {
    this.backoffUntil = undefined;
    this.backoffReason = undefined;
    this.errorsInARow = 0;
  }

  hasPending(): boolean {
    return Object.keys(this.pending.set).length > 0 || this.pending.remove.length > 0;
  }

  /** When the caller should next call `take` (undefined: nothing to do until the next change or outcome). */
  dueAt(): number | undefined {
    if (!this.hasPending() || this.inFlight || this.quotaHold) return undefined;
    const debounced = Math.min(this.lastChangeAt! + this.debounceMs, this.firstChangeAt! + this.maxWaitMs);
    return Math.max(debounced, this.backoffUntil ?? 0, this.rateAllowsAt(this.callsFor(this.pending)));
  }

  /**
   * The batch to write now, or undefined when none is due. The caller runs `remove` (if any) before `set`
   * (if any), so the area never holds more than the larger of the old and the new layout, then reports back
   * with `succeeded` or `failed`. Calls are counted when the batch is handed out.
   */
  take(): SyncBatch | undefined {
    const due = this.dueAt();
    const now = this.now();
    if (due === undefined || due > now) return undefined;
    const batch = this.pending;
    this.pending = { set: {}, remove: [] };
    this.firstChangeAt = this.lastChangeAt = undefined;
    this.inFlight = batch;
    for (let i = 0; i < this.callsFor(batch); i++) this.writes.push(now);
    return batch;
  }

  succeeded(): void {
    this.inFlight = undefined;
    this.errorsInARow = 0;
    this.backoffUntil = undefined;
    this.backoffReason = undefined;
  }

  /** The batch failed: it goes back under whatever was queued since, and writes back off. */
  failed(error: unknown): SyncErrorKind {
    const batch = this.inFlight;
    this.inFlight = undefined;
    const now = this.now();
    if (batch) {
      this.pending = mergeBatches(batch, this.pending);
      // The failed batch already waited out its debounce: only the back-off delays it now. Changes queued
      // meanwhile keep their own debounce times.
      this.firstChangeAt ??= now - this.maxWaitMs;
      this.lastChangeAt ??= now - this.debounceMs;
    }
    const kind = classifySyncError(error);
    this.errorsInARow++;
    const delay = Math.min(this.backoffCapMs, this.backoffBaseMs * 2 ** (this.errorsInARow - 1));
    this.backoffUntil = now + delay;
    this.backoffReason = kind;
    return kind;
  }

  state(): SyncWriteState {
    const now = this.now();
    if (this.quotaHold) return { paused: 'quota', retryAt: null };
    if (this.backoffUntil !== undefined && this.backoffUntil > now && this.backoffReason !== 'other') {
      return { paused: this.backoffReason!, retryAt: this.backoffUntil };
    }
    if (!this.hasPending() && !this.inFlight) return 'idle';
    if (!this.inFlight) {
      // Our own counting holds the batch past its debounce: say so rather than look stuck.
      const rateAt = this.rateAllowsAt(this.callsFor(this.pending));
      const debounced = Math.min(this.lastChangeAt! + this.debounceMs, this.firstChangeAt! + this.maxWaitMs);
      if (rateAt > Math.max(now, debounced)) return { paused: 'rate-limit', retryAt: rateAt };
    }
    return 'pending';
  }

  /** Write calls made in the window ending now (for tests and diagnostics). */
  writesWithin(windowMs: number): number {
    const since = this.now() - windowMs;
    return this.writes.filter((at) => at >= since).length;
  }

  private callsFor(batch: SyncBatch): number {
    return (Object.keys(batch.set).length > 0 ? 1 : 0) + (batch.remove.length > 0 ? 1 : 0);
  }

  /**
   * The earliest time at which `calls` more write calls keep both windows within their limits. A call made
   * exactly one window ago still counts (the boundary is conservative).
   */
  private rateAllowsAt(calls: number): number {
    const now = this.now();
    this.writes = this.writes.filter((at) => at > now - HOUR - 1);
    let at = now;
    for (const [window, limit] of [
      [MINUTE, this.limits.maxWritesPerMinute],
      [HOUR, this.limits.maxWritesPerHour],
    ] as const) {
      const recent = this.writes.filter((t) => t >= now - window);
      const excess = recent.length + calls - limit;
      // The `excess`-th oldest call must leave the window before this batch may go.
      if (excess > 0) at = Math.max(at, recent[excess - 1]! + window + 1);
    }
    return at;
  }
}

/** `later` applied on top of `earlier`: a key set after being removed is set, removed after being set is removed. */
export function mergeBatches(earlier: SyncBatch, later: SyncBatch): SyncBatch {
  const set = { ...earlier.set };
  const remove = new Set(earlier.remove);
  for (const key of later.remove) {
    delete set[key];
    remove.add(key);
  }
  for (const [key, value] of Object.entries(later.set)) {
    remove.delete(key);
    set[key] = value;
  }
  return { set, remove: [...remove].sort() };
}
