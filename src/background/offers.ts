/**
 * Offer tickets: the nonce that binds one offer page to the tab, frame and field that asked for it (design §3).
 *
 * A content script asks to open an offer; the background issues a random nonce bound to that tab and frame and
 * the pages they showed. The content script puts the nonce in the offer iframe's URL (inside a closed shadow
 * root, so the page cannot read it). Every offer-page request names the nonce; the background honours it only
 * from an offer frame in the same tab, while that tab still shows the same site, and only from the first
 * frame that used it. Another page that frames `offer.html` has no valid nonce and gets nothing.
 */
import { encoding } from '../core/crypto';
import { SpareError } from '../core/errors';
import { registrableDomain } from '../core/domain';
import type { ContentSender, FieldKind, OfferSender } from '../messaging';

export interface Ticket {
  nonce: string;
  kind: FieldKind;
  /** The content script's tab and frame: where fills go. */
  tabId: number;
  frameId: number;
  topUrl: string;
  frameUrl: string;
  issuedAt: number;
  /** The offer frame that first used the nonce; no other frame may use it afterwards. */
  offerFrameId?: number;
}

/** An offer unused for this long is forgotten; the field's next focus opens a fresh one. */
export const TICKET_TTL_MS = 30 * 60 * 1000;
const MAX_TICKETS_PER_TAB = 16;

const expired = () =>
  new SpareError('offer-expired', 'This offer has expired. Click the field again to see your codes.');

export class OfferTickets {
  private readonly tickets = new Map<string, Ticket>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(sender: ContentSender, kind: FieldKind): Ticket {
    this.forget((t) => this.now() - t.issuedAt > TICKET_TTL_MS);
    const ofTab = [...this.tickets.values()].filter((t) => t.tabId === sender.tabId);
    // A page that focuses fields in a loop must not grow this map without bound: drop its oldest offers.
    for (const old of ofTab.slice(0, Math.max(0, ofTab.length - MAX_TICKETS_PER_TAB + 1))) {
      this.tickets.delete(old.nonce);
    }
    const ticket: Ticket = {
      nonce: encoding.randomId(),
      kind,
      tabId: sender.tabId,
      frameId: sender.frameId,
      topUrl: sender.topUrl,
      frameUrl: sender.frameUrl,
      issuedAt: this.now(),
    };
    this.tickets.set(ticket.nonce, ticket);
    return ticket;
  }

  /**
   * The ticket an offer page may act on: same tab, the tab still on the ticket's site, and the offer frame
   * that claimed the nonce first.
   */
  forOffer(nonce: string, offer: OfferSender): Ticket {
    const ticket = this.tickets.get(nonce);
    if (!ticket || this.now() - ticket.issuedAt > TICKET_TTL_MS || ticket.tabId !== offer.tabId)
      throw expired();
    if (!sameSite(ticket.topUrl, offer.topUrl)) throw expired();
    if (ticket.offerFrameId === undefined) ticket.offerFrameId = offer.frameId;
    else if (ticket.offerFrameId !== offer.frameId) throw expired();
    return ticket;
  }

  /** The ticket a content script holds, when it reports on its own offer. */
  forContent(nonce: string, sender: ContentSender): Ticket | undefined {
    const ticket = this.tickets.get(nonce);
    return ticket && ticket.tabId === sender.tabId && ticket.frameId === sender.frameId ? ticket : undefined;
  }

  dropTab(tabId: number): void {
    this.forget((t) => t.tabId === tabId);
  }

  private forget(which: (t: Ticket) => boolean): void {
    for (const [nonce, ticket] of this.tickets) if (which(ticket)) this.tickets.delete(nonce);
  }
}

function sameSite(a: string, b: string): boolean {
  const siteA = registrableDomain(a);
  return siteA !== null && siteA === registrableDomain(b);
}

/**
 * At most `limit` new reservations per tab in any `windowMs`: a page that found a way to drive fills still
 * cannot burn through a site's codes.
 */
export class FillThrottle {
  private readonly recent = new Map<number, number[]>();

  constructor(
    private readonly limit = 5,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  take(tabId: number): void {
    const now = this.now();
    const times = (this.recent.get(tabId) ?? []).filter((t) => now - t < this.windowMs);
    if (times.length >= this.limit) {
      this.recent.set(tabId, times);
      throw new SpareError(
        'too-many-requests',
        'Spare filled several codes in this tab just now. Wait a minute, then try again.',
      );
    }
    times.push(now);
    this.recent.set(tabId, times);
  }

  dropTab(tabId: number): void {
    this.recent.delete(tabId);
  }
}
