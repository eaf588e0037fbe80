import { afterEach, describe, expect, it } from 'vitest';
import { classify, DETECTOR_VERSION, scan } from '../../../src/detect';
import { openHtml } from './load';
import type { Window } from 'happy-dom';

let open: Window | null = null;
function page(html: string, url?: string): Document {
  open = openHtml(html, url);
  return open.document as unknown as Document;
}
afterEach(async () => {
  await open?.happyDOM.close();
  open = null;
});
const kindOf = (doc: Document, selector: string) => classify(doc.querySelector(selector)!)?.kind ?? null;

describe('fields that cannot be used are never returned', () => {
  const cases: Array<[string, string]> = [
    ['type=hidden', '<input type="hidden" id="f" name="backup_code">'],
    ['hidden attribute', '<input hidden id="f">'],
    ['display:none ancestor', '<div style="display:none"><input id="f"></div>'],
    ['visibility:hidden', '<input id="f" style="visibility:hidden">'],
    ['opacity 0', '<div style="opacity:0"><input id="f"></div>'],
    ['pushed off-screen (honeypot)', '<div style="position:absolute;left:-5000px"><input id="f"></div>'],
    ['disabled', '<input id="f" disabled>'],
    ['inside a disabled fieldset', '<fieldset disabled><input id="f"></fieldset>'],
    ['read-only', '<input id="f" readonly>'],
  ];
  it.each(cases)('%s', (_name, field) => {
    const doc = page(`<form><label for="f">Backup code</label>${field}</form>`);
    expect(kindOf(doc, '#f')).toBeNull();
  });
  it('the same field, usable, is returned (the cases above fail for the right reason)', () => {
    const doc = page('<form><label for="f">Backup code</label><input id="f"></form>');
    expect(kindOf(doc, '#f')).toBe('backup-code');
  });
});

describe('labels in every supported language', () => {
  const backup = [
    'Backup code',
    'Recovery code',
    'Scratch code',
    'Wiederherstellungscode',
    'Backup-Code',
    'Code de secours',
    'Code de récupération',
    'Código de respaldo',
    'Código de recuperación',
    'Codice di recupero',
    'Código de recuperação',
    'Herstelcode',
    'Kod zapasowy',
    'Yedek kod',
    'Kurtarma kodu',
    'Резервный код',
    'Код восстановления',
    'バックアップコード',
    'リカバリーコード',
    '备用码',
    '恢复码',
    '백업 코드',
    '복구 코드',
  ];
  const otp = [
    'Authentication code',
    'Verification code',
    'One-time password',
    'Bestätigungscode',
    'Code de vérification',
    "Code d'authentification",
    'Código de verificación',
    'Codice di verifica',
    'Código de verificação',
    'Verificatiecode',
    'Kod weryfikacyjny',
    'Doğrulama kodu',
    'Код подтверждения',
    '確認コード',
    '认证码',
    '인증 코드',
  ];
  const none = [
    'Coupon code',
    'Promo code',
    'Gift card code',
    'Invite code',
    'Referral code',
    'ZIP code',
    'Postal code',
    'CVV',
    'Country code',
    'Captcha',
    'Reset code',
    'Gutscheincode',
    'Code promo',
    'Cupón',
    'Codice sconto',
    'Cupom',
    'Kortingscode',
    'Kod rabatowy',
    'İndirim kodu',
    'Промокод',
    'クーポンコード',
    '优惠码',
    '쿠폰 코드',
    'Search',
  ];
  // A two-factor heading around every field: negatives must win over it, positives must not need it.
  const field = (label: string) =>
    `<h1>Two-factor authentication</h1><form><label for="f">${label}</label><input id="f" name="code"></form>`;
  it.each(backup)('%s → backup-code', (label) =>
    expect(kindOf(page(field(label)), '#f')).toBe('backup-code'),
  );
  it.each(otp)('%s → one-time-code', (label) =>
    expect(kindOf(page(field(label)), '#f')).toBe('one-time-code'),
  );
  it.each(none)('%s → nothing', (label) => expect(kindOf(page(field(label)), '#f')).toBeNull());
  it('a bare label alone is enough for a specific term', () => {
    expect(kindOf(page('<label>Recovery code <input id="f"></label>'), '#f')).toBe('backup-code');
  });
});

describe('shape', () => {
  it('split one-digit boxes come back as one group of one-time-code fields', () => {
    const boxes = Array.from(
      { length: 6 },
      (_, i) => `<input id="d${i}" maxlength="1" inputmode="numeric">`,
    ).join('');
    const doc = page(
      `<h2>Enter the 6-digit verification code</h2><form><div class="otp">${boxes}</div></form>`,
    );
    const found = scan(doc);
    expect(found).toHaveLength(6);
    for (const d of found) {
      expect(d.kind).toBe('one-time-code');
      expect(d.group?.map((b) => b.id)).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5']);
      expect(d.reasons.join(' ')).toContain('6 one-character boxes');
    }
  });

  it('open shadow roots are scanned, closed ones are not reachable', () => {
    const doc = page('<h1>Two-factor authentication</h1><div id="open"></div><div id="closed"></div>');
    const openRoot = doc.getElementById('open')!.attachShadow({ mode: 'open' });
    openRoot.innerHTML = '<label for="rc">Recovery code</label><input id="rc">';
    const closedRoot = doc.getElementById('closed')!.attachShadow({ mode: 'closed' });
    closedRoot.innerHTML = '<label for="rc2">Recovery code</label><input id="rc2">';
    const found = scan(doc);
    expect(found.map((d) => d.element.id)).toEqual(['rc']);
    expect(found[0]!.kind).toBe('backup-code');
    expect(scan(openRoot).map((d) => d.element.id)).toEqual(['rc']);
  });

  it('a field with nothing code-like about it is not returned even on a two-factor page', () => {
    const doc = page(
      '<h1>Two-factor authentication</h1><form><label for="n">Nickname</label><input id="n"><input id="m"></form>',
    );
    expect(scan(doc)).toEqual([]);
  });

  it('a lone unlabelled field right under a prompt is returned, with the prompt as its reason', () => {
    const doc = page(
      '<form><p>Enter one of your backup codes:</p><input id="f"><button>Verify</button></form>',
    );
    const d = classify(doc.querySelector('#f')!);
    expect(d?.kind).toBe('backup-code');
    expect(d?.reasons.join(' | ')).toMatch(/nearby text: ".*backup codes/);
  });

  it('password-reset and payment forms rule out code-like fields', () => {
    const reset = page(
      '<h1>Reset your password</h1><form><label for="c">Verification code</label><input id="c">' +
        '<input type="password" autocomplete="new-password"></form>',
    );
    expect(kindOf(reset, '#c')).toBeNull();
    const pay = page(
      '<form><input autocomplete="cc-number"><label for="s">Security code</label><input id="s"></form>',
    );
    expect(kindOf(pay, '#s')).toBeNull();
  });
});

describe('site hints', () => {
  it('make a wordless field a candidate of the hinted kind; without them it is ignored', () => {
    const doc = page('<form><input id="vc" name="vc"></form>');
    const el = doc.querySelector('#vc')!;
    expect(classify(el)).toBeNull();
    const d = classify(el, { names: ['vc'], kind: 'backup-code' });
    expect(d?.kind).toBe('backup-code');
    expect(d?.reasons[0]).toBe('site hint: name "vc"');
    expect(scan(doc, { ids: ['vc'] }).map((x) => x.kind)).toEqual(['one-time-code']);
  });
});

it('reports a version and reasons a person can read', () => {
  expect(DETECTOR_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  const doc = page(
    '<form><label for="f">Backup code</label><input id="f" autocomplete="one-time-code"></form>',
  );
  const d = classify(doc.querySelector('#f')!)!;
  expect(d.reasons[0]).toBe('label: "Backup code"');
  expect(d.reasons).toContain('autocomplete="one-time-code"');
  expect(d.confidence).toBeGreaterThan(0.5);
  expect(d.confidence).toBeLessThanOrEqual(1);
});
