import { findByRoleAndName, type AccessibleQuery } from '../support/accessible-query';
import type { TestPage } from '../support/test-page';
import { sleep } from '../support/until';

const OFFER = '/offer.html';
/** The offer ignores input for half a second after it appears (clickjacking guard); wait a little longer. */
export const OFFER_SETTLE_MS = 700;

/** A web page as the user sees it with Spare's offer: the field, the offer beside it, the key icon. */
export class SitePage {
  constructor(readonly page: TestPage) {}

  async open(url: string): Promise<this> {
    await this.page.open(url);
    return this;
  }

  /** Is Spare's offer host in the top layer? */
  offerOpen(): Promise<boolean> {
    return this.page.evaluate(
      () => document.querySelector('spare-offer')?.matches(':popover-open') ?? false,
      undefined,
    );
  }

  iconShown(): Promise<boolean> {
    return this.page.evaluate(
      () => document.querySelector('spare-icon')?.matches(':popover-open') ?? false,
      undefined,
    );
  }

  /** Waits until the offer shows `text` (its content is loaded), then for the clickjacking guard. */
  async waitForOffer(text = 'left', timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const shown = await this.offerText().catch(() => null);
      if (shown?.includes(text)) break;
      if (Date.now() > deadline) throw new Error(`the offer never showed "${text}" (it shows: ${shown})`);
      await sleep(50);
    }
    await sleep(OFFER_SETTLE_MS);
  }

  async offerText(): Promise<string | null> {
    if (!(await this.offerOpen())) return null;
    return this.page.evaluateInFrame(OFFER, () => document.body.innerText, undefined);
  }

  /** Clicks a control inside the offer frame with a real mouse. */
  async clickInOffer(query: AccessibleQuery): Promise<void> {
    const host = await this.page.evaluate(() => {
      const rect = document.querySelector('spare-offer')!.getBoundingClientRect();
      return { x: rect.left, y: rect.top };
    }, undefined);
    const inFrame = await this.page.evaluateInFrame(
      OFFER,
      ([find, q]) => {
        const fn = new Function(`return (${find})`)() as (q: AccessibleQuery) => Element | null;
        const rect = fn(q)?.getBoundingClientRect();
        return rect ? { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 } : null;
      },
      [findByRoleAndName.toString(), query] as const,
    );
    if (!inFrame) throw new Error(`no ${query.role ?? 'element'} named "${query.name}" in the offer`);
    // The frame sits inside the host behind a 1px border.
    await this.page.clickAt(host.x + 1 + inFrame.x, host.y + 1 + inFrame.y);
  }

  value(selector: string): Promise<string> {
    return this.page.evaluate((s) => (document.querySelector(s) as HTMLInputElement).value, selector);
  }

  /** Every message the page received (the pages record them): Spare must post none. */
  messages(): Promise<string[]> {
    return this.page.evaluate(
      () => (window as unknown as { receivedMessages?: string[] }).receivedMessages ?? [],
      undefined,
    );
  }
}
