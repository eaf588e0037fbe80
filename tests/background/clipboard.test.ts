/**
 * The background's clipboard clear (src/background/clipboard.ts): the timer, the alarm that stands in for a
 * worker that was stopped, the lock, and what is kept meanwhile. The system clipboard is a fake that records;
 * the real one is tests/e2e/clipboard.test.ts.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { wireBackground } from '../../src/background';
import {
  CLIPBOARD_ALARM,
  CLIPBOARD_CLEAR_MS,
  ClipboardClear,
  type ClipboardClearDeps,
} from '../../src/background/clipboard';
import { clearClipboard, fingerprintOf, type ClipboardFingerprint } from '../../src/core/clipboard';
import { answerOffscreenCommands } from '../../src/messaging';
import type { Account } from '../../src/core/vault';
import { PASSWORD, codes, muteIdle, newService, popupSender, resetEnvironment, send } from './support';

const CODE = '1234 5678';

/** A system clipboard that records what the background did to it. */
function fakeClipboard(initial = CODE) {
  const state = { text: initial, readable: true, clears: [] as (ClipboardFingerprint | null)[] };
  const deps: ClipboardClearDeps = {
    clear: async (onlyIf) => {
      state.clears.push(onlyIf);
      return clearClipboard(
        {
          readText: async () => state.text,
          writeText: async (text) => {
            state.text = text;
          },
        },
        onlyIf,
      );
    },
    canRead: async () => state.readable,
  };
  return { state, deps };
}

/** Until the pending clear is done: it forgets the copy last, whatever the outcome. */
const settled = () => vi.waitFor(async () => expect(await fakeBrowser.storage.session.get(null)).toEqual({}));

const fireAlarm = (name: string) =>
  fakeBrowser.alarms.onAlarm.trigger({ name, scheduledTime: Date.now() } as never);

beforeEach(() => {
  resetEnvironment();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ClipboardClear', () => {
  test('clears 30 s after the copy, not before, and then forgets the copy', async () => {
    const { state, deps } = fakeClipboard();
    const clipboard = new ClipboardClear(deps);
    expect(await clipboard.schedule(CODE)).toEqual({ clearAfterMs: CLIPBOARD_CLEAR_MS, checksFirst: true });

    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS - 100);
    expect(state.clears).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    await settled();
    expect(state.text).toBe('');
    expect(state.clears).toHaveLength(1);
    expect(state.clears[0]).not.toBeNull();
    expect(await fakeBrowser.alarms.get(CLIPBOARD_ALARM)).toBeUndefined();
  });

  test('leaves the clipboard alone when it holds something else by then', async () => {
    const { state, deps } = fakeClipboard();
    await new ClipboardClear(deps).schedule(CODE);
    state.text = 'a link the user copied since';
    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS);
    await settled();
    expect(state.text).toBe('a link the user copied since');
  });

  test('without read permission it empties the clipboard whatever it holds, and says so up front', async () => {
    const { state, deps } = fakeClipboard();
    state.readable = false;
    const plan = await new ClipboardClear(deps).schedule(CODE);
    expect(plan.checksFirst).toBe(false);
    state.text = 'copied since';
    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS);
    await settled();
    expect(state.clears).toEqual([null]);
    expect(state.text).toBe('');
  });

  test('a permission granted after the copy is used at the clear', async () => {
    const { state, deps } = fakeClipboard();
    state.readable = false;
    await new ClipboardClear(deps).schedule(CODE);
    state.readable = true;
    state.text = 'copied since';
    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS);
    await settled();
    expect(state.text).toBe('copied since');
  });

  test('keeps a fingerprint of the code in storage.session, never the code', async () => {
    const { deps } = fakeClipboard();
    await new ClipboardClear(deps).schedule(CODE);
    const stored = JSON.stringify(await fakeBrowser.storage.session.get(null));
    expect(stored).toContain('digest');
    expect(stored).not.toContain(CODE);
    expect(stored).not.toContain(CODE.replace(' ', ''));
  });

  test('a stopped worker: the alarm wakes a new one at the deadline, which clears', async () => {
    const { state, deps } = fakeClipboard();
    await new ClipboardClear(deps).schedule(CODE);
    const alarm = await fakeBrowser.alarms.get(CLIPBOARD_ALARM);
    expect(alarm?.scheduledTime).toBe(Date.now() + CLIPBOARD_CLEAR_MS);

    // The first worker's timer dies with it; a new worker has only storage.session and the alarm.
    vi.clearAllTimers();
    const restarted = new ClipboardClear(deps);
    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS);
    expect(state.text).toBe(CODE);
    await restarted.resume();
    expect(state.text).toBe('');
  });

  test('a worker restarted before the deadline re-arms its timer; one restarted after it clears at once', async () => {
    const { state, deps } = fakeClipboard();
    await new ClipboardClear(deps).schedule(CODE);
    vi.clearAllTimers();
    await vi.advanceTimersByTimeAsync(10_000);
    await new ClipboardClear(deps).resume();
    expect(state.text).toBe(CODE);
    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS - 10_000);
    await vi.waitFor(() => expect(state.text).toBe(''));

    state.text = CODE;
    await new ClipboardClear(deps).schedule(CODE);
    vi.clearAllTimers();
    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS + 60_000);
    await new ClipboardClear(deps).resume();
    expect(state.text).toBe('');
  });

  test('the alarm is never set sooner than Chrome allows (30 s), even for a short delay', async () => {
    const { deps } = fakeClipboard();
    await new ClipboardClear({ ...deps, delayMs: async () => 1000 }).schedule(CODE);
    const alarm = await fakeBrowser.alarms.get(CLIPBOARD_ALARM);
    expect(alarm!.scheduledTime).toBeGreaterThanOrEqual(Date.now() + 30_000);
  });

  test('a newer copy replaces the older one: one clear, of the newer code', async () => {
    const { state, deps } = fakeClipboard();
    const clipboard = new ClipboardClear(deps);
    await clipboard.schedule('1111 1111');
    await vi.advanceTimersByTimeAsync(20_000);
    state.text = '2222 2222';
    await clipboard.schedule('2222 2222');
    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS - 1000);
    expect(state.clears).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    await vi.waitFor(() => expect(state.text).toBe(''));
    expect(state.clears).toHaveLength(1);
  });

  test('a failed clear still forgets the copy, and logs no code', async () => {
    const { deps } = fakeClipboard();
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const clipboard = new ClipboardClear({
      ...deps,
      clear: async () => {
        throw new Error('no offscreen document');
      },
    });
    await clipboard.schedule(CODE);
    await clipboard.clearNow();
    expect(log).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(log.mock.calls)).not.toContain(CODE);
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });
});

describe('the background clears the clipboard', () => {
  let account: Account;
  let clipboard: ReturnType<typeof fakeClipboard>;

  beforeEach(async () => {
    vi.useRealTimers();
    muteIdle();
    const service = newService();
    clipboard = fakeClipboard();
    wireBackground({ service, clipboard: clipboard.deps });
    await service.create(PASSWORD);
    account = await service.addAccount({ site: 'instagram.com', codes: [{ value: CODE }, ...codes(2)] });
  });

  const copied = (codeId = account.codes[0]!.id) =>
    send({ type: 'code-copied', accountId: account.id, codeId }, popupSender);

  test('a copy reported by the popup is scheduled from the vault’s own copy of the code', async () => {
    expect(await copied()).toEqual({
      ok: true,
      value: { clearAfterMs: CLIPBOARD_CLEAR_MS, checksFirst: true },
    });
    expect(clipboard.state.clears).toEqual([]);
    expect(JSON.stringify(await fakeBrowser.storage.session.get(null))).not.toContain(CODE);
  });

  test('at once when the vault locks, by hand or by the auto-lock alarm', async () => {
    await copied();
    await send({ type: 'lock' }, popupSender);
    await vi.waitFor(() => expect(clipboard.state.text).toBe(''));
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});

    await send({ type: 'unlock', password: PASSWORD }, popupSender);
    clipboard.state.text = CODE;
    await copied();
    await fireAlarm('spare-auto-lock');
    await vi.waitFor(() => expect(clipboard.state.text).toBe(''));
  });

  test('the clipboard alarm clears an overdue copy in a worker that was stopped', async () => {
    await copied();
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + CLIPBOARD_CLEAR_MS);
    await fireAlarm(CLIPBOARD_ALARM);
    await vi.waitFor(() => expect(clipboard.state.text).toBe(''));
  });

  test('a worker that starts with a clear overdue does it at once', async () => {
    await copied();
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + CLIPBOARD_CLEAR_MS);
    // The stopped worker's timer is gone; the new one is wired from scratch and finds the pending clear.
    wireBackground({ service: newService(), clipboard: clipboard.deps });
    await vi.waitFor(() => expect(clipboard.state.text).toBe(''));
  });

  test('an unknown code is refused and nothing is scheduled', async () => {
    const answer = await copied('no-such-code');
    expect(answer).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await fakeBrowser.storage.session.get(null)).not.toHaveProperty('spare.clipboardClear');
  });
});

describe('the command to Chrome’s offscreen document', () => {
  test('is answered only for the extension itself, and only when it carries nothing but a fingerprint', async () => {
    const run = vi.fn(async () => 'cleared' as const);
    answerOffscreenCommands(run);
    const self = fakeBrowser.runtime.id;
    const deliver = (message: unknown, sender: object) =>
      fakeBrowser.runtime.onMessage.trigger(message, sender as never);
    const onlyIf = await fingerprintOf(CODE);
    const command = { type: 'background:clear-clipboard', onlyIf };

    expect(await deliver(command, { id: self, tab: { id: 3 } })).toEqual([undefined]);
    expect(await deliver(command, { id: 'another-extension' })).toEqual([undefined]);
    expect(await deliver({ ...command, onlyIf: { salt: onlyIf.salt } }, { id: self })).toEqual([undefined]);
    expect(await deliver({ ...command, code: CODE }, { id: self })).toEqual([undefined]);
    expect(run).not.toHaveBeenCalled();

    expect(await deliver(command, { id: self })).toEqual([{ ok: true, value: 'cleared' }]);
    expect(await deliver({ ...command, onlyIf: null }, { id: self })).toEqual([
      { ok: true, value: 'cleared' },
    ]);
    expect(run).toHaveBeenLastCalledWith({ type: 'background:clear-clipboard', onlyIf: null });
  });
});
