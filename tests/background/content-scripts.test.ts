import { beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  CONTENT_SCRIPT_ID,
  isServableOrigin,
  syncContentScripts,
} from '../../src/background/content-scripts';

describe('which granted origins get the content script', () => {
  test.each([
    'https://www.instagram.com/*',
    'https://*.github.com/*',
    'http://localhost/*',
    'http://127.0.0.1/*',
    'http://192.168.1.1/*',
    'http://[::1]/*',
  ])('serves %s', (pattern) => expect(isServableOrigin(pattern)).toBe(true));

  test.each([
    'http://example.com/*',
    'http://*/*',
    'http://*.localhost.example/*',
    'ftp://x/*',
    '<all_urls>',
  ])('never serves %s (plain http only for localhost and IP addresses)', (pattern) =>
    expect(isServableOrigin(pattern)).toBe(false),
  );
});

describe('syncContentScripts', () => {
  // The fake browser has no `scripting`: stand in for the three calls the sync makes.
  const scripting = {
    getRegisteredContentScripts: vi.fn(),
    registerContentScripts: vi.fn(),
    updateContentScripts: vi.fn(),
    unregisterContentScripts: vi.fn(),
  };
  const granted = (origins: string[]) =>
    vi.spyOn(fakeBrowser.permissions, 'getAll').mockResolvedValue({ origins, permissions: [] });

  beforeEach(() => {
    fakeBrowser.reset();
    Object.values(scripting).forEach((fn) => fn.mockReset());
    Object.assign(fakeBrowser, { scripting });
  });

  test('registers one script for exactly the servable granted origins', async () => {
    granted(['https://www.instagram.com/*', 'http://example.com/*', 'http://localhost/*']);
    scripting.getRegisteredContentScripts.mockResolvedValue([]);
    expect(await syncContentScripts()).toEqual(['http://localhost/*', 'https://www.instagram.com/*']);
    expect(scripting.registerContentScripts).toHaveBeenCalledWith([
      expect.objectContaining({
        id: CONTENT_SCRIPT_ID,
        matches: ['http://localhost/*', 'https://www.instagram.com/*'],
        allFrames: true,
      }),
    ]);
  });

  test('updates an existing registration instead of registering twice', async () => {
    granted(['https://github.com/*']);
    scripting.getRegisteredContentScripts.mockResolvedValue([{ id: CONTENT_SCRIPT_ID }]);
    await syncContentScripts();
    expect(scripting.registerContentScripts).not.toHaveBeenCalled();
    expect(scripting.updateContentScripts).toHaveBeenCalledWith([
      expect.objectContaining({ matches: ['https://github.com/*'] }),
    ]);
  });

  test('unregisters when the last site permission is gone', async () => {
    granted([]);
    scripting.getRegisteredContentScripts.mockResolvedValue([{ id: CONTENT_SCRIPT_ID }]);
    expect(await syncContentScripts()).toEqual([]);
    expect(scripting.unregisterContentScripts).toHaveBeenCalledWith({ ids: [CONTENT_SCRIPT_ID] });
  });
});
