/**
 * Issue 9, "Copy marks the code off": a code copied in the popup is reserved (ids only cross the boundary), the
 * popup asks once at its next opening whether it was used, and the answer settles it. The offer's own
 * reservations (issue 7) are the same state and must not be disturbed by a copy. Also "Replace codes keeps the
 * history of the replaced codes".
 */
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { wireBackground } from '../../src/background';
import { accountsToPlain } from '../../src/background/backup';
import type { Account } from '../../src/core/vault';
import type { CodeCount, CopyQuestion } from '../../src/messaging';
import {
  EXTENSION_BASE,
  PASSWORD,
  caught,
  codes,
  fillTarget,
  muteIdle,
  newService,
  pageOf,
  popupSender,
  resetEnvironment,
  value,
} from './support';

beforeEach(resetEnvironment);

const NOW = new Date('2026-03-12T09:30:00Z');

async function setUp() {
  muteIdle();
  const service = newService({ now: () => NOW });
  const clipboard = {
    clear: vi.fn(async () => 'cleared' as const),
    canRead: async () => true,
  };
  wireBackground({ service, clipboard });
  await service.create(PASSWORD);
  const account = await service.addAccount({ site: 'instagram.com', label: 'alice', codes: codes(10) });
  const copy = (codeId: string) => value({ type: 'code-copied', accountId: account.id, codeId }, popupSender);
  const questions = () => value<CopyQuestion[]>({ type: 'take-copy-questions' }, popupSender);
  const answer = (codeId: string, used: boolean) =>
    value<CodeCount>({ type: 'answer-copy-question', accountId: account.id, codeId, used }, popupSender);
  const stored = async () => service.getAccount(account.id);
  return { service, account, copy, questions, answer, stored };
}

describe('a copy in the popup reserves the code', () => {
  test('code-copied reserves an unused code for the copy; it still counts as left', async () => {
    const { service, account, copy, stored } = await setUp();
    await copy(account.codes[0]!.id);
    const code = (await stored()).codes[0]!;
    expect(code.state).toBe('reserved');
    expect(code.reservedBy).toEqual({ origin: new URL(EXTENSION_BASE).origin, copied: true });
    expect(code.history.at(-1)).toEqual({
      at: NOW.toISOString(),
      from: 'unused',
      to: 'reserved',
      by: 'copy',
    });
    expect((await service.listAccounts())[0]).toMatchObject({ left: 10, total: 10 });
  });

  test('the offer fills the next code, and no sweep, tab close or time limit gives the copied one back', async () => {
    const { service, account, copy, stored } = await setUp();
    await copy(account.codes[0]!.id);
    const fill = await service.reserveForFill(fillTarget(3), account.id);
    expect(fill.codeId).toBe(account.codes[1]!.id);
    await service.releaseTab(3);
    await service.sweepReservations();
    expect((await stored()).codes.map((c) => c.state).slice(0, 2)).toEqual(['reserved', 'unused']);
  });

  test('a code a page holds, or a used code, is left as it is by a copy', async () => {
    const { service, account, copy, stored } = await setUp();
    const fill = await service.reserveForFill(fillTarget(3), account.id);
    await copy(fill.codeId);
    await service.markCode(account.id, account.codes[1]!.id, true);
    await copy(account.codes[1]!.id);
    const [first, second] = (await stored()).codes;
    expect(first!.reservedBy).toMatchObject({ tabId: 3 });
    expect(second!.state).toBe('used');
    // The page can still confirm its own code: the copy did not take it over.
    await service.confirmForPage(pageOf(fillTarget(3)), account.id, fill.codeId);
    expect((await stored()).codes[0]!.state).toBe('used');
  });
});

describe('"Did you use …?" is asked once and the answer settles the code', () => {
  test('the question names the code and the site, and is handed out only once', async () => {
    const { account, copy, questions } = await setUp();
    await copy(account.codes[2]!.id);
    expect(await questions()).toEqual([
      {
        accountId: account.id,
        codeId: account.codes[2]!.id,
        site: 'instagram.com',
        label: 'alice',
        code: account.codes[2]!.value,
      },
    ]);
    expect(await questions()).toEqual([]);
  });

  test('Used: the code is used, with the time of the answer', async () => {
    const { service, account, copy, questions, answer, stored } = await setUp();
    await copy(account.codes[0]!.id);
    await questions();
    expect(await answer(account.codes[0]!.id, true)).toEqual({ accountId: account.id, left: 9, total: 10 });
    const code = (await stored()).codes[0]!;
    expect(code).toMatchObject({ state: 'used', usedAt: NOW.toISOString() });
    expect(code.reservedBy).toBeUndefined();
    expect(code.history.at(-1)).toMatchObject({ from: 'reserved', to: 'used', by: 'copy' });
    expect((await service.listAccounts())[0]).toMatchObject({ left: 9, total: 10 });
  });

  test('Not used: the code goes back to unused and is the next one again', async () => {
    const { service, account, copy, answer, stored } = await setUp();
    await copy(account.codes[0]!.id);
    expect(await answer(account.codes[0]!.id, false)).toEqual({ accountId: account.id, left: 10, total: 10 });
    expect((await stored()).codes[0]!.state).toBe('unused');
    expect((await service.reserveForFill(fillTarget(1), account.id)).codeId).toBe(account.codes[0]!.id);
  });

  test('an answer cannot settle a code a page holds', async () => {
    const { service, account } = await setUp();
    const fill = await service.reserveForFill(fillTarget(3), account.id);
    expect((await caught(service.answerCopied(account.id, fill.codeId, true))).code).toBe(
      'invalid-transition',
    );
  });
});

describe('Replace codes keeps the history of the replaced set', () => {
  test('the old set moves to earlierSets without its values; the new set is current', async () => {
    const { service, account } = await setUp();
    await service.markCode(account.id, account.codes[0]!.id, true);
    const next = await service.replaceCodes(account.id, codes(5, 100));
    expect(next.codes.map((c) => c.value)).toEqual(codes(5, 100).map((c) => c.value));
    expect(next.earlierSets).toHaveLength(1);
    const [set] = next.earlierSets!;
    expect(set!.replacedAt).toBe(NOW.toISOString());
    expect(set!.codes).toHaveLength(10);
    expect(set!.codes[0]).toMatchObject({ state: 'used', usedAt: NOW.toISOString() });
    expect(set!.codes[0]!.history.map((e) => e.to)).toEqual(['unused', 'used']);
    expect(JSON.stringify(set)).not.toContain(account.codes[0]!.value);
    // A second replace adds another set, oldest first, and survives a restart of the service.
    await service.replaceCodes(account.id, codes(3, 200));
    const reopened = newService();
    await reopened.unlock(PASSWORD);
    const again: Account = await reopened.getAccount(account.id);
    expect(again.earlierSets!.map((s) => s.codes.length)).toEqual([10, 5]);
  });

  test('a backup holds the current codes only, exactly as before (design §4.4)', async () => {
    const { service, account } = await setUp();
    await service.replaceCodes(account.id, codes(2, 100));
    const plain = accountsToPlain([await service.getAccount(account.id)]);
    expect(plain.accounts).toEqual([
      {
        site: 'instagram.com',
        label: 'alice',
        codes: codes(2, 100).map((c) => ({ code: c.value, used: false })),
      },
    ]);
  });
});
