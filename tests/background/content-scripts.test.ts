import { beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  CONTENT_SCRIPT_ID,
  isServableOrigin,
  syncContentScripts,
} from '../../src/background/content-scripts';
import { releaseSitePermissions } from '../../src/background/page-access';

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

  test('while unlocked, only granted sites that have an account get the script; while locked, every one', async () => {
    granted(['http://localhost/*', 'http://127.0.0.1/*', 'https://github.com/*', 'https://*.github.com/*']);
    scripting.getRegisteredContentScripts.mockResolvedValue([]);
    expect(await syncContentScripts(['localhost', 'github.com'])).toEqual([
      'http://localhost/*',
      'https://*.github.com/*',
      'https://github.com/*',
    ]);
    expect(await syncContentScripts(null)).toEqual([
      'http://127.0.0.1/*',
      'http://localhost/*',
      'https://*.github.com/*',
      'https://github.com/*',
    ]);
  });

  test('leaves a registration that already matches alone', async () => {
    granted(['https://github.com/*']);
    scripting.getRegisteredContentScripts.mockResolvedValue([
      { id: CONTENT_SCRIPT_ID, matches: ['https://github.com/*'] },
    ]);
    await syncContentScripts();
    expect(scripting.updateContentScripts).not.toHaveBeenCalled();
    expect(scripting.registerContentScripts).not.toHaveBeenCalled();
  });

  test('unregisters when the last site permission is gone', async () => {
    granted([]);
    scripting.getRegisteredContentScripts.mockResolvedValue([{ id: CONTENT_SCRIPT_ID }]);
    expect(await syncContentScripts()).toEqual([]);
    expect(scripting.unregisterContentScripts).toHaveBeenCalledWith({ ids: [CONTENT_SCRIPT_ID] });
  });
});

describe('releaseSitePermissions', () => {
  // A stateful stand-in for `permissions` (granted origins; remove takes them away) and `scripting`.
  let granted: Set<string>;
  const scripting = {
    getRegisteredContentScripts: vi.fn(),
    registerContentScripts: vi.fn(),
    updateContentScripts: vi.fn(),
    unregisterContentScripts: vi.fn(),
  };

  function browserWith(origins: string[], required: string[] = []) {
    granted = new Set(origins);
    vi.spyOn(fakeBrowser.runtime, 'getManifest').mockReturnValue({
      manifest_version: 3,
      name: 'Spare',
      version: '0.0.0',
      host_permissions: required,
      optional_host_permissions: ['https://*/*', 'http://*/*'],
    });
    vi.spyOn(fakeBrowser.permissions, 'getAll').mockImplementation(async () => ({
      origins: [...granted],
      permissions: [],
    }));
    return vi.spyOn(fakeBrowser.permissions, 'remove').mockImplementation(async ({ origins = [] }) => {
      for (const origin of origins) {
        // Chrome refuses to remove a required origin: the whole call fails.
        if (required.includes(origin)) throw new Error(`You cannot remove required permissions.`);
      }
      origins.forEach((o) => granted.delete(o));
      return true;
    });
  }

  beforeEach(() => {
    fakeBrowser.reset();
    vi.restoreAllMocks();
    Object.values(scripting).forEach((fn) => fn.mockReset());
    Object.assign(fakeBrowser, { scripting });
    scripting.getRegisteredContentScripts.mockResolvedValue([{ id: CONTENT_SCRIPT_ID }]);
  });

  test("removes the site's optional origins and nothing of other sites", async () => {
    const remove = browserWith([
      'https://instagram.com/*',
      'https://*.instagram.com/*',
      'https://github.com/*',
      'https://*.github.com/*',
    ]);
    await releaseSitePermissions(['instagram.com']);
    expect(remove).toHaveBeenCalledTimes(1);
    expect(remove.mock.calls[0]![0].origins!.sort()).toEqual([
      'https://*.instagram.com/*',
      'https://instagram.com/*',
    ]);
    expect([...granted].sort()).toEqual(['https://*.github.com/*', 'https://github.com/*']);
    // The content script now runs on the remaining site only.
    expect(await syncContentScripts()).toEqual(['https://*.github.com/*', 'https://github.com/*']);
    expect(scripting.unregisterContentScripts).not.toHaveBeenCalled();
  });

  test("never removes the manifest's required origins (the e2e build's localhost)", async () => {
    const remove = browserWith(
      ['http://localhost/*', 'http://127.0.0.1/*', 'https://instagram.com/*', 'https://*.instagram.com/*'],
      ['http://localhost/*', 'http://127.0.0.1/*'],
    );
    await releaseSitePermissions(['localhost', '127.0.0.1', 'instagram.com']);
    expect(remove.mock.calls.flatMap(([p]) => p.origins ?? []).sort()).toEqual([
      'https://*.instagram.com/*',
      'https://instagram.com/*',
    ]);
    expect([...granted].sort()).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
  });

  test('asks for nothing when the site holds no permission, or no site is given', async () => {
    const remove = browserWith(['https://github.com/*', 'https://*.github.com/*']);
    await releaseSitePermissions(['instagram.com']);
    await releaseSitePermissions([]);
    expect(remove).not.toHaveBeenCalled();
  });

  test('after the last site is released, syncContentScripts unregisters the script', async () => {
    browserWith(['https://instagram.com/*', 'https://*.instagram.com/*']);
    expect(await syncContentScripts()).toEqual(['https://*.instagram.com/*', 'https://instagram.com/*']);
    await releaseSitePermissions(['instagram.com']);
    expect(granted.size).toBe(0);
    expect(await syncContentScripts()).toEqual([]);
    expect(scripting.unregisterContentScripts).toHaveBeenCalledWith({ ids: [CONTENT_SCRIPT_ID] });
  });
});
