import { describe, expect, test } from 'vitest';
import { readPasswordManagerExport } from '../../../src/core/import';
import { isSpareError } from '../../../src/core/errors';
import { EXPECTED_ACCOUNTS, fixture } from './expected';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('Bitwarden JSON export', () => {
  test('reads the accounts with codes from notes and custom fields, by content alone', () => {
    const result = readPasswordManagerExport(fixture('bitwarden.json'));
    expect(result.format).toBe('bitwarden');
    expect(result.itemsRead).toBe(5);
    expect(result.accounts).toEqual(EXPECTED_ACCOUNTS);
  });

  test('reads the same with the format given', () => {
    const result = readPasswordManagerExport(fixture('bitwarden.json'), { format: 'bitwarden' });
    expect(result.accounts).toEqual(EXPECTED_ACCOUNTS);
  });

  test('an item with a password and a TOTP secret but no codes yields nothing', () => {
    const result = readPasswordManagerExport(
      encode({
        encrypted: false,
        items: [
          {
            type: 1,
            name: 'Mail',
            notes: null,
            login: {
              uris: [{ uri: 'https://mail.example.com' }],
              username: 'a',
              password: 'p',
              totp: 'JBSWY3DP',
            },
          },
        ],
      }),
    );
    expect(result).toEqual({ format: 'bitwarden', accounts: [], itemsRead: 1 });
  });

  test('a field named in another language the detector knows counts ("Wiederherstellungscodes")', () => {
    const result = readPasswordManagerExport(
      encode({
        encrypted: false,
        items: [
          {
            type: 1,
            name: 'Konto',
            fields: [{ name: 'Wiederherstellungscodes', value: '12345678\n23456789', type: 1 }],
            login: { uris: [{ uri: 'https://www.example.de/login' }], username: 'anna' },
          },
        ],
      }),
    );
    expect(result.accounts).toEqual([
      {
        title: 'Konto',
        site: 'example.de',
        label: 'anna',
        codes: [
          { code: '12345678', used: false },
          { code: '23456789', used: false },
        ],
      },
    ]);
  });

  test.each([['bitwarden-encrypted-account.json'], ['bitwarden-encrypted-password.json']])(
    '%s is refused as encrypted, saying to export "JSON" instead',
    (name) => {
      let thrown: unknown;
      try {
        readPasswordManagerExport(fixture(name));
      } catch (error) {
        thrown = error;
      }
      expect(isSpareError(thrown, 'export-encrypted')).toBe(true);
      expect((thrown as Error).message).toContain(
        'Export again choosing the format "JSON" (not "JSON (Encrypted)")',
      );
    },
  );

  test('a Bitwarden file whose items are not a list is corrupt', () => {
    expect(() => readPasswordManagerExport(encode({ encrypted: false, items: {} }))).toThrowError(
      expect.objectContaining({ code: 'export-corrupt' }),
    );
  });
});
