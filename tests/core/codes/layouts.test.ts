/**
 * The parser, generalised (issue 10 §1): one describe per requirement, each with the layouts that defeated the
 * parser before (the six failures among them) and the near misses that must stay out.
 */
import { describe, expect, test } from 'vitest';
import { parseBackupCodes, type ParseOptions } from '../../../src/core/codes';

const codesOf = (text: string, opts?: ParseOptions) =>
  parseBackupCodes(text, opts).codes.map((code) => code.code);
const unused = (codes: string[]) => codes.map((code) => ({ code, used: false }));

describe('numbered lists, in reading order and in columns', () => {
  test('two numbered codes to a line, TAB between them (the issue: every code was lost)', () => {
    expect(codesOf('1. 123456\t 2. 654321\n3. 234567\t 4. 765432')).toEqual([
      '123456',
      '654321',
      '234567',
      '765432',
    ]);
  });

  test('two columns numbered top to bottom, as Google prints them, are read by their numbers', () => {
    const text = '1. 482913    4. 590214\n2. 771204    5. 118345\n3. 650127    6. 903461';
    expect(codesOf(text)).toEqual(['482913', '771204', '650127', '590214', '118345', '903461']);
  });

  test('"1:" numbers (Keycloak) and "(1)" numbers', () => {
    expect(codesOf('1: KQ4T-ZP7W-M2XR\n2: B9NC-V3HF-T6YD')).toEqual(['KQ4T-ZP7W-M2XR', 'B9NC-V3HF-T6YD']);
    expect(codesOf('(1) 4283f-efc63 (2) f0cd0-e873a')).toEqual(['4283f-efc63', 'f0cd0-e873a']);
  });

  test('short codes count only as items of a list, and a lone one not at all', () => {
    expect(codesOf('Ticket 123456 was closed.\n- 654321')).toEqual([]);
    expect(codesOf('123456\n654321')).toEqual([]);
  });
});

describe('multi-group codes', () => {
  test('four groups of four hex characters are one code, not four (the issue)', () => {
    expect(codesOf('a1b2 c3d4 e5f6 0718\n9a8b 7c6d 5e4f 3a2b')).toEqual([
      'a1b2 c3d4 e5f6 0718',
      '9a8b 7c6d 5e4f 3a2b',
    ]);
  });

  test('one long code shown as eight groups is one code (Bitwarden)', () => {
    expect(codesOf('Your recovery code:\nK7QD W2MX P9ZT R4NB H6VC J3LS F8GY E5UA')).toEqual([
      'K7QD W2MX P9ZT R4NB H6VC J3LS F8GY E5UA',
    ]);
  });

  test('eight-digit codes written two groups each on one line stay eight digits each', () => {
    expect(codesOf('1234 5678 2345 6789 3456 7890')).toEqual(['1234 5678', '2345 6789', '3456 7890']);
  });

  test('inside one file, the shape the list repeats decides', () => {
    // Three groups of four is no shape a site is known for; the list repeats it, so each line is one code, and
    // a line holding two such codes is cut after three groups.
    const text = 'ab12 cd34 ef56\ngh78 ij90 kl12\nmn34 op56 qr78 st90 uv12 wx34';
    expect(codesOf(text)).toEqual(['ab12 cd34 ef56', 'gh78 ij90 kl12', 'mn34 op56 qr78', 'st90 uv12 wx34']);
  });

  test('groups joined by dashes are one code: xxxxx-xxxxx, xxxx-xxxx, xxxx-xxxx-xxxx', () => {
    expect(codesOf('29326-ml64l\ng2tjf-8cz2k')).toEqual(['29326-ml64l', 'g2tjf-8cz2k']);
    expect(codesOf('qw7b-3pdk\nhx4p-y8gp')).toEqual(['qw7b-3pdk', 'hx4p-y8gp']);
    expect(codesOf('KQ4T-ZP7W-M2XR\nB9NC-V3HF-T6YD')).toEqual(['KQ4T-ZP7W-M2XR', 'B9NC-V3HF-T6YD']);
  });

  test('a word before the groups is not part of the code', () => {
    expect(codesOf('Code 1234 5678\nCode 2345 6789')).toEqual(['1234 5678', '2345 6789']);
  });
});

describe('a single code in a sentence that says what it is', () => {
  test.each([
    ['parentheses', 'Store your recovery key (ABCD-EFGH-2345-6789) in a safe place.'],
    ['quotes', 'Your backup code is "ABCD-EFGH-2345-6789". Keep it safe.'],
    ['curly quotes', 'Write down the recovery code “ABCD-EFGH-2345-6789” and keep it offline.'],
    ['a colon', 'Your emergency scratch code: ABCD-EFGH-2345-6789. Use it only once.'],
    ['German', 'Bewahre deinen Wiederherstellungsschlüssel („ABCD-EFGH-2345-6789“) sicher auf.'],
    ['French', 'Conservez votre code de secours (ABCD-EFGH-2345-6789) en lieu sûr.'],
  ])('%s', (_, text) => {
    expect(codesOf(text)).toEqual(['ABCD-EFGH-2345-6789']);
  });

  test('a sentence about something else keeps its code-shaped strings out', () => {
    expect(codesOf('Your order (ABCD-EFGH-2345-6789) has shipped.')).toEqual([]);
    expect(codesOf('Store your recovery key ABCD-EFGH-2345-6789 somewhere safe and offline.')).toEqual([]);
  });
});

describe('instruction examples are never codes', () => {
  const list = 'f0cd0-e873a\n0000c-6d07e\n4283f-efc63';
  test.each([
    ['like', 'Enter the code like 9a8b1-7c6d2 when asked.'],
    ['e.g.', 'Enter one code (e.g. 9a8b1-7c6d2) when asked.'],
    ['for example', 'Enter one code, for example 9a8b1-7c6d2, when asked.'],
    ['for example:', 'For example: 9a8b1-7c6d2'],
    ['such as', 'Codes such as 9a8b1-7c6d2 work once.'],
    ['German z. B.', 'Gib einen Code ein, z. B. 9a8b1-7c6d2, wenn du gefragt wirst.'],
    ['French par exemple', 'Saisissez un code, par exemple 9a8b1-7c6d2, à la connexion.'],
    ['Spanish por ejemplo', 'Introduce un código, por ejemplo 9a8b1-7c6d2, al iniciar sesión.'],
    ['Portuguese por exemplo', 'Digite um código, por exemplo 9a8b1-7c6d2, ao entrar.'],
    ['Italian ad esempio', 'Inserisci un codice, ad esempio 9a8b1-7c6d2, quando richiesto.'],
    ['Dutch bijvoorbeeld', 'Voer een code in, bijvoorbeeld 9a8b1-7c6d2, bij het inloggen.'],
    ['Polish np.', 'Wpisz kod, np. 9a8b1-7c6d2, przy logowaniu.'],
    ['Russian например', 'Введите код, например 9a8b1-7c6d2, при входе.'],
    ['Turkish örneğin', 'Bir kod girin, örneğin 9a8b1-7c6d2, giriş yaparken.'],
    ['Turkish gibi (after the example)', '9a8b1-7c6d2 gibi bir kod girin.'],
    ['Japanese 例えば', 'コードを入力してください。例えば 9a8b1-7c6d2 です。'],
    ['Japanese のような (after the example)', '9a8b1-7c6d2 のようなコードを入力してください。'],
    ['Chinese 例如', '请输入代码，例如 9a8b1-7c6d2。'],
    ['Korean 예를 들어', '코드를 입력하세요. 예를 들어 9a8b1-7c6d2 입니다.'],
    ['glued to a word', 'コード9a8b1-7c6d2を入力してください。'],
  ])('%s', (_, instruction) => {
    expect(codesOf(`${instruction}\n${list}`)).toEqual(['f0cd0-e873a', '0000c-6d07e', '4283f-efc63']);
  });

  test('the issue: "enter the code like 1234 5678 90AB CDEF" beside codes of that shape', () => {
    const text = 'Enter the code like 1234 5678 90AB CDEF.\n1a2b 3c4d 5e6f 7a8b\n9c8d 7e6f 5a4b 3c2d';
    expect(codesOf(text)).toEqual(['1a2b 3c4d 5e6f 7a8b', '9c8d 7e6f 5a4b 3c2d']);
  });
});

describe('invisible characters in or around a code', () => {
  test.each([
    ['zero-width space', '\u200b'],
    ['zero-width non-joiner', '\u200c'],
    ['zero-width joiner', '\u200d'],
    ['word joiner', '\u2060'],
    ['soft hyphen', '\u00ad'],
    ['BOM', '\ufeff'],
    ['left-to-right mark', '\u200e'],
    ['right-to-left mark', '\u200f'],
    ['bidi isolate', '\u2068'],
    ['bidi embedding', '\u202a'],
  ])('%s around the dash and the code', (_, mark) => {
    const text = `${mark}4283f${mark}-${mark}efc63${mark}\n${mark}f0cd0-e873a${mark}`;
    expect(codesOf(text)).toEqual(['4283f-efc63', 'f0cd0-e873a']);
  });

  test.each([
    ['no-break space', '\u00a0'],
    ['narrow no-break space', '\u202f'],
    ['figure space', '\u2007'],
  ])('%s between the groups', (_, space) => {
    expect(codesOf(`1234${space}5678\n2345${space}6789`, { site: 'google.com' })).toEqual([
      '1234 5678',
      '2345 6789',
    ]);
  });
});

describe('tables with a header row', () => {
  test('a spreadsheet paste (TAB) with a "Used" column (the issue: used rows came back unused)', () => {
    const text = 'Code\tUsed\n12345678\tyes\n23456789\t\n34567890\tno\n45678901\t✓\n56789012\tx';
    expect(parseBackupCodes(text).codes).toEqual([
      { code: '12345678', used: true },
      { code: '23456789', used: false },
      { code: '34567890', used: false },
      { code: '45678901', used: true },
      { code: '56789012', used: true },
    ]);
  });

  test('CSV with a status column first, TRUE/FALSE and a date, quoted cells', () => {
    const text =
      'Used on,Backup code,Note\n2026-03-04,"1234 5678",phone\n,"2345 6789",\nTRUE,3456 7890,\nFALSE,4567 8901,"spare, keep"';
    expect(parseBackupCodes(text, { site: 'google.com' }).codes).toEqual([
      { code: '1234 5678', used: true },
      { code: '2345 6789', used: false },
      { code: '3456 7890', used: true },
      { code: '4567 8901', used: false },
    ]);
  });

  test('the code column found by its shape when no header names it; other columns never give codes', () => {
    const text =
      '#;Value;Status;Created\n1;4283f-efc63;used;20260304T101500Z\n2;f0cd0-e873a;;20260304T101500Z';
    expect(parseBackupCodes(text).codes).toEqual([
      { code: '4283f-efc63', used: true },
      { code: 'f0cd0-e873a', used: false },
    ]);
  });

  test('rows of codes without a header are no table: two columns, left one first', () => {
    expect(codesOf('46557210\t14156183\n04319554\t59045440')).toEqual([
      '46557210',
      '04319554',
      '14156183',
      '59045440',
    ]);
  });
});

describe('placeholders for used slots', () => {
  test('"already used", "(used)", struck-through text, ~~code~~ and U+0336 mark the code used', () => {
    const text = [
      '1. 1111 2222 already used',
      '2. 2222 3333 (used)',
      '3. <s>3333 4444</s>',
      '4. ~~4444 5555~~',
      '5. 5\u03365\u03365\u03365\u0336 6\u03366\u03366\u03366\u0336',
      '6. 6666 7777',
    ].join('\n');
    expect(parseBackupCodes(text, { site: 'google.com' }).codes).toEqual([
      { code: '1111 2222', used: true },
      { code: '2222 3333', used: true },
      { code: '3333 4444', used: true },
      { code: '4444 5555', used: true },
      { code: '5555 6666', used: true },
      { code: '6666 7777', used: false },
    ]);
  });

  test('a slot shown as a placeholder is never a code', () => {
    const text = '1. XXXX-XXXX (used)\n2. already used\n3. ••••-••••\n4. qw7b-3pdk\n5. hx4p-y8gp';
    expect(parseBackupCodes(text).codes).toEqual(unused(['qw7b-3pdk', 'hx4p-y8gp']));
  });
});

describe('dates and times never yield codes', () => {
  test.each([
    ['Date.toString()', 'Tue Mar 04 2026 10:15:00 GMT+0100 (Central European Standard Time)'],
    ['ISO', '2026-03-04T09:15:00.000Z'],
    ['compact ISO', '20260304T101500Z'],
    ['US', '3/4/2026, 10:15:00 AM'],
    ['European', '04.03.2026 10:15'],
    ['day month year', '4 March 2026'],
    ['month day, year', 'March 4, 2026 at 10:15 PM'],
    ['RFC 2822', 'Tue, 04 Mar 2026 10:15:00 +0100'],
    ['German', '4. März 2026, 10:15 Uhr'],
    ['Spanish', '4 de marzo de 2026'],
  ])('%s', (_, date) => {
    const text = `Generated ${date}\n${date}\n10 1234\n2345 6789\n3456 7890\n${date}`;
    expect(codesOf(text, { site: 'google.com' })).toEqual(['2345 6789', '3456 7890']);
    expect(codesOf(`${date}\n4283f-efc63\nf0cd0-e873a`)).toEqual(['4283f-efc63', 'f0cd0-e873a']);
  });
});

describe('case-sensitive mixed-case codes', () => {
  test('16 characters, no separators, letters only or with digits, keep their case', () => {
    const text = 'AbCdEfGhIjKlMnOp\nQrStUvWxYz012345\nmNbVcXzLkJhGfDsA';
    expect(codesOf(text)).toEqual(['AbCdEfGhIjKlMnOp', 'QrStUvWxYz012345', 'mNbVcXzLkJhGfDsA']);
  });

  test('a site named in the text whose codes ignore case does not claim (and lowercase) them', () => {
    const result = parseBackupCodes('npm notes\nAbCdEfGhIjKlMnOp\nQrStUvWxYz012345');
    expect(result).toEqual({ site: null, codes: unused(['AbCdEfGhIjKlMnOp', 'QrStUvWxYz012345']) });
  });

  test('a camel-case word alone is not a code', () => {
    expect(codesOf('JavaScriptEnabled\nTypeScriptEnabled')).toEqual([]);
  });
});
