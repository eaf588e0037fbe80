import type { PageRequest, PageResponses } from '../../../src/messaging';
import type { Dumped, SpareLab } from '../lab/lab';
import type { ExtensionBrowser } from './browsers';
import type { TestPage } from './test-page';

/**
 * The e2e build's test-only extension page (entrypoints/lab): runs code inside a real, trusted extension
 * page — the crypto known-answer tests, timings, page requests to the real background, storage dumps.
 */
export class LabPage {
  private constructor(private readonly page: TestPage) {}

  static async open(browser: ExtensionBrowser): Promise<LabPage> {
    const page = await browser.newPage();
    await page.open(`${browser.extensionOrigin}/lab.html`);
    await page.waitForText('ready');
    return new LabPage(page);
  }

  /** The host permissions the browser holds for Spare now. */
  grantedOrigins(): Promise<string[]> {
    return this.page.evaluate(() => spareLab.grantedOrigins(), undefined);
  }

  /** A value in the extension's `storage.local` (test builds stamp timings there). */
  localValue(key: string): Promise<unknown> {
    return this.page.evaluate((k) => spareLab.localValue(k), key);
  }

  setLocalValue(key: string, value: unknown): Promise<void> {
    return this.page.evaluate(([k, v]) => spareLab.setLocalValue(k, v), [key, value] as const);
  }

  /** A value in the extension's `storage.session`, where the background keeps what must not outlive a lock. */
  sessionValue(key: string): Promise<unknown> {
    return this.page.evaluate((k) => spareLab.sessionValue(k), key);
  }

  /** The API permissions Spare holds now (manifest and optional). */
  permissions(): Promise<string[]> {
    return this.page.evaluate(() => spareLab.apiPermissions(), undefined);
  }

  removePermissions(permissions: string[]): Promise<boolean> {
    return this.page.evaluate((p) => spareLab.removePermissions(p), permissions);
  }

  knownAnswerTests(): Promise<{ name: string; ok: boolean; detail?: string }[]> {
    return this.page.evaluate(() => spareLab.knownAnswerTests(), undefined);
  }

  timeDefaultKdf(runs: number): Promise<number[]> {
    return this.page.evaluate((n) => spareLab.timeDefaultKdf(n), runs);
  }

  dumpStorage(): Promise<Record<string, Dumped>> {
    return this.page.evaluate(() => spareLab.dumpStorage(), undefined);
  }

  /** Flips a bit in one account record's ciphertext in IndexedDB; answers the record as stored now. */
  damageAccountRecord(id: string): Promise<Dumped> {
    return this.page.evaluate((recordId) => spareLab.damageAccountRecord(recordId), id);
  }

  /** One account record exactly as IndexedDB holds it (bytes as hex), or null when there is none. */
  accountRecord(id: string): Promise<Dumped> {
    return this.page.evaluate((recordId) => spareLab.accountRecord(recordId), id);
  }

  request<R extends PageRequest>(request: R): Promise<PageResponses[R['type']]> {
    return this.page.evaluate((r) => spareLab.request(r), request) as Promise<PageResponses[R['type']]>;
  }

  /** Runs many requests inside the page, so that seeding does not pay a round trip per request. */
  requestAll(requests: PageRequest[]): Promise<unknown[]> {
    return this.page.evaluate(async (rs) => {
      const out: unknown[] = [];
      for (const r of rs) out.push(await spareLab.request(r));
      return out;
    }, requests);
  }

  /** Milliseconds from sending `unlock` to having every account summary, measured inside the page. */
  timeUnlockToList(password: string): Promise<{ ms: number; accounts: number }> {
    return this.page.evaluate(async (pw) => {
      const start = performance.now();
      await spareLab.request({ type: 'unlock', password: pw });
      const list = (await spareLab.request({ type: 'list-accounts' })) as unknown[];
      return { ms: performance.now() - start, accounts: list.length };
    }, password);
  }

  /** Everything in this profile's `storage.sync`. */
  syncItems(): Promise<Record<string, unknown>> {
    return this.page.evaluate(() => spareLab.syncItems(), undefined);
  }

  /** Makes this profile's `storage.sync` equal `items`, with change events, as the sync engine would. */
  replaceSyncItems(items: Record<string, unknown>): Promise<void> {
    return this.page.evaluate((i) => spareLab.replaceSyncItems(i), items);
  }

  /** Other synced data takes all but `leaveBytes` of the sync quota. */
  fillSyncQuota(leaveBytes: number): Promise<number> {
    return this.page.evaluate((n) => spareLab.fillSyncQuota(n), leaveBytes);
  }

  close(): Promise<void> {
    return this.page.close();
  }
}

// Inside the page, entrypoints/lab exposes this global; the functions above run there.
declare const spareLab: SpareLab;
