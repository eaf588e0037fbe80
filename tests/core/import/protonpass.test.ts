import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { readPasswordManagerExport } from '../../../src/core/import';
import { EXPECTED_ACCOUNTS, FORUM_ACCOUNT, GITHUB_ACCOUNT, fixture } from './expected';

const refusal = (bytes: Uint8Array, opts = {}) => {
  try {
    readPasswordManagerExport(bytes, opts);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected the export to be refused');
};

describe('Proton Pass export', () => {
  test('the zip: codes from notes and extra fields; items in the trash are left out', () => {
    const result = readPasswordManagerExport(fixture('protonpass.zip'));
    expect(result.format).toBe('protonpass');
    expect(result.itemsRead).toBe(4);
    expect(result.accounts).toEqual(EXPECTED_ACCOUNTS);
  });

  test('data.json on its own reads the same', () => {
    const data = unzipSync(fixture('protonpass.zip'))['Proton Pass/data.json']!;
    expect(readPasswordManagerExport(data).accounts).toEqual(EXPECTED_ACCOUNTS);
  });

  test('a newer export’s autofillUrls give the site', () => {
    const item = {
      state: 1,
      data: {
        type: 'login',
        metadata: { name: 'Shop', note: 'Backup codes:\n1234 5678\n8765 4321' },
        extraFields: [],
        content: {
          itemEmail: 'f@example.net',
          autofillUrls: [{ url: 'https://shop.example.co.uk/', mode: 0 }],
        },
      },
    };
    const json = strToU8(
      JSON.stringify({ version: '1.40.0', userId: 'u', vaults: { s: { name: 'P', items: [item] } } }),
    );
    expect(readPasswordManagerExport(json).accounts).toEqual([
      {
        title: 'Shop',
        site: 'example.co.uk',
        label: 'f@example.net',
        codes: [
          { code: '1234 5678', used: false },
          { code: '8765 4321', used: false },
        ],
      },
    ]);
  });

  test('the CSV: codes from notes (Proton leaves custom fields out of its CSV)', () => {
    const result = readPasswordManagerExport(fixture('protonpass.csv'));
    expect(result.format).toBe('protonpass');
    expect(result.itemsRead).toBe(4);
    expect(result.accounts).toEqual([GITHUB_ACCOUNT, FORUM_ACCOUNT]);
  });

  test('the PGP-encrypted export is refused, saying to export ZIP or CSV without encryption', () => {
    expect(refusal(fixture('protonpass-encrypted.pgp'))).toMatchObject({
      code: 'export-encrypted',
      message: expect.stringContaining('"ZIP" or "CSV", without encryption'),
    });
  });

  test('a zip with an encrypted data.pgp, or data.json saying encrypted, is refused as encrypted', () => {
    const pgpZip = zipSync({ 'Proton Pass/data.pgp': strToU8('-----BEGIN PGP MESSAGE-----\n\nwy4E\n') });
    expect(refusal(pgpZip).code).toBe('export-encrypted');
    const flagged = strToU8(JSON.stringify({ version: '1.0', userId: 'u', encrypted: true, vaults: {} }));
    expect(refusal(flagged).code).toBe('export-encrypted');
  });

  test('a damaged data.json inside the zip is corrupt', () => {
    const zip = zipSync({ 'Proton Pass/data.json': strToU8('{"vaults": {"a": ') });
    expect(refusal(zip)).toMatchObject({
      code: 'export-corrupt',
      message: expect.stringContaining('Proton Pass'),
    });
  });
});
