/**
 * The limits of the browsers' `storage.sync` engines, as named constants. Where Chrome and Firefox differ,
 * the stricter value is the one Spare obeys, so one layout and one write schedule work in both.
 *
 * Sources (read 2026-12):
 * - Chrome: https://developer.chrome.com/docs/extensions/reference/api/storage#property-sync (the
 *   `storage.sync` constants QUOTA_BYTES, QUOTA_BYTES_PER_ITEM, MAX_ITEMS, MAX_WRITE_OPERATIONS_PER_HOUR,
 *   MAX_WRITE_OPERATIONS_PER_MINUTE).
 * - Firefox: https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/API/storage/sync
 *   ("Storage quotas for sync data": 102400 bytes total, 8192 bytes per item, 512 items; enforced since
 *   Firefox 79). Firefox documents no client-side write-rate limit, so Chrome's rates are the stricter.
 */

/** Chrome 102,400; Firefox 102,400. Every item's key length plus its JSON-stringified value, summed. */
export const SYNC_QUOTA_BYTES = 102_400;
/** Chrome 8,192; Firefox 8,192. One item's key length plus the length of JSON.stringify(value). */
export const SYNC_QUOTA_BYTES_PER_ITEM = 8_192;
/** Chrome 512; Firefox 512. */
export const SYNC_MAX_ITEMS = 512;
/** Chrome 1,800 (`set`, `remove` or `clear` calls per hour); Firefox: none documented. */
export const SYNC_MAX_WRITE_OPERATIONS_PER_HOUR = 1_800;
/** Chrome 120 per minute; Firefox: none documented. */
export const SYNC_MAX_WRITE_OPERATIONS_PER_MINUTE = 120;

export interface SyncLimits {
  quotaBytes: number;
  quotaBytesPerItem: number;
  maxItems: number;
  maxWritesPerHour: number;
  maxWritesPerMinute: number;
}

export const SYNC_LIMITS: SyncLimits = Object.freeze({
  quotaBytes: SYNC_QUOTA_BYTES,
  quotaBytesPerItem: SYNC_QUOTA_BYTES_PER_ITEM,
  maxItems: SYNC_MAX_ITEMS,
  maxWritesPerHour: SYNC_MAX_WRITE_OPERATIONS_PER_HOUR,
  maxWritesPerMinute: SYNC_MAX_WRITE_OPERATIONS_PER_MINUTE,
});
