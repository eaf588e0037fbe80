import { describe, expect, test, vi } from 'vitest';
import { deliverUntilHeard } from '../../../src/content/deliver';
import { SpareError } from '../../../src/core/errors';

const noAnswer = () => new SpareError('no-answer', 'The background did not answer.');
const noWait = () => Promise.resolve();

describe('deliverUntilHeard: a confirm survives the background stopping', () => {
  test('sends again while the background does not answer, until it does', async () => {
    const send = vi
      .fn()
      .mockRejectedValueOnce(noAnswer())
      .mockRejectedValueOnce(noAnswer())
      .mockResolvedValue({});
    const waits: number[] = [];
    expect(await deliverUntilHeard(send, async (ms) => void waits.push(ms), [10, 20, 30])).toBe(true);
    expect(send).toHaveBeenCalledTimes(3);
    expect(waits).toEqual([10, 20]);
  });

  test('a refusal is an answer: it is not sent again (an earlier attempt may have crossed the code off)', async () => {
    const send = vi
      .fn()
      .mockRejectedValue(new SpareError('not-found', 'That code is not held by this page.'));
    expect(await deliverUntilHeard(send, noWait)).toBe(true);
    expect(send).toHaveBeenCalledTimes(1);
  });

  test('gives up after the last delay and says it was not heard', async () => {
    const send = vi.fn().mockRejectedValue(noAnswer());
    expect(await deliverUntilHeard(send, noWait, [1, 2])).toBe(false);
    expect(send).toHaveBeenCalledTimes(3);
  });
});
