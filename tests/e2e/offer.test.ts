/**
 * The reason Spare exists (design §1 story 4, §4.6): on a login page that asks for a backup code, the offer
 * appears beside the field, fills the next unused code on ArrowDown + Enter or a click, and the page's submit
 * crosses it off. Driven with real keys and clicks in real Chromium and Firefox, with the e2e build.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { Account } from '../../src/core/vault';
import { PopupPage } from './pages/popup-page';
import { SitePage } from './pages/site-page';
import { BROWSERS, type ExtensionBrowser } from './support/browsers';
import { LabPage } from './support/lab';
import { startSiteServer, type SiteServer } from './support/site-server';
import { sleep, until } from './support/until';

const PASSWORD = 'quiet-orchard-lantern-42';
const CODES = ['1111 1111', '2222 2222', '3333 3333', '4444 4444', '5555 5555'];
const FIELD = '#code';
describe.each(BROWSERS)('the offer in $name', ({ name, launch }) => {
  let browser: ExtensionBrowser;
  let site: SiteServer;
  let lab: LabPage;
  let account: Account;

  const states = async () => (await lab.request({ type: 'get-account', accountId: account.id })).codes;
  const usedCount = async () => (await states()).filter((c) => c.state === 'used').length;
  const reservedCount = async () => (await states()).filter((c) => c.state === 'reserved').length;

  async function openPage(path = '/login-backup-code.html', host?: string): Promise<SitePage> {
    const url = host ? site.url(path).replace('localhost', host) : site.url(path);
    return new SitePage(await browser.newPage()).open(url);
  }

  /** Focuses the backup-code field with a real click and waits for the offer to be ready for input. */
  async function focusField(page: SitePage, name = 'Backup code', expect = 'Fill code for alice') {
    await page.page.click({ role: 'textbox', name });
    await page.waitForOffer(expect);
  }

  beforeAll(async () => {
    site = await startSiteServer('localhost');
    browser = await launch();
    lab = await LabPage.open(browser);
    await lab.request({ type: 'create-vault', password: PASSWORD });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  beforeEach(async () => {
    if ((await lab.request({ type: 'status' })).state === 'locked') {
      await lab.request({ type: 'unlock', password: PASSWORD });
    }
    for (const old of await lab.request({ type: 'list-accounts' })) {
      await lab.request({ type: 'delete-account', accountId: old.id });
    }
    account = await lab.request({
      type: 'add-account',
      account: { site: 'localhost', label: 'alice', codes: CODES.map((value) => ({ value })) },
    });
  });

  test('ArrowDown then Enter fills the next code; the submit crosses it off and the popup shows one less', async () => {
    const page = await openPage();
    await focusField(page);
    expect(await page.offerText()).toContain('5 of 5 left');
    await page.page.press('ArrowDown');
    await page.page.press('Enter');
    await until(
      () => page.value(FIELD),
      (v) => v === CODES[0],
      'the field value',
    );
    expect(await page.offerOpen()).toBe(false);
    // Filled but not submitted: reserved, and still counted as left (§4.6).
    expect(await reservedCount()).toBe(1);
    expect((await lab.request({ type: 'list-accounts' }))[0]).toMatchObject({ left: 5, total: 5 });

    expect(await page.messages()).toEqual([]);

    // Enter's key-down in the field submits the form.
    await page.page.press('Enter');
    await until(usedCount, (n) => n === 1, 'used codes');
    const used = (await states()).find((c) => c.state === 'used')!;
    expect(used.value).toBe(CODES[0]);
    expect(used.usedOn).toContain('/login-backup-code.html');

    const popup = await PopupPage.open(browser);
    expect(await popup.accountText('localhost')).toContain('4 of 5 left');
    await popup.close();
    await page.page.close();
  });

  test('a click fills too; a second fill gives another code; leaving without a submit gives it back', async () => {
    const page = await openPage();
    await focusField(page);
    await page.clickInOffer({ role: 'button', name: 'Fill code for alice' });
    await until(
      () => page.value(FIELD),
      (v) => v === CODES[0],
      'the first fill',
    );

    // The user clears the field and asks again: a different code, and the first goes back.
    await page.page.evaluate((s) => {
      const field = document.querySelector<HTMLInputElement>(s)!;
      field.value = '';
      field.blur();
    }, FIELD);
    await focusField(page);
    await page.page.press('ArrowDown');
    await page.page.press('Enter');
    await until(
      () => page.value(FIELD),
      (v) => v === CODES[1],
      'the second fill',
    );
    const afterSecond = await states();
    expect(afterSecond.map((c) => c.state)).toEqual(['unused', 'reserved', 'unused', 'unused', 'unused']);

    await page.open(site.url('/login-one-time-code.html'));
    await until(reservedCount, (n) => n === 0, 'reserved codes after leaving');
    expect(await usedCount()).toBe(0);
    await page.page.close();
  });

  // Firefox's keys over WebDriver BiDi arrive too slowly to land inside the half second reliably; the guard
  // itself is shared code, tested on its own in tests/dom/content/guards.test.ts.
  test.skipIf(name === 'firefox')(
    'input in the first half second after the offer appears is refused',
    async () => {
      const page = await openPage();
      await page.page.click({ role: 'textbox', name: 'Backup code' });
      await until(() => page.offerOpen(), Boolean, 'the offer');
      await until(
        () => page.offerText(),
        (t) => t?.includes('Fill code for alice') ?? false,
        'offer content',
      );
      await page.page.press('ArrowDown');
      await sleep(100);
      await page.page.press('Enter');
      await until(
        () => page.offerText(),
        (t) => t?.includes('Press Enter again') ?? false,
        'the refusal',
      );
      expect(await page.value(FIELD)).toBe('');
      expect(await reservedCount()).toBe(0);
      await sleep(700);
      await page.page.press('Enter');
      await until(
        () => page.value(FIELD),
        (v) => v === CODES[0],
        'the fill after the pause',
      );
      await page.page.close();
    },
  );

  test('another site gets no offer and no code (127.0.0.1 is not localhost)', async () => {
    const page = await openPage('/login-backup-code.html', '127.0.0.1');
    await page.page.click({ role: 'textbox', name: 'Backup code' });
    await sleep(1500);
    expect(await page.offerOpen()).toBe(false);
    await page.page.press('ArrowDown');
    await sleep(300);
    expect(await page.offerOpen()).toBe(false);
    expect(await page.value(FIELD)).toBe('');
    expect(await reservedCount()).toBe(0);
    await page.page.close();
  });

  test('two tabs, each with its offer open, get two different codes', async () => {
    const [a, b] = [await openPage(), await openPage()];
    for (const page of [a, b]) {
      await page.page.bringToFront();
      await focusField(page);
    }
    for (const page of [a, b]) {
      await page.page.bringToFront();
      await page.page.press('ArrowDown');
      await page.page.press('Enter');
    }
    const va = await until(
      () => a.value(FIELD),
      (v) => v !== '',
      'tab A',
    );
    const vb = await until(
      () => b.value(FIELD),
      (v) => v !== '',
      'tab B',
    );
    expect(new Set([va, vb]).size).toBe(2);
    expect(CODES).toContain(va);
    expect(CODES).toContain(vb);
    expect(await reservedCount()).toBe(2);
    await a.page.close();
    await b.page.close();
    await until(reservedCount, (n) => n === 0, 'reserved codes after both tabs closed');
  });

  test('a locked vault offers Unlock; once unlocked the offer updates and Enter fills', async () => {
    await lab.request({ type: 'lock' });
    const page = await openPage();
    await focusField(page, 'Backup code', 'Unlock Spare');
    expect(await page.offerText()).toContain('Spare is locked');
    await lab.request({ type: 'unlock', password: PASSWORD });
    await page.waitForOffer('Fill code for alice');
    await page.page.press('ArrowDown');
    await page.page.press('Enter');
    await until(
      () => page.value(FIELD),
      (v) => v === CODES[0],
      'the fill after unlocking',
    );
    await page.page.close();
  });

  test('a one-time-code field shows the key icon instead; ArrowDown opens the offer and Enter fills', async () => {
    const page = await openPage('/login-one-time-code.html');
    await page.page.click({ role: 'textbox', name: 'Security code' });
    await until(() => page.iconShown(), Boolean, 'the key icon');
    await sleep(500);
    expect(await page.offerOpen()).toBe(false);
    await page.page.press('ArrowDown');
    await page.waitForOffer('Fill code for alice');
    await page.page.press('Enter');
    await until(
      () => page.value('#otp'),
      (v) => v === CODES[0],
      'the OTP field',
    );
    await page.page.close();
  });

  test('Escape in the offer closes it and gives focus back to the field', async () => {
    const page = await openPage();
    await focusField(page);
    await page.page.press('ArrowDown');
    await sleep(200);
    // Escape closes the frame that has focus: release the key only once it is gone (see TestPage.keyDown).
    await page.page.keyDown('Escape');
    await until(
      () => page.offerOpen(),
      (open) => !open,
      'the offer closing',
    );
    await page.page.keyUp('Escape');
    await until(
      () => page.page.evaluate(() => document.activeElement?.id ?? '', undefined),
      (id) => id === 'code',
      'focus back in the field',
    );
    await page.page.close();
  });

  test('React: the backup-code field the page swaps in gets the offer; the fill reaches React; Confirm crosses it off', async () => {
    const page = await openPage('/instagram-two-factor.html');
    await page.page.click({ role: 'textbox', name: 'Security code' });
    await until(() => page.iconShown(), Boolean, 'the key icon in the security-code field');
    // "Use a backup code" renders a new input element (an SPA swapping the field); React focuses it.
    await page.page.click({ role: 'button', name: 'Use a backup code' });
    await page.waitForOffer('Fill code for alice');
    await page.page.press('ArrowDown');
    await page.page.press('Enter');
    await until(
      () => page.value('#backup-code'),
      (v) => v === CODES[0],
      'the React field',
    );
    // React took the value into its state: its Confirm button is enabled only when the state holds a code.
    await page.page.click({ role: 'button', name: 'Confirm' });
    await page.page.waitForText("You're logged in");
    const submitted = await page.page.evaluate(
      () => (window as unknown as { submittedCodes: string[] }).submittedCodes,
      undefined,
    );
    expect(submitted).toEqual([CODES[0]]);
    await until(usedCount, (n) => n === 1, 'used codes after Confirm (a type=button button)');
    expect(await page.messages()).toEqual([]);
    await page.page.close();
  });

  test('a refused code is not offered again: the field the site shows again gets the next code', async () => {
    const page = await openPage('/instagram-two-factor.html?refuse=1');
    await page.page.click({ role: 'button', name: 'Use a backup code' });
    await page.waitForOffer('Fill code for alice');
    await page.clickInOffer({ role: 'button', name: 'Fill code for alice' });
    await until(
      () => page.value('#backup-code'),
      (v) => v === CODES[0],
      'the first fill',
    );
    await page.page.click({ role: 'button', name: 'Confirm' });
    await page.page.waitForText("That code isn't valid");
    await until(usedCount, (n) => n === 1, 'the refused code crossed off');
    // The page renders a new, empty field; the user clicks into it.
    await page.page.click({ role: 'textbox', name: 'Backup code' });
    await page.waitForOffer('4 of 5 left');
    await page.page.press('ArrowDown');
    await page.page.press('Enter');
    await until(
      () => page.value('#backup-code'),
      (v) => v === CODES[1],
      'the second fill',
    );
    await page.page.click({ role: 'button', name: 'Confirm' });
    await page.page.waitForText("You're logged in");
    await until(usedCount, (n) => n === 2, 'both codes used');
    await page.page.close();
  });

  test('a same-site frame gets the offer; a cross-origin frame gets nothing', async () => {
    // An account for the frame's own site too: the top page must match as well.
    await lab.request({
      type: 'add-account',
      account: { site: '127.0.0.1', label: 'bob', codes: [{ value: '9999 9999' }] },
    });
    const same = await openPage('/frame-same-site.html');
    const fieldIn = (p: SitePage) =>
      p.page.evaluate(() => {
        const frame = document.getElementById('frame') as HTMLIFrameElement;
        const doc = frame.contentDocument;
        const field = doc?.getElementById('code');
        if (!field) return null;
        const f = frame.getBoundingClientRect();
        const r = field.getBoundingClientRect();
        return {
          x: f.left + frame.clientLeft + r.left + r.width / 2,
          y: f.top + frame.clientTop + r.top + r.height / 2,
        };
      }, undefined);
    const at = await until(() => fieldIn(same), Boolean, 'the framed field');
    await same.page.clickAt(at!.x, at!.y);
    const framedOffer = () =>
      same.page.evaluate(
        () =>
          (document.getElementById('frame') as HTMLIFrameElement).contentDocument
            ?.querySelector('spare-offer')
            ?.matches(':popover-open') ?? false,
        undefined,
      );
    await until(framedOffer, Boolean, 'the offer in the same-site frame');
    await sleep(1500);
    await same.page.press('ArrowDown');
    await same.page.press('Enter');
    await until(
      () =>
        same.page.evaluate(
          () =>
            (
              (document.getElementById('frame') as HTMLIFrameElement).contentDocument!.getElementById(
                'code',
              ) as HTMLInputElement
            ).value,
          undefined,
        ),
      (v) => v === CODES[0],
      'the framed field',
    );
    await same.page.close();

    const cross = await openPage('/frame-cross-origin.html');
    const frameRect = await cross.page.evaluate(() => {
      const r = document.getElementById('frame')!.getBoundingClientRect();
      return { x: r.left, y: r.top };
    }, undefined);
    const inner = await until(
      () =>
        cross.page.evaluateInFrame(
          '127.0.0.1',
          () => {
            const r = document.getElementById('code')?.getBoundingClientRect();
            return r ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : null;
          },
          undefined,
        ),
      Boolean,
      'the cross-origin framed field',
    );
    await cross.page.clickAt(frameRect.x + 2 + inner!.x, frameRect.y + 2 + inner!.y);
    await sleep(1500);
    const crossState = await cross.page.evaluateInFrame(
      '127.0.0.1',
      () => ({
        focused: document.activeElement?.id ?? '',
        offer: document.querySelector('spare-offer') !== null,
      }),
      undefined,
    );
    expect(crossState).toEqual({ focused: 'code', offer: false });
    await cross.page.press('ArrowDown');
    await sleep(500);
    expect(await reservedCount()).toBe(0);
    await cross.page.close();
  });

  // The 2025 DOM-clickjacking attacks on password managers' in-page UI: each variant fills nothing.
  const attacks: [string, (field: string) => void][] = [
    ['a transparent html', () => void (document.documentElement.style.opacity = '0.01')],
    ['a transparent body', () => void (document.body.style.opacity = '0')],
    [
      'a transparent host',
      () =>
        document.querySelector<HTMLElement>('spare-offer')!.style.setProperty('opacity', '0', 'important'),
    ],
    [
      'an overlay with pointer-events: none over the page',
      () => {
        const cover = document.createElement('div');
        cover.style.cssText = 'position:fixed;inset:0;background:#fff;pointer-events:none;z-index:2147483647';
        document.body.append(cover);
      },
    ],
    [
      'a popover-layer cover over the offer',
      () => {
        const cover = document.createElement('div');
        cover.popover = 'manual';
        cover.style.cssText =
          'position:fixed;inset:0;width:100vw;height:100vh;margin:0;border:0;background:#fff;pointer-events:none';
        document.body.append(cover);
        cover.showPopover();
      },
    ],
    ['a hiding filter on the body', () => void (document.body.style.filter = 'opacity(0.02)')],
    [
      'a host scaled to nothing',
      () =>
        document
          .querySelector<HTMLElement>('spare-offer')!
          .style.setProperty('transform', 'scale(0.02)', 'important'),
    ],
    [
      'the field moved away between focus and Enter',
      (field) =>
        void (document.querySelector<HTMLElement>(field)!.style.cssText = 'position:relative;top:300px'),
    ],
    [
      'the field hidden between focus and Enter',
      (field) => void (document.querySelector<HTMLElement>(field)!.style.visibility = 'hidden'),
    ],
  ];

  // The same steps without an attack fill: what the variants refuse is the attack, not the timing.
  const controls: typeof attacks = [
    ['no attack (the control)', () => undefined],
    [
      'no attack: the page scrolls, and the offer follows the field',
      () => {
        document.body.style.minHeight = '3000px';
        scrollBy(0, 40);
      },
    ],
  ];
  test.each([...controls, ...attacks])('clickjacking: %s', async (variant, attack) => {
    const page = await openPage();
    await focusField(page);
    await page.page.press('ArrowDown');
    await sleep(100);
    await page.page.evaluate(attack, FIELD);
    await page.page.press('Enter');
    await sleep(800);
    const codes = await states();
    if (variant.startsWith('no attack')) {
      expect(await page.value(FIELD)).toBe(CODES[0]);
      expect(codes.filter((c) => c.state === 'reserved')).toHaveLength(1);
    } else {
      expect(await page.value(FIELD)).toBe('');
      expect(codes.every((c) => c.state === 'unused')).toBe(true);
      // The offer says why it did not fill.
      expect(await page.offerText()).toMatch(/will not fill|field|moved|hidden|Click it again/i);
    }
    await page.page.close();
  });
});
