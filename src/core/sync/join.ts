/**
 * A device joining the vault another device synced (issue 11) often holds some of the same accounts: the user
 * added Instagram's codes on both computers before turning sync on. Two identical rows would be the result of
 * simply adding them, so an account with the same site and account name as a synced one is folded into it:
 *
 * - a code the synced account lacks is added to its current codes, with this device's history;
 * - a code both hold that this device used, and the synced one does not record as used, becomes used (a code
 *   submitted somewhere must not be offered again);
 * - everything else of the synced account wins (its name, note and earlier sets).
 *
 * Accounts with no synced twin are kept as they are. Pure: the vault service records the result as this
 * device's changes (replica.ts), so the other devices get the added codes and uses too.
 */
import { codeKey } from '../vault/transitions';
import type { Account, Code, CodeEvent } from '../vault/model';

const twinKey = (account: Account) => `${account.site}\n${account.label ?? ''}`;

function usedHere(code: Code): CodeEvent | undefined {
  return code.state === 'used' ? code.history.findLast((event) => event.to === 'used') : undefined;
}

function foldInto(target: Account, local: Account, at: string): Account {
  const codes = target.codes.slice();
  const byKey = new Map(codes.map((code, index) => [codeKey(code.value), index]));
  let changed = false;
  for (const code of local.codes) {
    const index = byKey.get(codeKey(code.value));
    if (index === undefined) {
      // A reservation belongs to a page of this device that the joined vault does not know: start unused.
      codes.push(
        code.state === 'reserved'
          ? { id: code.id, value: code.value, state: 'unused', history: code.history }
          : code,
      );
      byKey.set(codeKey(code.value), codes.length - 1);
      changed = true;
      continue;
    }
    const twin = codes[index]!;
    const use = usedHere(code);
    if (!use || twin.state === 'used') continue;
    const used: Code = {
      id: twin.id,
      value: twin.value,
      state: 'used',
      usedAt: code.usedAt ?? use.at,
      history: [...twin.history, { ...use, from: twin.state }],
    };
    if (code.usedOn !== undefined) used.usedOn = code.usedOn;
    codes[index] = used;
    changed = true;
  }
  return changed ? { ...target, codes, updatedAt: at } : target;
}

/** The joined vault's accounts: `synced` (as the synced state builds them) with `local` folded in. */
export function joinAccounts(synced: readonly Account[], local: readonly Account[], at: string): Account[] {
  const out = synced.slice();
  const twins = new Map<string, number>();
  out.forEach((account, index) => {
    if (!twins.has(twinKey(account))) twins.set(twinKey(account), index);
  });
  for (const account of local) {
    const index = twins.get(twinKey(account));
    if (index === undefined) out.push(account);
    else out[index] = foldInto(out[index]!, account, at);
  }
  return out;
}
