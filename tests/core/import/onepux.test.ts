import { deflateRawSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { MAX_EXPORT_BYTES, readPasswordManagerExport } from '../../../src/core/import';
import { EXPECTED_ACCOUNTS, fixture } from './expected';
import { rawZip, zerosStream } from './zip-builder';

const refusal = (bytes: Uint8Array, opts = {}) => {
  try {
    readPasswordManagerExport(bytes, opts);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected the export to be refused');
};

const onePuxWith = (data: unknown) =>
  zipSync({ 'export.attributes': strToU8('{"version":3}'), 'export.data': strToU8(JSON.stringify(data)) });

describe('1Password .1pux export', () => {
  test('reads the accounts with codes from notes and section fields, by content alone', () => {
    const result = readPasswordManagerExport(fixture('onepassword.1pux'));
    expect(result.format).toBe('1pux');
    expect(result.itemsRead).toBe(4);
    expect(result.accounts).toEqual(EXPECTED_ACCOUNTS);
  });

  test('a section titled "Backup codes" with one code per field is one account', () => {
    const item = {
      categoryUuid: '001',
      overview: { title: 'Work mail', url: 'https://mail.example.org/' },
      details: {
        loginFields: [{ designation: 'username', value: 'carol' }],
        sections: [
          {
            title: 'Backup codes',
            fields: [
              { title: 'Code 1', value: { concealed: '11223344' } },
              { title: 'Code 2', value: { concealed: '55667788' } },
              { title: 'one-time password', value: { totp: 'otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ' } },
            ],
          },
        ],
      },
    };
    const result = readPasswordManagerExport(onePuxWith({ accounts: [{ vaults: [{ items: [item] }] }] }));
    expect(result.accounts).toEqual([
      {
        title: 'Work mail',
        site: 'example.org',
        label: 'carol',
        codes: [
          { code: '11223344', used: false },
          { code: '55667788', used: false },
        ],
      },
    ]);
    expect(JSON.stringify(result)).not.toContain('GEZDGNBVGY3TQOJQ');
  });

  test('a zip cut short is corrupt', () => {
    const whole = fixture('onepassword.1pux');
    expect(refusal(whole.subarray(0, Math.floor(whole.length / 2))).code).toBe('export-corrupt');
  });

  test('export.data that is not JSON is corrupt', () => {
    const zip = zipSync({ 'export.data': strToU8('{"accounts": [') });
    expect(refusal(zip)).toMatchObject({ code: 'export-corrupt', message: expect.stringContaining('1PUX') });
  });

  test('a zip without export.data is not a 1Password export', () => {
    const zip = zipSync({ 'notes.txt': strToU8('hello') });
    expect(refusal(zip).code).toBe('export-unknown-format');
    expect(refusal(zip, { format: '1pux' })).toMatchObject({
      code: 'export-unknown-format',
      message: expect.stringContaining('1Password'),
    });
  });

  describe('zip bombs are refused without expanding them', () => {
    test('an entry declaring more than 50 MB is refused before any of it is read', () => {
      // Its data is a deflate stream without an end: reading any of it to the end would say "corrupt".
      const zip = rawZip([
        { name: 'export.data', data: zerosStream(1, false), declaredSize: MAX_EXPORT_BYTES + 1 },
      ]);
      expect(refusal(zip).code).toBe('export-too-large');
    });

    test('an entry lying about its size is dropped once it passes 50 MB, long before its end', () => {
      // 200 MB of zeros from ~200 kB, declared as 1 kB, with no end: expanding it all would end in
      // "corrupt"; stopping at the limit says "too large".
      const zip = rawZip([{ name: 'export.data', data: zerosStream(200, false), declaredSize: 1000 }]);
      expect(zip.length).toBeLessThan(MAX_EXPORT_BYTES / 100);
      expect(refusal(zip).code).toBe('export-too-large');
    });

    test('a small entry whose size is declared honestly is read', () => {
      const data = strToU8('{"accounts":[{"vaults":[{"items":[]}]}]}');
      const zip = rawZip([{ name: 'export.data', data: deflateRawSync(data), declaredSize: data.length }]);
      expect(readPasswordManagerExport(zip)).toEqual({ format: '1pux', accounts: [], itemsRead: 0 });
    });
  });
});
