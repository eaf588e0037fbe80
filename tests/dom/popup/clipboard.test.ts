import { describe, expect, test } from 'vitest';
import { SpareError } from '../../../src/core/errors';
import { copiedMessage, copyCode } from '../../../src/popup/lib/clipboard';

function harness(copied: () => Promise<{ clearAfterMs: number; checksFirst: boolean }>, writeFails = false) {
  const calls: string[] = [];
  const deps = {
    writeText: async (text: string) => {
      if (writeFails) throw new DOMException('Document is not focused.', 'NotAllowedError');
      calls.push(`write:${text}`);
    },
    copied: async () => {
      calls.push('copied');
      return copied();
    },
  };
  return { calls, deps };
}

describe('copying a code in the popup', () => {
  test('writes the code, then tells the background, which answers the plan', async () => {
    const h = harness(async () => ({ clearAfterMs: 30_000, checksFirst: true }));
    const result = await copyCode('1234 5678', h.deps);
    expect(result).toEqual({ ok: true, plan: { clearAfterMs: 30_000, checksFirst: true } });
    expect(h.calls).toEqual(['write:1234 5678', 'copied']);
  });

  test('takes the code back out when the background cannot clear it later', async () => {
    const h = harness(async () => {
      throw new SpareError('vault-locked', 'The vault is locked.');
    });
    const result = await copyCode('1234 5678', h.deps);
    expect(h.calls).toEqual(['write:1234 5678', 'copied', 'write:']);
    expect(result).toEqual({
      ok: false,
      error:
        'Spare could not arrange to clear the clipboard, so it took the code back out. Spare locked itself. Unlock it to continue.',
    });
  });

  test('a refused copy tells the background nothing', async () => {
    const h = harness(async () => ({ clearAfterMs: 30_000, checksFirst: true }), true);
    const result = await copyCode('1234 5678', h.deps);
    expect(result.ok).toBe(false);
    expect(h.calls).toEqual([]);
  });
});

describe('what the popup says after a copy', () => {
  test('with read permission: cleared unless something else was copied', () => {
    expect(copiedMessage(3, { clearAfterMs: 30_000, checksFirst: true })).toBe(
      'Code 3 copied. Spare clears the clipboard in 30 seconds, or at once if Spare locks first, unless you have copied something else by then.',
    );
  });

  test('without it: emptied even if something else was copied', () => {
    expect(copiedMessage(1, { clearAfterMs: 1000, checksFirst: false })).toBe(
      'Code 1 copied. Spare empties the clipboard in 1 second, or at once if Spare locks first, even if you have copied something else since.',
    );
  });
});
