import type { Page as PlaywrightPage } from 'playwright-core';
import type { Page as PuppeteerPage } from 'puppeteer-core';
import { findByRoleAndName, type AccessibleQuery } from './accessible-query';

/**
 * The few page operations the e2e tests need, the same for Playwright (Chromium) and Puppeteer over
 * WebDriver BiDi (Firefox). Elements are found by role and accessible name, as a person (and a screen
 * reader) finds them; input goes through real mouse and keyboard events.
 */
export interface TestPage {
  open(url: string): Promise<void>;
  url(): string;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  waitFor(query: AccessibleQuery, timeoutMs?: number): Promise<void>;
  waitForText(text: string, timeoutMs?: number): Promise<void>;
  isPresent(query: AccessibleQuery): Promise<boolean>;
  click(query: AccessibleQuery): Promise<void>;
  type(query: AccessibleQuery, text: string): Promise<void>;
  press(key: string): Promise<void>;
  /**
   * Half a key press. A key that closes the focused frame must be released only after it closed: Chromium
   * routes a key-up to the frame that had focus, and when that frame is already gone the driver can wait
   * for ever for the browser to acknowledge it.
   */
  keyDown(key: string): Promise<void>;
  keyUp(key: string): Promise<void>;
  /** A real mouse click at page coordinates (CSS pixels of the viewport). */
  clickAt(x: number, y: number): Promise<void>;
  /** Makes this tab the active one (keyboard focus follows). */
  bringToFront(): Promise<void>;

  /** Runs `fn` in the first frame whose URL contains `urlPart`; null when there is no such frame. */
  evaluateInFrame<R, A>(urlPart: string, fn: (arg: A) => R | Promise<R>, arg: A): Promise<R | null>;
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT = 15_000;
/**
 * Neither driver bounds an evaluation or a key press: a frame whose script context never arrives (an extension
 * frame being replaced, say) keeps a call pending for ever, and a test that polls through it hangs until
 * vitest's 60 s limit with no clue. Every driver call here settles within its bound, or fails saying which call
 * hung. Input and probes of a frame are quick; an evaluation in a page may do real work (the lab seeds 1,000
 * accounts in one), so it gets most of a test's time.
 */
const INPUT_TIMEOUT = 10_000;
const EVALUATE_TIMEOUT = 45_000;

function bounded<T>(what: string, call: Promise<T>, ms = INPUT_TIMEOUT): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle in ${ms / 1000} s`)), ms);
  });
  return Promise.race([call, hung]).finally(() => clearTimeout(timer));
}

abstract class BaseTestPage implements TestPage {
  abstract open(url: string): Promise<void>;
  abstract url(): string;
  abstract evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  abstract press(key: string): Promise<void>;
  abstract keyDown(key: string): Promise<void>;
  abstract keyUp(key: string): Promise<void>;
  abstract bringToFront(): Promise<void>;
  abstract evaluateInFrame<R, A>(urlPart: string, fn: (arg: A) => R | Promise<R>, arg: A): Promise<R | null>;
  abstract screenshot(path: string): Promise<void>;
  abstract close(): Promise<void>;
  protected abstract mouseClick(x: number, y: number): Promise<void>;
  protected abstract keyboardType(text: string): Promise<void>;

  async waitFor(query: AccessibleQuery, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    await this.poll(() => this.isPresent(query), timeoutMs, `no ${describe(query)} on ${this.url()}`);
  }

  async waitForText(text: string, timeoutMs = DEFAULT_TIMEOUT): Promise<void> {
    await this.poll(
      () => this.evaluate((t) => document.body?.innerText.includes(t) ?? false, text),
      timeoutMs,
      `text "${text}" never appeared on ${this.url()}`,
    );
  }

  async isPresent(query: AccessibleQuery): Promise<boolean> {
    return this.evaluate(
      ([find, q]) => {
        const fn = new Function(`return (${find})`)() as (q: AccessibleQuery) => Element | null;
        return fn(q) !== null;
      },
      [findByRoleAndName.toString(), query] as const,
    );
  }

  async click(query: AccessibleQuery): Promise<void> {
    await this.waitFor(query);
    const point = await this.centreOf(query);
    await this.mouseClick(point.x, point.y);
  }

  clickAt(x: number, y: number): Promise<void> {
    return this.mouseClick(x, y);
  }

  async type(query: AccessibleQuery, text: string): Promise<void> {
    await this.click(query);
    await this.keyboardType(text);
  }

  private async centreOf(query: AccessibleQuery): Promise<{ x: number; y: number }> {
    return this.evaluate(
      ([find, q]) => {
        const fn = new Function(`return (${find})`)() as (q: AccessibleQuery) => Element | null;
        const el = fn(q)!;
        el.scrollIntoView({ block: 'center' });
        const r = el.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      },
      [findByRoleAndName.toString(), query] as const,
    );
  }

  private async poll(check: () => Promise<boolean>, timeoutMs: number, failure: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        if (await check()) return;
      } catch {
        // The page may be mid-navigation; try again until the deadline.
      }
      if (Date.now() > deadline) throw new Error(`${failure}; the page showed: ${await this.visibleText()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** What the page shows at a failure, so a flake in CI says what was there instead (the URL alone does not). */
  private async visibleText(): Promise<string> {
    try {
      const text = await bounded(
        'reading the page text',
        this.evaluate(() => document.body?.innerText ?? '', undefined),
        5_000,
      );
      return JSON.stringify(text.replace(/\s+/g, ' ').trim().slice(0, 400));
    } catch (error) {
      return `(unreadable: ${(error as Error).message})`;
    }
  }
}

function describe(q: AccessibleQuery): string {
  return `${q.role ?? 'element'} named "${q.name}"`;
}

export class PlaywrightTestPage extends BaseTestPage {
  constructor(private readonly page: PlaywrightPage) {
    super();
  }
  async open(url: string) {
    await this.page.goto(url);
  }
  url() {
    return this.page.url();
  }
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
    return bounded(
      `evaluate on ${this.url()}`,
      this.page.evaluate(fn as never, arg) as Promise<R>,
      EVALUATE_TIMEOUT,
    );
  }
  async press(key: string) {
    await bounded(`pressing ${key}`, this.page.keyboard.press(key));
  }
  async keyDown(key: string) {
    await bounded(`${key} down`, this.page.keyboard.down(key));
  }
  async keyUp(key: string) {
    await bounded(`${key} up`, this.page.keyboard.up(key));
  }
  async bringToFront() {
    await this.page.bringToFront();
  }
  async evaluateInFrame<R, A>(urlPart: string, fn: (arg: A) => R | Promise<R>, arg: A): Promise<R | null> {
    const frame = this.page.frames().find((f) => f.url().includes(urlPart));
    return frame
      ? ((await bounded(`evaluate in ${frame.url()}`, frame.evaluate(fn as never, arg))) as R)
      : null;
  }
  async screenshot(path: string) {
    await this.page.screenshot({ path });
  }
  async close() {
    await this.page.close();
  }
  protected async mouseClick(x: number, y: number) {
    await bounded(`a click at ${x},${y}`, this.page.mouse.click(x, y));
  }
  protected async keyboardType(text: string) {
    await this.page.keyboard.type(text);
  }
}

export class PuppeteerTestPage extends BaseTestPage {
  constructor(
    private readonly page: PuppeteerPage,
    private readonly browserName: 'firefox' | 'chromium',
  ) {
    super();
  }
  async open(url: string) {
    if (this.browserName === 'firefox' && url.startsWith('moz-extension:')) {
      // Firefox never reports the load of a moz-extension:// page over BiDi: callers wait for content.
      void this.page.goto(url).catch(() => undefined);
      await this.waitUntilLoaded(url);
      return;
    }
    await this.page.goto(url);
  }
  private async waitUntilLoaded(url: string) {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const ready = await this.page
        .evaluate((u) => location.href === u && document.readyState !== 'loading', url)
        .catch(() => false);
      if (ready) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${url} did not load`);
  }
  url() {
    return this.page.url();
  }
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
    return bounded(
      `evaluate on ${this.url()}`,
      this.page.evaluate(fn as never, arg) as Promise<R>,
      EVALUATE_TIMEOUT,
    );
  }
  async press(key: string) {
    await bounded(`pressing ${key}`, this.page.keyboard.press(key as never));
  }
  async keyDown(key: string) {
    await bounded(`${key} down`, this.page.keyboard.down(key as never));
  }
  async keyUp(key: string) {
    await bounded(`${key} up`, this.page.keyboard.up(key as never));
  }
  async bringToFront() {
    await this.page.bringToFront();
  }
  async evaluateInFrame<R, A>(urlPart: string, fn: (arg: A) => R | Promise<R>, arg: A): Promise<R | null> {
    // Over WebDriver BiDi an extension frame's url() stays about:blank: ask the frame itself (design §6).
    for (const frame of this.page.frames()) {
      const href = await bounded(
        'reading a frame URL',
        frame.evaluate(() => location.href),
      ).catch(() => '');
      if (href.includes(urlPart)) {
        return (await bounded(`evaluate in ${href}`, frame.evaluate(fn as never, arg as never))) as R;
      }
    }
    return null;
  }
  async screenshot(path: string) {
    await this.page.screenshot({ path });
  }
  async close() {
    await this.page.close();
  }
  protected async mouseClick(x: number, y: number) {
    await bounded(`a click at ${x},${y}`, this.page.mouse.click(x, y));
  }
  protected async keyboardType(text: string) {
    await this.page.keyboard.type(text);
  }
}
