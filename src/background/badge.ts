/**
 * The toolbar badge: while the vault is unlocked, each tab's badge shows how many codes are left for its
 * site, so the active tab shows its own. Locking clears every badge. The browser reveals a tab's URL only
 * for the sites Spare holds a permission for, which are exactly the sites with accounts.
 */
import { browser } from 'wxt/browser';

export interface BadgeSource {
  /** Codes left over every account of the page's site; null when the vault is locked or has no account for it. */
  leftFor(url: string): Promise<number | null>;
}

export class Badge {
  private pending: Promise<void> | null = null;
  private again = false;

  constructor(private readonly source: BadgeSource) {}

  /** Recomputes every tab's badge; calls that come while one runs are folded into one more run. */
  refresh(): void {
    if (this.pending) {
      this.again = true;
      return;
    }
    this.pending = this.refreshAll()
      .catch((error: unknown) => console.error('Spare: badge', error))
      .finally(() => {
        this.pending = null;
        if (this.again) {
          this.again = false;
          this.refresh();
        }
      });
  }

  async refreshTab(tabId: number, url: string | undefined): Promise<void> {
    const left = url ? await this.source.leftFor(url) : null;
    await browser.action.setBadgeText({ tabId, text: left === null ? '' : String(left) });
    if (left !== null) {
      await browser.action.setBadgeBackgroundColor({ tabId, color: left <= 2 ? '#b3261e' : '#1f5fbf' });
    }
  }

  private async refreshAll(): Promise<void> {
    const tabs = await browser.tabs.query({});
    for (const tab of tabs) {
      if (tab.id !== undefined) await this.refreshTab(tab.id, tab.url).catch(() => undefined);
    }
  }

  /** Listeners for tab switches and navigations; registered synchronously at start-up. */
  listen(): void {
    browser.tabs.onActivated.addListener(({ tabId }) => {
      void browser.tabs.get(tabId).then(
        (tab) => this.refreshTab(tabId, tab.url),
        () => undefined,
      );
    });
    browser.tabs.onUpdated.addListener((tabId, change, tab) => {
      if (change.url !== undefined || change.status === 'complete') {
        void this.refreshTab(tabId, tab.url).catch(() => undefined);
      }
    });
  }
}
