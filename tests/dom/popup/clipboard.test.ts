import { describe, expect, test } from 'vitest';
import { CLIPBOARD_CLEAR_MS, ExpiringClipboard } from '../../../src/popup/lib/clipboard';

function harness(options: { readable: boolean }) {
  let content = 'before';
  const timers: { run: () => void; ms: number; cleared: boolean }[] = [];
  const clipboard = new ExpiringClipboard({
    clipboard: {
      writeText: async (text) => {
        content = text;
      },
      readText: async () => content,
    },
    canRead: async () => options.readable,
    setTimer: (run, ms) => {
      const timer = { run, ms, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (handle) => {
      (handle as { cleared: boolean }).cleared = true;
    },
  });
  const fire = async () => {
    for (const timer of timers.filter((t) => !t.cleared)) timer.run();
    await new Promise((r) => setTimeout(r, 0));
  };
  return {
    clipboard,
    timers,
    fire,
    get content() {
      return content;
    },
    set content(value: string) {
      content = value;
    },
  };
}

describe('ExpiringClipboard', () => {
  test('copies at once and clears after 30 s', async () => {
    const h = harness({ readable: true });
    await h.clipboard.copy('1234 5678');
    expect(h.content).toBe('1234 5678');
    expect(h.timers[0]?.ms).toBe(CLIPBOARD_CLEAR_MS);
    await h.fire();
    expect(h.content).toBe('');
  });

  test('leaves the clipboard alone when it no longer holds the code', async () => {
    const h = harness({ readable: true });
    await h.clipboard.copy('1234 5678');
    h.content = 'something the user copied later';
    await h.fire();
    expect(h.content).toBe('something the user copied later');
  });

  test('without read access it clears blindly (the code must not linger)', async () => {
    const h = harness({ readable: false });
    await h.clipboard.copy('1234 5678');
    await h.fire();
    expect(h.content).toBe('');
  });

  test('a second copy replaces the first timer; cancel stops it', async () => {
    const h = harness({ readable: true });
    await h.clipboard.copy('1111 1111');
    await h.clipboard.copy('2222 2222');
    expect(h.timers.map((t) => t.cleared)).toEqual([true, false]);
    h.clipboard.cancel();
    expect(h.clipboard.waiting).toBe(false);
    await h.fire();
    expect(h.content).toBe('2222 2222');
  });
});
