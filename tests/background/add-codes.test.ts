/**
 * Issue 9, duplicate accounts: Add account offers to add the codes to the account with the same site and name
 * instead of making a second identical row. `add-codes` appends only the codes the account does not hold, and
 * every code it had keeps its state and history.
 */
import { beforeEach, expect, test } from 'vitest';
import { wireBackground } from '../../src/background';
import type { Account } from '../../src/core/vault';
import {
  PASSWORD,
  codes,
  muteIdle,
  newService,
  pageFakes,
  popupSender as popup,
  resetEnvironment,
  send,
} from './support';

let service: ReturnType<typeof newService>;
let account: Account;

beforeEach(async () => {
  resetEnvironment();
  muteIdle();
  service = newService();
  wireBackground({ service, deps: pageFakes().deps });
  await service.create(PASSWORD);
  account = await service.addAccount({ site: 'github.com', label: 'alice', codes: codes(3) });
});

test('adds the new codes to the existing account, keeping the used one and its history', async () => {
  const used = await service.markCode(account.id, account.codes[0]!.id, true);
  const answer = await send(
    // One code it holds already (spaces differ), two new ones.
    { type: 'add-codes', accountId: account.id, codes: [{ value: '10000001' }, ...codes(2, 50)] },
    popup,
  );
  expect(answer.ok).toBe(true);
  const { account: after, added } = (answer as { ok: true; value: { account: Account; added: number } })
    .value;
  expect(added).toBe(2);
  expect(after.id).toBe(account.id);
  expect(after.codes.map((c) => c.value)).toEqual([
    '1000 0000',
    '1000 0001',
    '1000 0002',
    '1000 0050',
    '1000 0051',
  ]);
  expect(after.codes[0]).toEqual(used.codes[0]);
  expect(after.codes.slice(3).every((c) => c.state === 'unused' && c.history.length === 1)).toBe(true);
  // Still one account: no second identical row.
  expect((await service.listAccounts()).map((a) => [a.site, a.label, a.total])).toEqual([
    ['github.com', 'alice', 5],
  ]);
});

test('codes the account holds already add nothing and change nothing', async () => {
  const { account: after, added } = await service.addCodes(account.id, codes(3));
  expect(added).toBe(0);
  expect(after).toEqual(account);
});

test('a request without codes or for an unknown account is refused', async () => {
  expect(await send({ type: 'add-codes', accountId: account.id, codes: [] }, popup)).toMatchObject({
    ok: false,
  });
  expect(await send({ type: 'add-codes', accountId: 'nope', codes: codes(1) }, popup)).toMatchObject({
    ok: false,
    error: { code: 'not-found' },
  });
});
