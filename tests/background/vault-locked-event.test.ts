import { beforeEach, describe, expect, test, vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { broadcastVaultLocked, onVaultLocked } from '../../src/messaging';

describe('the vault-locked event from the background to extension pages', () => {
  beforeEach(() => fakeBrowser.reset());

  const deliver = (message: unknown, sender: Partial<Browser.runtime.MessageSender>) =>
    fakeBrowser.runtime.onMessage.trigger(message, sender as Browser.runtime.MessageSender);

  test('is sent with nothing but its type', () => {
    const send = vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockResolvedValue(undefined);
    broadcastVaultLocked();
    expect(send).toHaveBeenCalledWith({ type: 'background:vault-locked' });
  });

  test('reaches a listener only from the extension itself, never from a content script', async () => {
    const listener = vi.fn();
    const stop = onVaultLocked(listener);
    const self = fakeBrowser.runtime.id;
    await deliver({ type: 'background:vault-locked' }, { id: self, tab: { id: 3 } as never });
    await deliver({ type: 'background:vault-locked' }, { id: 'another-extension' });
    await deliver({ type: 'status' }, { id: self });
    expect(listener).not.toHaveBeenCalled();
    await deliver({ type: 'background:vault-locked' }, { id: self });
    expect(listener).toHaveBeenCalledTimes(1);
    stop();
    await deliver({ type: 'background:vault-locked' }, { id: self });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  test('never answers a message, so it cannot take a request meant for the background', async () => {
    onVaultLocked(() => undefined);
    expect(await deliver({ type: 'status' }, { id: fakeBrowser.runtime.id })).toEqual([undefined]);
  });
});
