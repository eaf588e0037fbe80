import { isSpareError } from '../core/errors';

/**
 * Waits before each new attempt. The first retry is quick (a stopped service worker restarts in a few hundred
 * milliseconds); the last one leaves time for a worker that was busy deriving a key when it was stopped.
 */
export const DELIVERY_RETRY_DELAYS_MS = [250, 1000, 3000] as const;

/**
 * Sends a code's outcome (the page submitted it, or gave it back) until the background has heard it. The
 * browser may stop the background's service worker at any moment; a message sent as it stops is lost in
 * transit, and a lost confirm would leave a code the site already accepted to be given back and offered again.
 * Sending again wakes the worker. Any answer ends the attempts, a refusal included: it means the background
 * heard (for example, an earlier attempt already crossed the code off and only its answer was lost).
 * Resolves true when the background answered.
 */
export async function deliverUntilHeard(
  send: () => Promise<unknown>,
  wait: (ms: number) => Promise<void>,
  delays: readonly number[] = DELIVERY_RETRY_DELAYS_MS,
): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      await send();
      return true;
    } catch (error) {
      if (!isSpareError(error, 'no-answer')) return true;
      const delay = delays[attempt];
      if (delay === undefined) return false;
      await wait(delay);
    }
  }
}
