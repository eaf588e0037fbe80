/**
 * Issue 10 §2, Settings → "Import from a password manager", with the real reader and the export fixtures:
 * the preview (one row per account, ticked by default, the product named), the choices (untick, type a missing
 * website, merge into or skip an account already in Spare), what Import sends (the existing messages, the
 * ticked accounts' site, name and codes only, after asking for host access in the same click), the refusals
 * shown at the file field, and the reader loading only when a file is chosen.
 */
import { readFileSync } from 'node:fs';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { DISCARDED } from '../../fixtures/exports/fake-vault';
import { SpareError } from '../../../src/core/errors';
import type { PageRequest } from '../../../src/messaging';
import type { Account, AccountSummary } from '../../../src/core/vault/model';
import { alerts, button, byId, mountPopup, squash, type, unmountPopup, until } from './support';

const loads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../src/core/import', async (importOriginal) => {
  loads.count++;
  return importOriginal();
});

afterEach(unmountPopup);

/** Design §1 story 9: after an import, the codes should leave the password manager (two factors, not one). */
const DELETE_THERE =
  ' Now delete these codes from your password manager: kept next to the passwords they protect, they turn two factors into one.';
const fixture = (name: string) => new Uint8Array(readFileSync(`tests/fixtures/exports/${name}`));

function account(site: string, label: string | undefined, codes: { value: string }[]): Account {
  return {
    id: `id-${site}`,
    site,
    ...(label ? { label } : {}),
    codes: codes.map((code, i) => ({ id: `c${i}`, value: code.value, state: 'unused', history: [] })),
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };
}

const summaryOf = (site: string, label: string): AccountSummary => ({
  id: 'known-github',
  site,
  label,
  left: 3,
  total: 3,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

/** The popup on Settings with the import section open; `existing` is what `list-accounts` answers. */
async function openImport(
  existing: AccountSummary[] = [],
  {
    listed = Promise.resolve(),
    grant = true,
    failSites = [],
  }: { listed?: Promise<unknown>; grant?: boolean; failSites?: string[] } = {},
) {
  const calls: string[] = [];
  const mounted = mountPopup('unlocked', (request: PageRequest) => {
    calls.push(request.type);
    if (request.type === 'list-accounts') return listed.then(() => existing);
    if (request.type === 'add-account') {
      if (failSites.includes(request.account.site)) throw new SpareError('storage-failed', 'disk full');
      return account(request.account.site, request.account.label, request.account.codes);
    }
    if (request.type === 'add-codes')
      return { account: account('github.com', 'x', []), added: request.codes.length - 1 };
    return undefined;
  });
  const origins: string[][] = [];
  mounted.app.platform.requestOrigins = async (asked) => {
    // Asked in the click, before any request of the import was sent.
    calls.push('requestOrigins');
    origins.push(asked);
    return grant;
  };
  await until(() => mounted.app.screen.name === 'main', 'the list');
  mounted.app.go({ name: 'settings' });
  await until(() => byId('pmimport-title'), 'settings');
  byId('pmimport-title')!.click();
  const file = await until(() => byId('pm-file'), 'the import section');
  return { ...mounted, file, calls, origins };
}

function choose(input: HTMLInputElement, name: string, bytes: Uint8Array<ArrayBuffer>, size?: number): File {
  const file = new File([bytes], name);
  if (size !== undefined) Object.defineProperty(file, 'size', { value: size });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  input.dispatchEvent(new Event('change', { bubbles: true }));
  flushSync();
  return file;
}

const rowsOf = (root: ParentNode) =>
  Array.from(root.querySelectorAll('.rows li'), (li) => {
    const box = li.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
    return {
      name: squash(box.labels?.[0]?.textContent),
      checked: box.checked,
      text: squash(li.textContent),
      box,
    };
  });

const status = (root: ParentNode) => squash(root.querySelector('form [role="status"]')?.textContent);

describe('the preview', () => {
  test('a Bitwarden export: the product named, one row per account, new ones ticked, no site unticked', async () => {
    const { root, file } = await openImport();
    expect(loads.count).toBe(0);
    choose(file, 'bitwarden_export_20260302.json', fixture('bitwarden.json'));
    await until(() => status(root).startsWith('Bitwarden export'), 'the summary');
    // The reader (and its zip library) loaded only now; the module is cached for the rest of this file.
    expect(loads.count).toBe(1);
    expect(status(root)).toBe('Bitwarden export: 5 items read, 3 accounts with backup codes.');
    const rows = rowsOf(root);
    expect(rows.map(({ name, checked }) => [name, checked])).toEqual([
      ['alice@example.com on github.com', true],
      ['alice@gmail.com on google.com', true],
      ['Old forum', false],
    ]);
    expect(rows[0]!.text).toContain('Item: GitHub · 16 codes, 1 used');
    expect(rows[1]!.text).toContain('Item: Google · 10 codes');
    expect(rows[1]!.text).not.toContain('used');
    // The item without a website asks for one, tied to its field.
    const website = byId('pm-site-2')!;
    expect(website.labels?.[0]?.textContent).toBe('Website for Old forum');
    expect(byId(website.getAttribute('aria-describedby')!)?.textContent).toMatch(/names no website/);
    // Each row's details are read with its checkbox.
    expect(byId(rows[0]!.box.getAttribute('aria-describedby')!)?.textContent).toContain('16 codes, 1 used');
  });

  test('a 1Password .1pux (a zip) reads the same accounts', async () => {
    const { root, file } = await openImport();
    choose(file, 'export.1pux', fixture('onepassword.1pux'));
    await until(() => status(root).startsWith('1Password export'), 'the summary');
    expect(rowsOf(root).map((row) => row.name)).toEqual([
      'alice@example.com on github.com',
      'alice@gmail.com on google.com',
      'Old forum',
    ]);
  });
});

describe('Import', () => {
  test('sends only the ticked accounts, with a typed website, after asking for their sites in the click', async () => {
    const { root, file, requests, calls, origins, app } = await openImport();
    choose(file, 'bitwarden.json', fixture('bitwarden.json'));
    await until(() => rowsOf(root).length === 3, 'the rows');
    rowsOf(root)[1]!.box.click(); // untick Google
    type(byId('pm-site-2')!, 'https://www.oldforum.net/login');
    flushSync();
    expect(rowsOf(root)[2]!).toMatchObject({ name: 'bob_the_builder on oldforum.net', checked: true });

    const before = calls.length;
    button(root, 'Import')!.click();
    await until(() => app.screen.name === 'main', 'back on the list');
    expect(calls.slice(before, before + 3)).toEqual(['requestOrigins', 'add-account', 'add-account']);
    expect(origins[0]).toEqual(expect.arrayContaining(['https://github.com/*', 'https://oldforum.net/*']));
    expect(origins[0]!.some((origin) => origin.includes('google'))).toBe(false);

    const sent = requests.filter((r) => r.type === 'add-account' || r.type === 'add-codes');
    expect(sent).toHaveLength(2);
    const [github, forum] = sent.map((r) => (r.type === 'add-account' ? r.account : null));
    expect(github).toMatchObject({ site: 'github.com', label: 'alice@example.com' });
    expect(github!.codes).toHaveLength(16);
    expect(github!.codes.filter((code) => code.used)).toEqual([{ value: '0c9a4-d27b1', used: true }]);
    expect(forum).toEqual({
      site: 'oldforum.net',
      label: 'bob_the_builder',
      codes: ['31740958', '82615093', '47092816', '90358172', '15827364'].map((value) => ({ value })),
    });
    // Nothing of what the export must lose travels: no password, TOTP secret, other field or note.
    const wire = JSON.stringify(requests);
    expect(DISCARDED.filter((secret) => wire.includes(secret))).toEqual([]);
    expect(app.notice?.text).toBe(`Imported 2 accounts (21 codes).${DELETE_THERE}`);
  });

  test('an account already in Spare is skipped by default; ticked, its new codes are merged into it', async () => {
    const known = summaryOf('github.com', 'ALICE@example.com');
    const { root, file, requests, app } = await openImport([known]);
    choose(file, 'bitwarden.json', fixture('bitwarden.json'));
    await until(() => rowsOf(root).length === 3, 'the rows');
    const github = rowsOf(root)[0]!;
    expect(github).toMatchObject({ name: 'Merge into alice@example.com on github.com', checked: false });
    expect(github.text).toContain('Already in Spare: skipped unless you tick it.');
    expect(github.box.getAttribute('aria-describedby')).toBe('pm-row-0-info pm-row-0-same');

    github.box.click();
    button(root, 'Import')!.click();
    await until(() => app.screen.name === 'main', 'back on the list');
    const merge = requests.find((r) => r.type === 'add-codes');
    expect(merge).toMatchObject({ type: 'add-codes', accountId: 'known-github' });
    expect(merge?.type === 'add-codes' && merge.codes).toHaveLength(16);
    expect(
      requests.filter((r) => r.type === 'add-account').map((r) => r.type === 'add-account' && r.account.site),
    ).toEqual(['google.com']);
    // The merge added 15 new codes (the fake vault answers one fewer than sent), Google 10.
    expect(app.notice?.text).toBe(`Imported 2 accounts (25 codes).${DELETE_THERE}`);
  });

  test("a file read before the vault's accounts arrived still starts a known account as skipped", async () => {
    let answerList!: () => void;
    const listed = new Promise<void>((resolve) => (answerList = resolve));
    const { root, file } = await openImport([summaryOf('github.com', 'alice@example.com')], { listed });
    choose(file, 'bitwarden.json', fixture('bitwarden.json'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    answerList();
    await until(() => rowsOf(root).length === 3, 'the rows');
    expect(rowsOf(root)[0]).toMatchObject({
      name: 'Merge into alice@example.com on github.com',
      checked: false,
    });
  });

  test('skipping the known account sends nothing for it', async () => {
    const { root, file, requests, app } = await openImport([summaryOf('github.com', 'alice@example.com')]);
    choose(file, 'bitwarden.json', fixture('bitwarden.json'));
    await until(() => rowsOf(root).length === 3, 'the rows');
    button(root, 'Import')!.click();
    await until(() => app.screen.name === 'main', 'back on the list');
    expect(requests.some((r) => r.type === 'add-codes')).toBe(false);
    expect(app.notice?.text).toBe(`Imported 1 account (10 codes).${DELETE_THERE}`);
  });

  test('an account that could not be saved is named in the notice; the others are imported', async () => {
    const { root, file, app } = await openImport([], { failSites: ['google.com'] });
    choose(file, 'bitwarden.json', fixture('bitwarden.json'));
    await until(() => rowsOf(root).length === 3, 'the rows');
    button(root, 'Import')!.click();
    await until(() => app.screen.name === 'main', 'back on the list');
    expect(app.notice).toMatchObject({
      kind: 'warning',
      text: `Imported 1 account (16 codes).${DELETE_THERE} 1 account could not be saved: Spare could not save or read its data. Nothing was changed.`,
    });
  });

  test('when nothing could be saved, the popup stays with the reason', async () => {
    const { root, file, app } = await openImport([], { failSites: ['github.com', 'google.com'] });
    choose(file, 'bitwarden.json', fixture('bitwarden.json'));
    await until(() => rowsOf(root).length === 3, 'the rows');
    button(root, 'Import')!.click();
    await until(() => alerts(root).length > 0, 'the reason');
    expect(alerts(root)).toEqual(['Spare could not save or read its data. Nothing was changed.']);
    expect(app.screen.name).toBe('settings');
    expect(button(root, 'Import')!.disabled).toBe(false);
  });

  test('without host access granted, the notice says so and offers to ask again', async () => {
    const { root, file, app } = await openImport([], { grant: false });
    choose(file, 'bitwarden.json', fixture('bitwarden.json'));
    await until(() => rowsOf(root).length === 3, 'the rows');
    button(root, 'Import')!.click();
    await until(() => app.notice?.kind === 'warning', 'the access notice');
    expect(app.notice).toMatchObject({
      text: `Imported 2 accounts (26 codes).${DELETE_THERE} Spare has no access to these sites yet.`,
      action: { label: 'Grant', ariaLabel: 'Grant Spare access to the imported sites' },
    });
  });

  test('a ticked item without a website is refused at its field until one is typed', async () => {
    const { root, file, requests, app } = await openImport();
    choose(file, 'bitwarden.json', fixture('bitwarden.json'));
    await until(() => rowsOf(root).length === 3, 'the rows');
    rowsOf(root)[2]!.box.click();
    button(root, 'Import')!.click();
    const website = byId('pm-site-2')!;
    await until(() => document.activeElement === website, 'focus on the website');
    expect(alerts(root)).toEqual(['Type the website for Old forum, or untick it.']);
    expect(website.getAttribute('aria-invalid')).toBe('true');
    expect(website.getAttribute('aria-describedby')).toBe('pm-site-2-error');
    expect(requests.some((r) => r.type === 'add-account')).toBe(false);
    expect(app.screen.name).toBe('settings');

    type(website, 'oldforum.net');
    expect(alerts(root)).toEqual([]);
    expect(website.hasAttribute('aria-invalid')).toBe(false);
  });

  test('nothing ticked: says so and sends nothing', async () => {
    const { root, file, requests } = await openImport();
    choose(file, 'bitwarden.json', fixture('bitwarden.json'));
    await until(() => rowsOf(root).length === 3, 'the rows');
    for (const row of rowsOf(root)) if (row.checked) row.box.click();
    button(root, 'Import')!.click();
    flushSync();
    expect(alerts(root)).toEqual(['Tick at least one account to import.']);
    expect(requests.some((r) => r.type === 'add-account')).toBe(false);
  });
});

describe('bad input', () => {
  const bitwarden = JSON.parse(readFileSync('tests/fixtures/exports/bitwarden.json', 'utf8')) as {
    items: { name: string }[];
  };
  const noCodes = new TextEncoder().encode(
    JSON.stringify({ ...bitwarden, items: bitwarden.items.filter((item) => item.name === 'Dropbox') }),
  );
  const onePux = fixture('onepassword.1pux');

  test.each([
    [
      'an encrypted export',
      'bitwarden-encrypted-password.json',
      fixture('bitwarden-encrypted-password.json'),
      /^This export is encrypted/,
    ],
    [
      'an account-encrypted export',
      'x.json',
      fixture('bitwarden-encrypted-account.json'),
      /^This export is encrypted/,
    ],
    [
      'a file of another kind',
      'notes.txt',
      new TextEncoder().encode('my todo list\nbuy milk'),
      /^Spare does not recognise this file/,
    ],
    [
      'a cut-short zip',
      'export.1pux',
      onePux.slice(0, Math.floor(onePux.length / 2)),
      /^This export is damaged or cut short/,
    ],
    ['an export with no codes', 'bitwarden.json', noCodes, /^This Bitwarden export holds no backup codes/],
  ])('%s: one sentence at the file field, nothing to import', async (_what, name, bytes, sentence) => {
    const { root, file, requests } = await openImport();
    choose(file, name, bytes);
    await until(() => alerts(root).length > 0, 'the refusal');
    expect(alerts(root)).toHaveLength(1);
    expect(alerts(root)[0]).toMatch(sentence);
    expect(file.getAttribute('aria-invalid')).toBe('true');
    expect(file.getAttribute('aria-describedby')).toBe('pm-file-error pm-hint');
    expect(rowsOf(root)).toEqual([]);
    expect(button(root, 'Import')).toBeUndefined();
    expect(requests.some((r) => r.type === 'add-account' || r.type === 'add-codes')).toBe(false);
  });

  test('a file over 50 MB is refused before it is read', async () => {
    const { root, file } = await openImport();
    const read = vi.spyOn(File.prototype, 'arrayBuffer');
    choose(file, 'huge.json', fixture('bitwarden.json'), 50 * 1024 * 1024 + 1);
    await until(() => alerts(root).length > 0, 'the refusal');
    expect(alerts(root)[0]).toMatch(/^This file is over 50 MB/);
    expect(read).not.toHaveBeenCalled();
    read.mockRestore();
  });

  test('the error and aria-invalid go when another file is chosen', async () => {
    const { root, file } = await openImport();
    choose(file, 'x.json', fixture('bitwarden-encrypted-password.json'));
    await until(() => alerts(root).length > 0, 'the refusal');
    choose(file, 'bitwarden.json', fixture('bitwarden.json'));
    expect(alerts(root)).toEqual([]);
    expect(file.hasAttribute('aria-invalid')).toBe(false);
    expect(file.getAttribute('aria-describedby')).toBe('pm-hint');
    await until(() => rowsOf(root).length === 3, 'the rows');
  });

  test('a format chosen by hand that does not fit is refused; back to detection, the file reads', async () => {
    const { root, file } = await openImport();
    choose(file, 'bitwarden.json', fixture('bitwarden.json'));
    await until(() => rowsOf(root).length === 3, 'the rows');
    const format = byId('pm-format') as unknown as HTMLSelectElement;
    format.value = '1pux';
    format.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => alerts(root).length > 0, 'the refusal');
    expect(alerts(root)[0]).toMatch(/1Password|1PUX/);
    expect(rowsOf(root)).toEqual([]);
    format.value = '';
    format.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => rowsOf(root).length === 3, 'the rows again');
    expect(alerts(root)).toEqual([]);
  });
});
