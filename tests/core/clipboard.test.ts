import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { clearClipboard, fingerprintOf, matchesFingerprint } from '../../src/core/clipboard';

function clipboardHolding(initial: string, options: { readFails?: boolean } = {}) {
  const state = { text: initial, writes: [] as string[] };
  return {
    state,
    io: {
      readText: async () => {
        if (options.readFails) throw new Error('NotAllowedError');
        return state.text;
      },
      writeText: async (text: string) => {
        state.writes.push(text);
        state.text = text;
      },
    },
  };
}

describe('clipboard fingerprints', () => {
  test('recognise the text they were made from, and nothing else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), async (copied, other) => {
        const fingerprint = await fingerprintOf(copied);
        expect(await matchesFingerprint(fingerprint, copied)).toBe(true);
        if (other !== copied) expect(await matchesFingerprint(fingerprint, other)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  test('are salted: the same code gives a different fingerprint each time, and neither shows the code', async () => {
    const a = await fingerprintOf('1234 5678');
    const b = await fingerprintOf('1234 5678');
    expect(a.digest).not.toBe(b.digest);
    expect(JSON.stringify([a, b])).not.toMatch(/1234|5678/);
  });
});

describe('clearClipboard', () => {
  test('empties a clipboard that still holds the code', async () => {
    const { state, io } = clipboardHolding('1234 5678');
    expect(await clearClipboard(io, await fingerprintOf('1234 5678'))).toBe('cleared');
    expect(state.text).toBe('');
  });

  test('leaves alone a clipboard that holds something else', async () => {
    const { state, io } = clipboardHolding('copied since');
    expect(await clearClipboard(io, await fingerprintOf('1234 5678'))).toBe('kept');
    expect(state.writes).toEqual([]);
  });

  test('leaves alone a clipboard it may read but cannot', async () => {
    const { state, io } = clipboardHolding('1234 5678', { readFails: true });
    expect(await clearClipboard(io, await fingerprintOf('1234 5678'))).toBe('unreadable');
    expect(state.writes).toEqual([]);
  });

  test('without a fingerprint, empties whatever is there', async () => {
    const { state, io } = clipboardHolding('copied since');
    expect(await clearClipboard(io, null)).toBe('cleared');
    expect(state.text).toBe('');
  });
});
