/**
 * The background's composition root. `entrypoints/background.ts` calls `startBackground()` once, at the top
 * level of `main()`, so that every listener is registered synchronously on each service-worker start.
 */
import { browser } from 'wxt/browser';
import { broadcastVaultLocked, createRouter, type ExtensionIdentity } from '../messaging';
import { listenForAutoLock, restartAutoLockTimer, stopAutoLockTimer } from './auto-lock';
import { backupCodec } from './backup';
import { contentHandlers, pageHandlers, type BackupCodec } from './handlers';
import { sessionKeyStore } from './session-key';
import { VaultService } from './vault-service';

export { VaultService } from './vault-service';

export interface BackgroundOptions {
  service?: VaultService;
  codec?: BackupCodec;
}

export function extensionIdentity(): ExtensionIdentity {
  return { id: browser.runtime.id, baseUrl: browser.runtime.getURL('/') };
}

/** Wires the vault service to messages, auto-lock and tab closing. */
export function startBackground(): void {
  wireBackground();
}

/** `startBackground` with its parts exposed, so tests can pass their own service and reach it. */
export function wireBackground(options: BackgroundOptions = {}): VaultService {
  const service =
    options.service ??
    new VaultService({
      keyStore: sessionKeyStore,
      onUse: restartAutoLockTimer,
      onLock: () => {
        stopAutoLockTimer();
        broadcastVaultLocked();
      },
    });
  const self = extensionIdentity();
  const router = createRouter(self, {
    page: pageHandlers(service, options.codec ?? backupCodec, self),
    content: contentHandlers(service),
  });
  // Returning the promise is how both Firefox and the webextension polyfill send an async answer.
  browser.runtime.onMessage.addListener((message: unknown, sender) => router(message, sender));
  listenForAutoLock(() => service.lock());
  browser.tabs.onRemoved.addListener((tabId) => {
    void service
      .releaseTab(tabId)
      .catch((error: unknown) => console.error('Spare: release on tab close', error));
  });
  return service;
}
