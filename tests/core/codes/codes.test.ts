import { describe, expect, test } from 'vitest';
import {
  decodeText,
  formatCodeList,
  normaliseCode,
  parseBackupCodes,
  requireCodes,
} from '../../../src/core/codes';
import { isSpareError } from '../../../src/core/errors';
import { siteById } from '../../../src/sites/registry';

const codesOf = (text: string, opts?: Parameters<typeof parseBackupCodes>[1]) =>
  parseBackupCodes(text, opts).codes.map((code) => code.code);

describe('decodeText', () => {
  const text = 'GitHub recovery codes\r\n4283f-efc63\r\né';
  const utf16 = (le: boolean) => {
    const bytes = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      bytes[i * 2 + (le ? 0 : 1)] = unit & 0xff;
      bytes[i * 2 + (le ? 1 : 0)] = unit >> 8;
    }
    return bytes;
  };
  const join = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));

  test.each([
    ['UTF-8', new TextEncoder().encode(text)],
    ['UTF-8 with BOM', join(Uint8Array.of(0xef, 0xbb, 0xbf), new TextEncoder().encode(text))],
    ['UTF-16 LE with BOM', join(Uint8Array.of(0xff, 0xfe), utf16(true))],
    ['UTF-16 BE with BOM', join(Uint8Array.of(0xfe, 0xff), utf16(false))],
    ['UTF-16 LE without BOM', utf16(true)],
  ])('%s', (_name, bytes) => {
    expect(decodeText(bytes)).toBe(text);
  });

  test('invalid UTF-8 becomes replacement characters, not an exception', () => {
    expect(decodeText(Uint8Array.of(0x31, 0xff, 0x32))).toBe('1\ufffd2');
  });
});

describe('normaliseCode', () => {
  test('drops spaces, dashes and invisible characters and lowercases', () => {
    expect(normaliseCode(' 4283F-EFC63\u200b ')).toBe('4283fefc63');
    expect(normaliseCode('1234\u00a05678')).toBe('12345678');
  });

  test('keeps case for case-sensitive formats (generic fallback)', () => {
    expect(normaliseCode('AbCd-1234', siteById('generic'))).toBe('AbCd1234');
    expect(normaliseCode('AbCd-1234', siteById('github'))).toBe('abcd1234');
  });
});

describe('formatCodeList', () => {
  const google = siteById('google');
  const codes = ['12345678', '23456789', '34567890'];

  test.each([
    ['lines', '1234 5678\n2345 6789\n3456 7890'],
    ['numbered', '1. 1234 5678\n2. 2345 6789\n3. 3456 7890'],
    ['two-columns', '1234 5678    3456 7890\n2345 6789'],
    ['comma', '1234 5678, 2345 6789, 3456 7890'],
    ['spaces', '1234 5678   2345 6789   3456 7890'],
  ] as const)('%s shows codes the way the site does', (layout, expected) => {
    expect(formatCodeList(codes, layout, google)).toBe(expected);
  });

  test('without a site, codes are kept as given', () => {
    expect(formatCodeList(['AbC-123', 'x9y-8z7'], 'comma')).toBe('AbC-123, x9y-8z7');
  });
});

describe('parseBackupCodes', () => {
  test('reads the site from the option, the file name or the text, in that order', () => {
    expect(parseBackupCodes('4283f-efc63', { site: 'https://www.github.com/login' }).site).toBe('github.com');
    expect(parseBackupCodes('4283f-efc63', { site: 'github' }).site).toBe('github.com');
    expect(parseBackupCodes('4283f-efc63', { site: 'example.co.uk' }).site).toBe('example.co.uk');
    expect(
      parseBackupCodes('4283f-efc63', { fileName: 'C:\\Users\\a\\github-recovery-codes.txt' }).site,
    ).toBe('github.com');
    expect(parseBackupCodes('Discord codes\nqw7b-3pdk\nhx4p-y8gp').site).toBe('discord.com');
    expect(parseBackupCodes('12345678\n23456789').site).toBeNull();
  });

  test('a site named only in passing does not claim codes of another shape', () => {
    const text = 'Open Google Authenticator, then use one of these:\n4283f-efc63\nf0cd0-e873a\n0000c-6d07e';
    expect(parseBackupCodes(text)).toEqual({
      site: null,
      codes: ['4283f-efc63', 'f0cd0-e873a', '0000c-6d07e'].map((code) => ({ code, used: false })),
    });
  });

  test('with a known site, codes come back as the site shows them', () => {
    expect(codesOf('12345678 23456789', { site: 'instagram.com' })).toEqual(['1234 5678', '2345 6789']);
    expect(codesOf('abcde fghij klmno pqrst uvw12', { site: 'microsoft.com' })).toEqual([
      'ABCDE-FGHIJ-KLMNO-PQRST-UVW12',
    ]);
  });

  test('a dash the site shows must be there: spaced words are not Discord codes', () => {
    expect(codesOf('Keep them safe!\nqw7b-3pdk', { site: 'discord.com' })).toEqual(['qw7b-3pdk']);
  });

  test('falls back to the generic shapes when no code matches the given site', () => {
    expect(codesOf('29326-ml64l\ng2tjf-8cz2k', { site: 'instagram.com' })).toEqual([
      '29326-ml64l',
      'g2tjf-8cz2k',
    ]);
  });

  test('numbered lists are read in number order, list numbers are not codes', () => {
    const text = '1. 11112222    3. 33334444\n2. 22223333    4. 44445555';
    expect(codesOf(text)).toEqual(['11112222', '22223333', '33334444', '44445555']);
  });

  test('a line of codes separated by commas or spaces keeps its order', () => {
    expect(codesOf('abcd1234ef, 99887766aa; 1122334455')).toEqual(['abcd1234ef', '99887766aa', '1122334455']);
    expect(codesOf('12345678 23456789 34567890')).toEqual(['12345678', '23456789', '34567890']);
  });

  test('a markdown table with a Used column of yes/no', () => {
    const text = '| Code | Used |\n|---|---|\n| 1111 2222 | yes |\n| 3333 4444 | no |\n| 5555 6666 | |';
    expect(parseBackupCodes(text, { site: 'google.com' }).codes).toEqual([
      { code: '1111 2222', used: true },
      { code: '3333 4444', used: false },
      { code: '5555 6666', used: false },
    ]);
  });

  test('an HTML strikethrough marks a code used', () => {
    expect(parseBackupCodes('<del>12345678</del>\n23456789').codes).toEqual([
      { code: '12345678', used: true },
      { code: '23456789', used: false },
    ]);
  });

  test('a code listed twice, once marked used, stays used', () => {
    expect(parseBackupCodes('12345678\n23456789\n1234-5678 (used)').codes).toEqual([
      { code: '12345678', used: true },
      { code: '23456789', used: false },
    ]);
  });

  test('empty and whitespace-only input give no codes', () => {
    expect(parseBackupCodes('')).toEqual({ site: null, codes: [] });
    expect(parseBackupCodes(' \n\t\r\n')).toEqual({ site: null, codes: [] });
  });
});

describe('requireCodes', () => {
  test('passes a result with codes through', () => {
    const result = parseBackupCodes('12345678');
    expect(requireCodes(result)).toBe(result);
  });

  test('throws no-codes-found with a message a person can act on', () => {
    let thrown: unknown;
    try {
      requireCodes(parseBackupCodes('Thanks for enabling two-factor authentication!'));
    } catch (error) {
      thrown = error;
    }
    expect(isSpareError(thrown, 'no-codes-found')).toBe(true);
    expect((thrown as Error).message).toMatch(/No backup codes found/);
  });
});
