import { beforeEach, describe, expect, test, vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { wireBackground } from '../../src/background';
import { createBackupCodec } from '../../src/background/backup';
import { decryptBackup, parsePlain } from '../../src/core/backup';
import type { PageRequest, PageResponses } from '../../src/messaging';
import {
  EXTENSION_BASE,
  EXTENSION_ID,
  PASSWORD,
  cheapKdf,
  codes,
  fillTarget,
  newService,
  pageOf,
  resetEnvironment,
} from './support';

const popup = { id: EXTENSION_ID, url: `${EXTENSION_BASE}popup.html` } as Browser.runtime.MessageSender;

async function ask<R extends PageRequest>(request: R): Promise<PageResponses[R['type']]> {
  const [answer] = (await fakeBrowser.runtime.onMessage.trigger(request, popup)) as unknown as [
    { ok: true; value: PageResponses[R['type']] } | { ok: false; error: { code: string } },
  ];
  if (!answer.ok) throw Object.assign(new Error(answer.error.code), { code: answer.error.code });
  return answer.value;
}

async function refused(request: PageRequest): Promise<string> {
  try {
    await ask(request);
  } catch (error) {
    return (error as { code: string }).code;
  }
  throw new Error('expected the request to be refused');
}

let service: ReturnType<typeof newService>;
const USED_AT = '2026-11-20T10:00:00.000Z';
const USED_ON = 'https://www.instagram.com/accounts/login/two_factor/';

beforeEach(async () => {
  resetEnvironment();
  vi.spyOn(fakeBrowser.idle.onStateChanged, 'addListener').mockImplementation(() => undefined);
  service = newService({ now: () => new Date(USED_AT) });
  wireBackground({ service, codec: createBackupCodec(cheapKdf) });
  await service.create(PASSWORD);
  const insta = await service.addAccount({
    site: 'instagram.com',
    label: 'alice',
    note: 'phone',
    codes: codes(3),
  });
  // The page's query and fragment can carry tokens: neither storage nor an export may keep them.
  const page = fillTarget(1, `${USED_ON}?next=%2F&token=s3cr3t#frag`);
  const r = await service.reserveForFill(page, insta.id);
  await service.confirmForPage(pageOf(page), insta.id, r.codeId);
  await service.reserveForFill(fillTarget(2, USED_ON), insta.id); // reserved, never submitted: exported as not used
  await service.addAccount({ site: 'github.com', codes: [{ value: 'abcde-12345' }] });
});

const expectedPlain = {
  format: 'spare-plain',
  version: 1,
  accounts: [
    { site: 'github.com', codes: [{ code: 'abcde-12345', used: false }] },
    {
      site: 'instagram.com',
      label: 'alice',
      codes: [
        { code: '1000 0000', used: true, usedAt: USED_AT, usedOn: USED_ON },
        { code: '1000 0001', used: false },
        { code: '1000 0002', used: false },
      ],
      note: 'phone',
    },
  ],
};

describe('export', () => {
  test('the plain sheet needs the master password and is spare-plain v1', async () => {
    expect(await refused({ type: 'export-plain', password: 'wrong' })).toBe('wrong-password');
    const { json, accounts } = await ask({ type: 'export-plain', password: PASSWORD });
    expect(parsePlain(json)).toEqual(expectedPlain);
    expect(json).not.toMatch(/s3cr3t|frag|next=/);
    expect(accounts.map((a) => a.site)).toEqual(['github.com', 'instagram.com']);
  });

  test('the encrypted backup decrypts, with the master password, to the same plain JSON', async () => {
    expect(await refused({ type: 'export-backup', password: 'wrong' })).toBe('wrong-password');
    const { text, fileName } = await ask({ type: 'export-backup', password: PASSWORD });
    expect(fileName).toMatch(/^spare-backup-\d{4}-\d\d-\d\d\.spare$/);
    expect(text).not.toContain('instagram');
    expect(await decryptBackup(text, PASSWORD)).toEqual(expectedPlain);
  });

  test('nothing is exported while locked', async () => {
    await service.lock();
    expect(await refused({ type: 'export-plain', password: PASSWORD })).toBe('vault-locked');
  });
});

describe('restore and import', () => {
  test('replace: the vault becomes exactly the backup', async () => {
    const { text } = await ask({ type: 'export-backup', password: PASSWORD });
    await service.addAccount({ site: 'discord.com', codes: codes(2, 50) });
    const result = await ask({ type: 'restore-backup', text, password: PASSWORD, mode: 'replace' });
    expect(result).toEqual({ accountsAdded: 2, accountsUpdated: 0, codesAdded: 4 });
    const { json } = await ask({ type: 'export-plain', password: PASSWORD });
    expect(parsePlain(json)).toEqual(expectedPlain);
  });

  test('merge: known codes are kept as they are, new codes and accounts are added', async () => {
    const plain = {
      format: 'spare-plain',
      version: 1,
      accounts: [
        {
          site: 'instagram.com',
          label: 'alice',
          codes: [
            { code: '10000001', used: true },
            { code: '9999 9999', used: false },
          ],
        },
        { site: 'discord.com', codes: [{ code: 'aaaa-bbbb', used: false }] },
      ],
    };
    const result = await ask({ type: 'import-plain', text: JSON.stringify(plain), mode: 'merge' });
    expect(result).toEqual({ accountsAdded: 1, accountsUpdated: 1, codesAdded: 2 });
    const list = await ask({ type: 'list-accounts' });
    expect(list.map((a) => [a.site, a.left, a.total])).toEqual([
      ['discord.com', 1, 1],
      ['github.com', 1, 1],
      ['instagram.com', 3, 4],
    ]);
    // Merging the same file again adds nothing.
    expect(await ask({ type: 'import-plain', text: JSON.stringify(plain), mode: 'merge' })).toEqual({
      accountsAdded: 0,
      accountsUpdated: 0,
      codesAdded: 0,
    });
  });

  test('a bad file, a wrong password or an invalid site changes nothing', async () => {
    const before = await ask({ type: 'export-plain', password: PASSWORD });
    const { text } = await ask({ type: 'export-backup', password: PASSWORD });
    expect(await refused({ type: 'restore-backup', text, password: 'nope', mode: 'replace' })).toBe(
      'wrong-password',
    );
    expect(
      await refused({ type: 'restore-backup', text: text.slice(0, 40), password: PASSWORD, mode: 'replace' }),
    ).toMatch(/^backup-/);
    expect(await refused({ type: 'import-plain', text: '{"format":"spare-plain"}', mode: 'replace' })).toBe(
      'plain-invalid',
    );
    const badSite = {
      format: 'spare-plain',
      version: 1,
      accounts: [
        { site: 'discord.com', codes: [{ code: '1', used: false }] },
        { site: 'https://not a domain', codes: [{ code: '2', used: false }] },
      ],
    };
    expect(await refused({ type: 'import-plain', text: JSON.stringify(badSite), mode: 'replace' })).toBe(
      'invalid-input',
    );
    expect(await ask({ type: 'export-plain', password: PASSWORD })).toEqual(before);
  });
});
