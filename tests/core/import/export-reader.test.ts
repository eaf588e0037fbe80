import { readdirSync } from 'node:fs';
import { strToU8, unzipSync, zipSync } from 'fflate';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isSpareError } from '../../../src/core/errors';
import {
  EXPORT_FORMATS,
  MAX_EXPORT_BYTES,
  formatFromFileName,
  isPasswordManagerExport,
  readPasswordManagerExport,
  type ExportFormat,
} from '../../../src/core/import';
import { DISCARDED } from '../../fixtures/exports/fake-vault';
import { EXPORTS_DIR, fixture } from './expected';

const EXPORT_ERRORS = ['export-encrypted', 'export-unknown-format', 'export-corrupt', 'export-too-large'];
const READABLE: ReadonlyArray<[string, ExportFormat]> = [
  ['bitwarden.json', 'bitwarden'],
  ['onepassword.1pux', '1pux'],
  ['keepassxc.csv', 'keepassxc'],
  ['protonpass.zip', 'protonpass'],
  ['protonpass.csv', 'protonpass'],
  ['lastpass.csv', 'lastpass'],
];
const utf8 = (text: string) => strToU8(text);

const refusal = (bytes: Uint8Array, opts = {}) => {
  try {
    readPasswordManagerExport(bytes, opts);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected the export to be refused');
};

/** Every string in a value, keys included, however deep. */
function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, inner]) => [key, ...allStrings(inner)]);
  }
  return [];
}

describe('readPasswordManagerExport', () => {
  test('every fixture in tests/fixtures/exports is covered here or refused as encrypted', () => {
    const files = readdirSync(EXPORTS_DIR).filter((name) => !/\.(ts|md)$/.test(name));
    const covered = new Set(READABLE.map(([name]) => name));
    for (const name of files.filter((file) => !covered.has(file))) {
      expect(refusal(fixture(name)).code, name).toBe('export-encrypted');
    }
    expect(EXPORT_FORMATS.every((format) => READABLE.some(([, f]) => f === format))).toBe(true);
  });

  test.each(READABLE)('%s keeps nothing but titles, sites, account names and codes', (name, format) => {
    const result = readPasswordManagerExport(fixture(name));
    expect(result.format).toBe(format);
    expect(Object.keys(result).sort()).toEqual(['accounts', 'format', 'itemsRead']);
    for (const account of result.accounts) {
      expect(Object.keys(account).sort()).toEqual(['codes', 'label', 'site', 'title']);
      for (const code of account.codes) expect(Object.keys(code).sort()).toEqual(['code', 'used']);
    }
    const strings = allStrings(result);
    for (const secret of DISCARDED) {
      expect(
        strings.filter((text) => text.includes(secret)),
        secret,
      ).toEqual([]);
    }
  });

  test('every value the deep search looks for is really in the fixtures', () => {
    // Otherwise an empty search would prove nothing.
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    const contents = READABLE.flatMap(([name]) => {
      const bytes = fixture(name);
      return /\.(1pux|zip)$/.test(name) ? Object.values(unzipSync(bytes)).map(text) : [text(bytes)];
    }).join('\n');
    for (const secret of DISCARDED) expect(contents.includes(secret), secret).toBe(true);
  });

  test.each([
    ['plain text', utf8('Just some notes\nnothing else')],
    ['an empty file', new Uint8Array(0)],
    [
      'a PNG',
      Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52),
    ],
    ['JSON of another shape', utf8('{"format":"spare-plain","version":1,"accounts":[]}')],
    ['a zip of other files', zipSync({ 'readme.txt': strToU8('hello') })],
    [
      'a Bitwarden CSV export',
      utf8(
        'folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp\n',
      ),
    ],
  ])('%s is not an export Spare knows, and the message lists what to export', (_, bytes) => {
    const error = refusal(bytes);
    expect(isSpareError(error, 'export-unknown-format')).toBe(true);
    expect(error.message).toMatch(/Export from Bitwarden as "JSON", from 1Password as "1PUX"/);
  });

  test('a forced format that the content does not match says which export to make', () => {
    expect(refusal(fixture('bitwarden.json'), { format: 'lastpass' })).toMatchObject({
      code: 'export-unknown-format',
      message: expect.stringContaining('not a LastPass export'),
    });
  });

  test('an unrecognised file named like a product’s export gets that product’s advice', () => {
    const text = utf8('Just some notes\nnothing else');
    expect(refusal(text, { fileName: 'bitwarden_export_20260302.json' })).toMatchObject({
      code: 'export-unknown-format',
      message: expect.stringContaining('not a Bitwarden export'),
    });
    expect(refusal(zipSync({ 'a.txt': strToU8('a') }), { fileName: 'ABCDEF.1pux' }).message).toContain(
      '1PUX',
    );
    expect(formatFromFileName('Proton Pass_export_2026-03-02.pgp')).toBe('protonpass');
    expect(formatFromFileName('lastpass_export.csv')).toBe('lastpass');
    expect(formatFromFileName('codes.txt')).toBeNull();
  });

  test('a refusal carries nothing from the file, not even in its cause', () => {
    const secret = 'Sup3r-Secret-Pw!';
    const damaged = [
      utf8(`{"encrypted": false, "items": [{"login": {"password": ${secret}}}]}`),
      zipSync({ 'export.data': strToU8(`{"accounts": [{"password": ${secret}}]}`) }),
      zipSync({ 'Proton Pass/data.json': strToU8(`{"vaults": {"a": ${secret}}}`) }),
      utf8(`url,username,password,totp,extra,name,grouping,fav\nhttps://a.example,u,${secret},,"open\n`),
    ];
    for (const bytes of damaged) {
      const error = refusal(bytes) as Error & { code: string };
      expect(error.code).toBe('export-corrupt');
      const cause = (error as { cause?: unknown }).cause;
      const everything = [
        error.message,
        String(error.stack),
        String(cause),
        (cause as Error | undefined)?.message,
      ];
      // V8 quotes about ten characters around a JSON mistake: look for a piece, not the whole.
      expect(everything.join('\n')).not.toContain(secret.slice(0, 6));
    }
  });

  test('damaged JSON is corrupt', () => {
    expect(refusal(utf8('{"encrypted": false, "items": [')).code).toBe('export-corrupt');
  });

  test('a file over 50 MB is refused before it is looked at', () => {
    const big = new Uint8Array(MAX_EXPORT_BYTES + 1);
    big.set(fixture('bitwarden.json'));
    expect(refusal(big)).toMatchObject({
      code: 'export-too-large',
      message: expect.stringContaining('50 MB'),
    });
  });

  test('isPasswordManagerExport tells exports (encrypted or damaged ones too) from text to parse', () => {
    for (const name of readdirSync(EXPORTS_DIR).filter((file) => !/\.(ts|md)$/.test(file))) {
      expect(isPasswordManagerExport(fixture(name), name), name).toBe(true);
    }
    const cut = fixture('onepassword.1pux').subarray(0, 200);
    expect(isPasswordManagerExport(cut)).toBe(true);
    expect(isPasswordManagerExport(utf8('Backup codes\n1234 5678\n'))).toBe(false);
    expect(isPasswordManagerExport(utf8('{ 1234 5678 }'))).toBe(false);
    expect(isPasswordManagerExport(utf8('name,code\nGitHub,12345678\n'))).toBe(false);
  });

  describe('never throws anything but its own refusals', () => {
    const onlyRefusals = (bytes: Uint8Array, format?: ExportFormat) => {
      try {
        const result = readPasswordManagerExport(bytes, format ? { format } : {});
        expect(Array.isArray(result.accounts)).toBe(true);
      } catch (error) {
        if (!isSpareError(error) || !EXPORT_ERRORS.includes(error.code)) throw error;
      }
    };

    test('on arbitrary bytes, with or without a format', () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ maxLength: 2048 }),
          fc.option(fc.constantFrom(...EXPORT_FORMATS), { nil: undefined }),
          (bytes, format) => onlyRefusals(bytes, format),
        ),
        { numRuns: 2000 },
      );
    });

    test('on arbitrary text shaped like each format', () => {
      const prefixes = [
        '{"encrypted":false,"items":',
        '{"accounts":[{"vaults":',
        '"Group","Title","Username","Password","URL","Notes"\n',
        'type,name,url,email,username,password,note,totp,createTime,modifyTime,vault\n',
        'url,username,password,totp,extra,name,grouping,fav\n',
        '{"version":"1","userId":"u","vaults":',
      ];
      fc.assert(
        fc.property(fc.constantFrom(...prefixes), fc.string({ maxLength: 400 }), (prefix, rest) =>
          onlyRefusals(utf8(prefix + rest)),
        ),
        { numRuns: 2000 },
      );
    });

    test.each(READABLE)('on mutations of %s', (name) => {
      const original = fixture(name);
      const mutation = fc.oneof(
        // Overwrite a few bytes.
        fc
          .array(fc.tuple(fc.nat({ max: original.length - 1 }), fc.integer({ min: 0, max: 255 })), {
            minLength: 1,
            maxLength: 8,
          })
          .map((changes) => {
            const copy = original.slice();
            for (const [at, byte] of changes) copy[at] = byte;
            return copy;
          }),
        // Cut it short.
        fc.nat({ max: original.length - 1 }).map((length) => original.slice(0, length)),
        // Cut a piece out of the middle.
        fc
          .tuple(fc.nat({ max: original.length - 1 }), fc.integer({ min: 1, max: 64 }))
          .map(([at, length]) =>
            Uint8Array.from([...original.subarray(0, at), ...original.subarray(at + length)]),
          ),
      );
      fc.assert(
        fc.property(mutation, (bytes) => onlyRefusals(bytes)),
        { numRuns: 400 },
      );
    });
  });
});
