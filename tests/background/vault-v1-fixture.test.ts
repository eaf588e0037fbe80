/**
 * Compatibility: the current code must open a vault exactly as schema v1 wrote it. The fixture is frozen
 * (tests/fixtures/vault-v1, made once by its make-fixture.ts); if this test fails, the change broke existing
 * users' vaults: add an upgrade step, do not regenerate the fixture.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, expect, test } from 'vitest';
import { serializePlain } from '../../src/core/backup';
import { accountsToPlain } from '../../src/background/backup';
import type { Account } from '../../src/core/vault';
import { loadIdb, type IdbDump } from '../fixtures/vault-v1/idb-dump';
import { caught, fillTarget, newService, pageOf, resetEnvironment } from './support';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/vault-v1/${name}`, import.meta.url), 'utf8')) as unknown;
const dump = fixture('vault.json') as IdbDump;
const expected = fixture('expected.json') as {
  password: string;
  settings: { autoLockMinutes: number };
  accounts: Account[];
  plain: unknown;
};

beforeEach(async () => {
  resetEnvironment();
  await loadIdb(dump);
});

/**
 * The fixture's clock: a minute after its reservation was made. At a later time the unlock's sweep releases
 * that reservation (its 5 minutes are long past), which the last test checks.
 */
const FIXTURE_NOW = () => new Date('2026-11-26T09:07:00.000Z');

test('the frozen v1 vault unlocks with its password and reads every account as written', async () => {
  const service = newService({ now: FIXTURE_NOW });
  expect(await service.status()).toBe('locked');
  await service.unlock(expected.password);
  expect(await service.snapshot()).toEqual(expected.accounts);
  // Stored as a free number of minutes before presets (issue 9): it reads as the nearest preset, 10 → 5.
  expect(expected.settings).toEqual({ autoLockMinutes: 10 });
  expect(await service.getSettings()).toEqual({ autoLockMinutes: 5, sync: false });
  expect(JSON.parse(serializePlain(accountsToPlain(await service.snapshot())))).toEqual(expected.plain);
  const insta = expected.accounts.find((a) => a.site === 'instagram.com')!;
  expect(insta.codes.map((c) => c.state)).toEqual(['used', 'reserved', 'unused', 'used']);
});

test('the frozen v1 vault refuses a wrong password', async () => {
  expect((await caught(newService().unlock(`${expected.password}!`))).code).toBe('wrong-password');
});

test('the frozen v1 vault keeps working: reserve, confirm, change password', async () => {
  const service = newService({ now: FIXTURE_NOW });
  await service.unlock(expected.password);
  const insta = expected.accounts.find((a) => a.site === 'instagram.com')!;
  const page = fillTarget(2, 'https://www.instagram.com/');
  const r = await service.reserveForFill(page, insta.id);
  expect(r.code).toBe('5555 6666');
  await service.confirmForPage(pageOf(page), insta.id, r.codeId);
  await service.changePassword(expected.password, 'a different password');
  await service.lock();
  await service.unlock('a different password');
  expect((await service.listAccounts()).find((a) => a.site === 'instagram.com')).toMatchObject({ left: 1 });
});

test('the v1 reservation (no frame, no browser session) is released by the first unlock after its time limit', async () => {
  const service = newService({ now: () => new Date('2026-11-26T09:11:00.000Z') });
  await service.unlock(expected.password);
  const insta = (await service.snapshot()).find((a) => a.site === 'instagram.com')!;
  expect(insta.codes.map((c) => c.state)).toEqual(['used', 'unused', 'unused', 'used']);
  expect(insta.codes[1]!.reservedBy).toBeUndefined();
  expect(insta.codes[1]!.history.at(-1)).toMatchObject({ from: 'reserved', to: 'unused', by: 'tab-closed' });
});
