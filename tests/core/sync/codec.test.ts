import { describe, expect, test } from 'vitest';
import {
  decodeReplica,
  decodeStamp,
  decodeSyncAccount,
  decodeSyncedHeader,
  encodeReplica,
  encodeStamp,
  encodeSyncAccount,
  encodeSyncedHeader,
  type SyncedHeader,
} from '../../../src/core/sync/codec';
import { EMPTY_SYNC_STATE, mergeReplicas, type SyncAccount } from '../../../src/core/sync/merge';
import { isSpareError } from '../../../src/core/errors';
import { T0, addAccount, device, markUsed, replaceCodes } from './devices';

function oneAccount(): SyncAccount {
  const d = device('A');
  addAccount(d, 'acc', 'instagram.com', ['12345678', '23456789', '34567890'], T0);
  markUsed(d, 'acc', 'acc-first-0', T0 + 1000);
  replaceCodes(d, 'acc', ['45678901', '56789012'], T0 + 2000, 'second');
  markUsed(d, 'acc', 'acc-second-1', T0 + 3000);
  return d.state.accounts.acc!;
}

const refuses = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return isSpareError(error, 'invalid-input');
  }
  return false;
};

describe('synced record codec', () => {
  test('a stamp is one short base-36 string and reads back', () => {
    const stamp = { wall: T0, counter: 3, replica: 'r-9_x' };
    expect(encodeStamp(stamp)).toBe(`${T0.toString(36)}.3.r-9_x`);
    expect(decodeStamp(encodeStamp(stamp))).toEqual(stamp);
    expect(refuses(() => decodeStamp('1.2'))).toBe(true);
    expect(refuses(() => decodeStamp(`zzzzzzzzzzz.0.a`))).toBe(true); // beyond a safe integer
  });

  test('an account reads back exactly, values of replaced sets staying dropped', () => {
    const account = oneAccount();
    const json = encodeSyncAccount(account);
    expect(decodeSyncAccount(json)).toEqual(account);
    expect(json).not.toContain('12345678'); // the replaced set keeps no values
    expect(json).toContain('56789012');
  });

  test('the encoding is canonical: the same state in another key order gives the same text', () => {
    const account = oneAccount();
    const reordered = mergeReplicas({ accounts: { x: account } }, EMPTY_SYNC_STATE).accounts.x!;
    const reversed: SyncAccount = {
      ...reordered,
      generations: Object.fromEntries(Object.entries(reordered.generations).reverse()),
    };
    expect(encodeSyncAccount(reversed)).toBe(encodeSyncAccount(account));
  });

  test('a common creation event costs a few bytes, an unusual one is kept in full', () => {
    const account = oneAccount();
    const json = encodeSyncAccount(account);
    expect(json).toContain('"e":"hand"');
    const [key, generation] = Object.entries(account.generations)[0]!;
    const [codeId, code] = Object.entries(generation.codes)[0]!;
    const odd = { at: '2020-01-01T00:00:00.000Z', from: null, to: 'unused' as const, by: 'import' as const };
    const changed: SyncAccount = {
      ...account,
      generations: {
        ...account.generations,
        [key]: { ...generation, codes: { ...generation.codes, [codeId]: { ...code, created: odd } } },
      },
    };
    expect(decodeSyncAccount(encodeSyncAccount(changed))).toEqual(changed);
  });

  test('a malformed or newer record is refused, and the error never quotes the text', () => {
    const json = encodeSyncAccount(oneAccount());
    for (const bad of [
      'not json 12345678',
      '[]',
      json.replace('"f":1', '"f":"1"'),
      json.replace(/"p":0/, '"p":-1'),
      json.replace(/"by":"hand"|"e":"hand"/, '"e":"robot"'),
    ]) {
      let message = '';
      try {
        decodeSyncAccount(bad);
      } catch (error) {
        expect(isSpareError(error, 'invalid-input')).toBe(true);
        message = (error as Error).message;
      }
      expect(message, bad.slice(0, 40)).not.toBe('');
      expect(message).not.toContain('12345678');
    }
    expect(() => decodeSyncAccount(json.replace('"f":1', '"f":2'))).toThrow(/newer version of Spare/);
  });

  test("a device's replica (state and clock) reads back", () => {
    const d = device('A');
    addAccount(d, 'one', 'github.com', ['aaaa-bbbb'], T0);
    addAccount(d, 'two', 'google.com', ['1111 2222'], T0 + 5);
    expect(decodeReplica(encodeReplica({ state: d.state, clock: d.clock }))).toEqual({
      state: d.state,
      clock: d.clock,
    });
  });

  test('the synced header reads back, without a time, and a bad one is refused', () => {
    const header: SyncedHeader = {
      vaultId: 'vault-1',
      schemaVersion: 1,
      kdf: {
        name: 'argon2id',
        memoryKiB: 65536,
        iterations: 3,
        parallelism: 1,
        salt: new Uint8Array(16).fill(7),
      },
      wrappedKey: { iv: new Uint8Array(12).fill(1), ct: new Uint8Array(48).fill(2) },
      keyCheck: { iv: new Uint8Array(12).fill(3), ct: new Uint8Array(31).fill(4) },
    };
    const bytes = encodeSyncedHeader(header);
    expect(decodeSyncedHeader(bytes)).toEqual(header);
    expect(new TextDecoder().decode(bytes)).not.toMatch(/20\d\d-/);
    const bad = new TextDecoder().decode(bytes).replace('"argon2id"', '"pbkdf2"');
    expect(refuses(() => decodeSyncedHeader(new TextEncoder().encode(bad)))).toBe(true);
  });
});
