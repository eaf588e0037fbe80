import { describe, expect, test } from 'vitest';
import { readPasswordManagerExport } from '../../../src/core/import';
import { EXPECTED_ACCOUNTS, fixture } from './expected';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('LastPass CSV export', () => {
  test('reads logins’ notes and a typed secure note’s "Recovery codes" field, by content alone', () => {
    const result = readPasswordManagerExport(fixture('lastpass.csv'));
    expect(result.format).toBe('lastpass');
    expect(result.itemsRead).toBe(5);
    expect(result.accounts).toEqual([
      ...EXPECTED_ACCOUNTS,
      {
        title: 'Bank recovery',
        site: null,
        label: '',
        codes: ['5521 9034', '6610 2287', '7043 8815', '8192 4470'].map((code) => ({ code, used: false })),
      },
    ]);
  });

  test('reads the older export without a totp column', () => {
    const text =
      'url,username,password,extra,name,grouping,fav\n' +
      'https://www.example.com/,erin,pw,"Backup codes: 1357 2468, 9753 8642",Example,,0\n';
    expect(readPasswordManagerExport(utf8(text), { format: 'lastpass' }).accounts).toEqual([
      {
        title: 'Example',
        site: 'example.com',
        label: 'erin',
        codes: [
          { code: '1357 2468', used: false },
          { code: '9753 8642', used: false },
        ],
      },
    ]);
  });

  test('a typed secure note’s other fields are not read as codes', () => {
    const text =
      'url,username,password,totp,extra,name,grouping,fav\n' +
      'http://sn,,,,"NoteType:Server\nHostname:10.0.0.4\nPort:22334455\nNotes:",Server,,0\n';
    expect(readPasswordManagerExport(utf8(text)).accounts).toEqual([]);
  });

  test('a quote that never closes is corrupt', () => {
    const text = 'url,username,password,totp,extra,name,grouping,fav\nhttps://a.example,u,p,,"open\n';
    expect(() => readPasswordManagerExport(utf8(text))).toThrowError(
      expect.objectContaining({ code: 'export-corrupt', message: expect.stringContaining('LastPass') }),
    );
  });
});
