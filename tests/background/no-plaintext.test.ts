/**
 * Design §3: nothing plaintext at rest. After real use, no code, site, label, note, page or password may be
 * found in IndexedDB or in extension storage, in any common encoding.
 */
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { wireBackground } from '../../src/background';
import { createBackupCodec } from '../../src/background/backup';
import { encoding } from '../../src/core/crypto';
import {
  EXTENSION_BASE,
  EXTENSION_ID,
  PASSWORD,
  cheapKdf,
  codes,
  dumpDatabase,
  newService,
  resetEnvironment,
} from './support';
import type { Browser } from 'wxt/browser';

const NEW_PASSWORD = 'tr0ub4dor & 3, but longer';
const LOGIN = 'https://www.instagram.com/accounts/login/two_factor/';

const utf16le = (s: string) => {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    out[2 * i] = s.charCodeAt(i) & 0xff;
    out[2 * i + 1] = s.charCodeAt(i) >> 8;
  }
  return out;
};
const utf16be = (s: string) => {
  const le = utf16le(s);
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
};
const hex = (b: Uint8Array) => encoding.toHex(b);

/**
 * The base64 characters that depend only on `bytes`, for each of the three alignments it can have inside a
 * longer base64 string: a substring search finds the bytes wherever they sit.
 */
function base64Cores(bytes: Uint8Array): string[] {
  const cores: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const framed = new Uint8Array(pad + bytes.length);
    framed.set(bytes, pad);
    const text = encoding.toBase64(framed);
    const first = Math.ceil((8 * pad) / 6);
    const last = Math.floor((8 * (pad + bytes.length) - 6) / 6);
    const core = text.slice(first, last + 1);
    cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return cores;
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function collect(value: unknown, strings: string[], blobs: Uint8Array[]): void {
  if (typeof value === 'string') {
    strings.push(value);
    blobs.push(encoding.utf8(value));
    try {
      blobs.push(encoding.fromBase64(value)); // a base64 blob is searched as the bytes it holds too
    } catch {
      // not base64
    }
  } else if (value instanceof Uint8Array) blobs.push(value);
  else if (value instanceof ArrayBuffer) blobs.push(new Uint8Array(value));
  else if (Array.isArray(value)) value.forEach((v) => collect(v, strings, blobs));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      strings.push(key);
      collect(v, strings, blobs);
    }
  }
}

/** Every secret found in `dump`, with the encoding it was found in. */
function findLeaks(dump: unknown, secrets: string[]): string[] {
  const strings: string[] = [];
  const blobs: Uint8Array[] = [];
  collect(dump, strings, blobs);
  const text = strings.join('\n');
  const lower = text.toLowerCase();
  const leaks: string[] = [];
  for (const secret of secrets) {
    const forms: [string, Uint8Array][] = [
      ['utf8', encoding.utf8(secret)],
      ['utf16le', utf16le(secret)],
      ['utf16be', utf16be(secret)],
    ];
    if (lower.includes(secret.toLowerCase())) leaks.push(`${secret} as text`);
    for (const [name, bytes] of forms) {
      if (blobs.some((b) => indexOfBytes(b, bytes) >= 0)) leaks.push(`${secret} as ${name} bytes`);
      if (lower.includes(hex(bytes))) leaks.push(`${secret} as ${name} hex`);
      if (base64Cores(bytes).some((core) => text.includes(core))) leaks.push(`${secret} as ${name} base64`);
    }
  }
  return leaks;
}

beforeEach(resetEnvironment);

describe('the leak detector itself', () => {
  const secret = '1234 5678';
  test.each<[string, unknown]>([
    ['plain text inside a record', { note: `codes: ${secret}.` }],
    ['utf8 bytes', { blob: encoding.utf8(`..${secret}..`) }],
    ['utf16 bytes', [new Uint8Array([0, ...utf16le(secret), 0])]],
    ['hex', `ff${hex(encoding.utf8(secret))}00`],
    ['base64 at offset 1', encoding.toBase64(encoding.utf8(`x${secret}yz`))],
    ['base64 at offset 2', { k: encoding.toBase64(encoding.utf8(`xy${secret}`)) }],
    ['base64 of utf16', encoding.toBase64(utf16le(`a${secret}`))],
  ])('finds a secret planted as %s', (_, dump) => {
    expect(findLeaks(dump, [secret])).not.toEqual([]);
  });
});

test(
  'after real use, no code, site, label, note, page or password is stored in any encoding',
  { timeout: 30_000 },
  async () => {
    vi.spyOn(fakeBrowser.idle.onStateChanged, 'addListener').mockImplementation(() => undefined);
    const service = newService();
    wireBackground({ service, codec: createBackupCodec(cheapKdf) });
    await service.create(PASSWORD);
    // With sync on (issue 11): storage.sync gets the sealed records and the header, and must leak nothing either.
    const popup = { id: EXTENSION_ID, url: `${EXTENSION_BASE}popup.html` } as Browser.runtime.MessageSender;
    const [enabled] = (await fakeBrowser.runtime.onMessage.trigger(
      { type: 'sync-enable' },
      popup,
    )) as unknown as [{ ok: boolean }];
    expect(enabled).toMatchObject({ ok: true });
    const insta = await service.addAccount({
      site: 'instagram.com',
      label: 'alice.liddell',
      note: 'recovery phone in drawer',
      codes: codes(10),
    });
    const github = await service.addAccount({
      site: 'github.com',
      codes: [{ value: 'b7c2e-9f4a1' }, { value: 'a1d3f-77e0c' }],
    });
    const sender = { tabId: 3, frameId: 0, topUrl: LOGIN, frameUrl: LOGIN };
    const r = await service.reserveForFill({ ...sender, session: 'browser-session' }, insta.id);
    await service.confirmForPage(sender, r.accountId, r.codeId);
    await service.reserveForFill({ ...sender, session: 'browser-session' }, insta.id); // left reserved
    await service.markCode(github.id, github.codes[0]!.id, true);
    await service.updateSettings({ autoLockMinutes: 60 });
    await service.changePassword(PASSWORD, NEW_PASSWORD);
    await service.lock();
    await service.unlock(NEW_PASSWORD);
    await service.restore(
      [{ site: 'discord.com', label: 'ally-from-work', codes: [{ value: 'qz8k-1m3x' }] }],
      'merge',
    );

    const secrets = [
      PASSWORD,
      NEW_PASSWORD,
      'instagram',
      'github.com',
      'discord',
      'alice.liddell',
      'recovery phone',
      'ally-from-work',
      LOGIN,
      '/accounts/login',
      ...insta.codes.flatMap((c) => [c.value, c.value.replace(/\s/g, '')]),
      ...github.codes.flatMap((c) => [c.value, c.value.replace(/-/g, '')]),
      'qz8k-1m3x',
    ];

    // The sync write goes out after its debounce (2 s after the last change).
    await vi.waitFor(
      async () => expect(Object.keys(await browser.storage.sync.get(null)).length).toBeGreaterThan(3),
      { timeout: 15_000, interval: 250 },
    );
    const idb = await dumpDatabase('spare');
    expect(Object.keys(idb).sort()).toEqual(['accounts', 'meta']);
    expect(idb['accounts']).toHaveLength(2 * 3); // keys then values: three accounts
    const storage = {
      session: await browser.storage.session.get(null),
      local: await browser.storage.local.get(null),
      sync: await browser.storage.sync.get(null),
    };
    // storage.session holds the data key and nothing else.
    expect(Object.keys(storage.session)).toEqual(['spare.dataKey']);
    expect(findLeaks({ idb, storage }, secrets)).toEqual([]);

    // Locking leaves nothing secret in storage.session at all.
    await service.lock();
    expect(await browser.storage.session.get(null)).toEqual({});
  },
);
