import { describe, expect, test } from 'vitest';
import { readPasswordManagerExport } from '../../../src/core/import';
import { parseCsv } from '../../../src/core/import/csv';
import { EXPECTED_ACCOUNTS, fixture } from './expected';

const utf8 = (text: string) => new TextEncoder().encode(text);
const HEADER =
  '"Group","Title","Username","Password","URL","Notes","TOTP","Icon","Last Modified","Created"\n';

describe('KeePassXC CSV export', () => {
  test('reads the accounts with codes from the notes, by content alone', () => {
    const result = readPasswordManagerExport(fixture('keepassxc.csv'));
    expect(result.format).toBe('keepassxc');
    expect(result.itemsRead).toBe(4);
    expect(result.accounts).toEqual(EXPECTED_ACCOUNTS);
  });

  test('reads the older six-column export and CRLF line ends', () => {
    const text =
      '"Group","Title","Username","Password","URL","Notes"\r\n' +
      '"Root","Shop","dan","pw","https://shop.example.com","Backup codes:\r\n1111 2222\r\n3333 4444"\r\n';
    expect(readPasswordManagerExport(utf8(text)).accounts).toEqual([
      {
        title: 'Shop',
        site: 'example.com',
        label: 'dan',
        codes: [
          { code: '1111 2222', used: false },
          { code: '3333 4444', used: false },
        ],
      },
    ]);
  });

  test('a note whose quote never closes is corrupt', () => {
    const text = `${HEADER}"Root","GitHub","a","p","https://github.com","4f2a1-9c3e7\n`;
    expect(() => readPasswordManagerExport(utf8(text))).toThrowError(
      expect.objectContaining({ code: 'export-corrupt', message: expect.stringContaining('KeePassXC') }),
    );
  });

  test('a KeePass database (.kdbx) is refused as encrypted, pointing to the CSV export', () => {
    const kdbx = Uint8Array.of(
      0x03,
      0xd9,
      0xa2,
      0x9a,
      0x67,
      0xfb,
      0x4b,
      0xb5,
      0x01,
      0x00,
      0x04,
      0x00,
      0x02,
      0x10,
    );
    expect(() => readPasswordManagerExport(kdbx, { fileName: 'Passwords.kdbx' })).toThrowError(
      expect.objectContaining({ code: 'export-encrypted', message: expect.stringContaining('CSV File') }),
    );
  });

  test('a CSV with another header is not a KeePassXC export', () => {
    expect(() =>
      readPasswordManagerExport(utf8('name,code\nGitHub,12345678\n'), { format: 'keepassxc' }),
    ).toThrowError(expect.objectContaining({ code: 'export-unknown-format' }));
  });
});

describe('parseCsv', () => {
  test('reads quoted cells with commas, doubled quotes and line breaks; skips blank lines', () => {
    expect(parseCsv('a,"b, c","say ""hi""","x\ny"\n\n1,,3,\r\n')).toEqual([
      ['a', 'b, c', 'say "hi"', 'x\ny'],
      ['1', '', '3', ''],
    ]);
  });

  test('a last record without a line end is kept', () => {
    expect(parseCsv('a,b\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });
});
