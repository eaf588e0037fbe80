/**
 * The background's composition root. `entrypoints/background.ts` calls `startBackground()` once, at the top
 * level of `main()`, so that every listener is registered synchronously on each service-worker start.
 */
import { browser } from 'wxt/browser';
import { encoding } from '../core/crypto';
import type { ReservationHolder } from '../core/vault';
import {
  acceptVaultEventPorts,
  broadcastVaultChanged,
  broadcastVaultLocked,
  createRouter,
  type ExtensionIdentity,
} from '../messaging';
import { listenForAutoLock, restartAutoLockTimer, stopAutoLockTimer } from './auto-lock';
import { backupCodec, type BackupCodec } from './backup';
import {
  CLIPBOARD_ALARM,
  ClipboardClear,
  clipboardClearDelay,
  clipboardReadGranted,
  systemClipboardClear,
  type ClipboardClearDeps,
} from './clipboard';
import { Badge } from './badge';
import { contentHandlers, offerHandlers, pageHandlers, syncHandlers, type OfferDeps } from './handlers';
import { keepContentScriptsInSync } from './content-scripts';
import { FillThrottle, OfferTickets } from './offers';
import { commandFrame, injectOfferRuntime, releaseSitePermissions, startInOpenTabs } from './page-access';
import { sessionKeyStore } from './session-key';
import { SyncEngine, type SyncArea } from './sync';
import { VaultService } from './vault-service';

export { VaultService } from './vault-service';

export interface BackgroundOptions {
  /** Re-syncs the content-script registration (src/background/content-scripts.ts). */
  resyncContentScripts?: () => void;
  service?: VaultService;
  codec?: BackupCodec;
  /** Tests replace the parts that reach into web pages. */
  deps?: Partial<OfferDeps>;
  releaseSites?: (sites: string[]) => Promise<void>;
  /** Tests replace the system clipboard and the read permission. */
  clipboard?: Partial<ClipboardClearDeps>;
  /** Tests pass an in-memory sync area. */
  syncArea?: SyncArea;
}

const SYNC_ALARM = 'spare-sync';

/** `storage.sync`, as the sync engine uses it. */
const browserSyncArea: SyncArea = {
  get: () => browser.storage.sync.get(null),
  set: (items) => browser.storage.sync.set(items),
  remove: (keys) => browser.storage.sync.remove(keys),
};

export function extensionIdentity(): ExtensionIdentity {
  return { id: browser.runtime.id, baseUrl: browser.runtime.getURL('/') };
}

/** Wires the vault service to messages, auto-lock, tab closing and the content-script registration. */
export function startBackground(): void {
  let service: VaultService | null = null;
  const resync = keepContentScriptsInSync(async () => (service ? service.accountSites() : null));
  service = wireBackground({ resyncContentScripts: resync });
}

const BROWSER_SESSION_KEY = 'spare.browserSession';
const RESERVATIONS_ALARM = 'spare-reservations';
const NAVIGATION_GRACE_MS = 2000;

/**
 * A random id for this browser session, kept in `storage.session` (which the browser empties when it quits,
 * but keeps across service-worker restarts). Reservations made in another session are stale.
 */
export async function browserSession(): Promise<string> {
  const items = await browser.storage.session.get(BROWSER_SESSION_KEY);
  const existing = items[BROWSER_SESSION_KEY];
  if (typeof existing === 'string' && existing) return existing;
  const id = encoding.randomId();
  await browser.storage.session.set({ [BROWSER_SESSION_KEY]: id });
  return id;
}

/** A reservation is live while its tab is open in this browser session. */
async function liveHolders(): Promise<(holder: ReservationHolder) => boolean> {
  const session = await browserSession();
  const open = new Set((await browser.tabs.query({})).map((tab) => tab.id));
  return (holder) => holder.session === session && open.has(holder.tabId);
}

/** `startBackground` with its parts exposed, so tests can pass their own service and reach it. */
export function wireBackground(options: BackgroundOptions = {}): VaultService {
  const service =
    options.service ??
    new VaultService({
      keyStore: sessionKeyStore,
      onUse: restartAutoLockTimer,
      onLock: stopAutoLockTimer,
      liveHolders,
    });
  const badge = new Badge({
    leftFor: async (url) => {
      if ((await service.status()) !== 'unlocked') return null;
      const accounts = await service.accountsForFill({ topUrl: url, frameUrl: url });
      return accounts.length === 0 ? null : accounts.reduce((n, a) => n + a.left, 0);
    },
  });
  const sync = new SyncEngine({
    vault: service,
    area: options.syncArea ?? browserSyncArea,
    // A backstop for the write timer: a stopped worker loses its timers, not its alarms.
    armAlarm: (when) => {
      if (when === null) void browser.alarms.clear(SYNC_ALARM);
      else browser.alarms.create(SYNC_ALARM, { when: Math.max(when, Date.now() + 30_000) });
    },
  });
  service.addChangeListener(() => {
    void sync.vaultChanged();
    badge.refresh();
    broadcastVaultChanged();
    options.resyncContentScripts?.();
    void scheduleReservationSweep();
  });
  const clipboard = new ClipboardClear({
    clear: systemClipboardClear(),
    canRead: clipboardReadGranted,
    delayMs: clipboardClearDelay,
    ...options.clipboard,
  });
  service.addLockListener(() => {
    sync.vaultLocked();
    broadcastVaultLocked();
    badge.refresh();
    void clipboard.clearNow();
  });
  const scheduleReservationSweep = async () => {
    const next = await service.nextReservationExpiry().catch(() => null);
    if (next === null) await browser.alarms.clear(RESERVATIONS_ALARM);
    else browser.alarms.create(RESERVATIONS_ALARM, { when: Math.max(next, Date.now() + 1000) });
  };

  const deps: OfferDeps = {
    tickets: new OfferTickets(),
    throttle: new FillThrottle(),
    command: commandFrame,
    injectOffer: injectOfferRuntime,
    browserSession,
    ...options.deps,
  };
  const self = extensionIdentity();
  const router = createRouter(self, {
    page: {
      ...pageHandlers(
        service,
        options.codec ?? backupCodec,
        { schedule: (code) => clipboard.schedule(code), origin: new URL(self.baseUrl).origin },
        options.releaseSites ?? releaseSitePermissions,
      ),
      ...syncHandlers(sync),
    },
    content: contentHandlers(service, deps),
    offer: offerHandlers(service, deps),
  });
  // Returning the promise is how both Firefox and the webextension polyfill send an async answer.
  browser.runtime.onMessage.addListener((message: unknown, sender) => router(message, sender));
  acceptVaultEventPorts();
  listenForAutoLock(() => service.lock());
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === CLIPBOARD_ALARM) void clipboard.resume();
    if (alarm.name === SYNC_ALARM) void sync.wake();
    if (alarm.name !== RESERVATIONS_ALARM) return;
    void service
      .sweepReservations()
      .catch((error: unknown) => console.error('Spare: reservation sweep', error));
  });
  browser.tabs.onRemoved.addListener((tabId) => {
    deps.tickets.dropTab(tabId);
    deps.throttle.dropTab(tabId);
    void service
      .releaseTab(tabId)
      .catch((error: unknown) => console.error('Spare: release on tab close', error));
  });
  browser.tabs.onUpdated.addListener((tabId, change) => {
    // A new top-level page (a frame loading inside the page does not change the tab's URL).
    if (change.status !== 'loading' || change.url === undefined) return;
    // A submit confirms its code just before the page goes: give that message time to land first.
    const at = new Date();
    setTimeout(() => {
      void service
        .releaseTabNavigated(tabId, at)
        .catch((error: unknown) => console.error('Spare: release on navigation', error));
    }, NAVIGATION_GRACE_MS);
  });
  badge.listen();
  // A tab already open on a site when it is enabled works without a reload.
  browser.permissions.onAdded.addListener(({ origins = [] }) => {
    void startInOpenTabs(origins).catch((error: unknown) =>
      console.error('Spare: start in open tabs', error),
    );
  });
  // Another device's write, delivered by the browser's sync engine (or this device's own, which is skipped).
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'sync') void sync.areaChanged(changes);
  });
  // A worker woken after a stop: push what the vault holds and the sync area lacks.
  void sync.wake();
  // On start-up (a browser start, or a service worker woken after a restart) catch up with what was missed.
  void service.sweepReservations().catch(() => undefined);
  // A worker stopped before a pending clipboard clear was due: do it now if overdue, else re-arm its timer.
  void clipboard.resume();
  return service;
}
