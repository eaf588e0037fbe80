import { describe, expect, test } from 'vitest';
import { isSpareError } from '../../../src/core/errors';
import { parsePlain, serializePlain, validatePlain, type PlainVault } from '../../../src/core/backup';

// The example from design §4.4, plus a second account so that paths with non-zero indexes are exercised.
const EXAMPLE = {
  format: 'spare-plain',
  version: 1,
  accounts: [
    {
      site: 'instagram.com',
      label: 'alice',
      codes: [
        { code: '1234 5678', used: false },
        {
          code: '2345 6789',
          used: true,
          usedAt: '2026-11-20T10:00:00Z',
          usedOn: 'https://www.instagram.com/accounts/login/two_factor/',
        },
      ],
    },
    { site: 'github.com', codes: [{ code: 'a1b2c-3d4e5', used: false }] },
  ],
};

const clone = <T>(value: T): T => structuredClone(value);

function plainError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isSpareError(error, 'plain-invalid')) return error.message;
    throw error;
  }
  throw new Error('expected a plain-invalid error, but the input was accepted');
}

// Navigates a path like "accounts[1].codes[0].code" in a cloned example and applies a change there.
function withChange(path: string, change: (holder: Record<string, unknown>, key: string) => void) {
  const root = clone(EXAMPLE) as unknown as Record<string, unknown>;
  const steps = path.match(/[^.[\]]+/g)!;
  let holder: Record<string, unknown> = root;
  for (const step of steps.slice(0, -1)) holder = holder[step] as Record<string, unknown>;
  change(holder, steps.at(-1)!);
  return JSON.stringify(root);
}

describe('parsePlain', () => {
  test('accepts the design example and round-trips every required field exactly', () => {
    const parsed = parsePlain(JSON.stringify(EXAMPLE));
    expect(parsed).toEqual(EXAMPLE);
    expect(parsePlain(serializePlain(parsed))).toEqual(EXAMPLE);
  });

  test('keeps extra fields at every level, after the known ones', () => {
    const extended = clone(EXAMPLE) as PlainVault;
    extended['exportedBy'] = 'a newer Spare';
    extended.accounts[0]!['regenerateUrl'] = 'https://www.instagram.com/accounts/two_factor_authentication/';
    extended.accounts[0]!.codes[0]!['note'] = { printed: true };
    const text = serializePlain(parsePlain(JSON.stringify(extended)));
    expect(parsePlain(text)).toEqual(extended);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['format', 'version', 'accounts', 'exportedBy']);
  });

  test('serialises in the documented key order, pretty-printed, ending with a newline', () => {
    const shuffled = {
      accounts: [{ codes: [{ used: false, code: '1' }], site: 'a.com' }],
      version: 1,
      format: 'spare-plain',
    };
    const text = serializePlain(parsePlain(JSON.stringify(shuffled)));
    expect(text).toBe(
      '{\n  "format": "spare-plain",\n  "version": 1,\n  "accounts": [\n    {\n      "site": "a.com",\n' +
        '      "codes": [\n        {\n          "code": "1",\n          "used": false\n        }\n      ]\n    }\n  ]\n}\n',
    );
  });

  test('accepts an empty vault and a UTF-8 byte-order mark', () => {
    expect(parsePlain('\uFEFF{"format":"spare-plain","version":1,"accounts":[]}').accounts).toEqual([]);
  });

  test.each([
    'version',
    'accounts',
    'accounts[0].site',
    'accounts[0].codes',
    'accounts[1].site',
    'accounts[1].codes',
    'accounts[0].codes[1].code',
    'accounts[0].codes[1].used',
    'accounts[1].codes[0].code',
    'accounts[1].codes[0].used',
  ])('names the exact path when %s is missing', (path) => {
    const text = withChange(path, (holder, key) => delete holder[key]);
    expect(plainError(() => parsePlain(text))).toContain(`${path} is missing`);
  });

  test.each([
    ['accounts[0].codes[1].used', 'yes', 'accounts[0].codes[1].used must be true or false'],
    ['accounts[1].codes[0].code', 12345678, 'accounts[1].codes[0].code must be text'],
    ['accounts[1].codes[0].code', '   ', 'accounts[1].codes[0].code is empty'],
    ['accounts[1].site', '', 'accounts[1].site is empty'],
    ['accounts[0].label', 7, 'accounts[0].label must be text'],
    ['accounts[0].codes[1].usedAt', 'yesterday', 'accounts[0].codes[1].usedAt must be an ISO 8601 time'],
    ['accounts[0].codes[1].usedOn', null, 'accounts[0].codes[1].usedOn must be text, not null'],
    ['accounts[0].codes', {}, 'accounts[0].codes must be a list'],
    ['accounts[1]', 'github.com', 'accounts[1] must be an object'],
    ['accounts', null, 'accounts must be a list, not null'],
    ['version', 2, 'version number 2 is not supported'],
    ['version', '1', 'version string "1" is not supported'],
  ])('refuses %s = %j', (path, value, message) => {
    const text = withChange(path, (holder, key) => (holder[key] = value));
    expect(plainError(() => parsePlain(text))).toContain(message);
  });

  // Issue 9: a file that is not spare-plain at all is told so without the format's internals, with what to pick.
  test.each([
    ['no format field', (holder: Record<string, unknown>) => delete holder['format']],
    ['another program’s format', (holder: Record<string, unknown>) => (holder['format'] = 'bitwarden')],
  ])('%s: "not a plain export", and what to pick instead', (_, change) => {
    const text = withChange('format', (holder) => change(holder));
    const message = plainError(() => parsePlain(text));
    expect(message).toContain('this is not a plain export of Spare accounts. Pick a spare-plain JSON file');
    expect(message).not.toMatch(/format (is|must)|"format"/);
  });

  test('an encrypted backup picked by mistake says where it goes', () => {
    const text = withChange('format', (holder, key) => (holder[key] = 'spare-backup'));
    expect(plainError(() => parsePlain(text))).toContain(
      'encrypted Spare backup. Restore it with “Restore backup”',
    );
  });

  const withCodes = (first: unknown) => {
    const example = clone(EXAMPLE) as { accounts: { codes: unknown[] }[] };
    example.accounts[0]!.codes[0] = first;
    return JSON.stringify(example);
  };
  test.each<[string, string, string]>([
    ['a GitHub paste instead of JSON', 'abcd1-efgh2\nijkl3-mnop4\n', 'abcd1'],
    ['a bare code string in the list', withCodes('1234 5678'), '1234 5678'],
    ['a code typed as a number', withCodes({ code: 12345678, used: false }), '12345678'],
  ])('%s: the error never quotes the code', (_, text, code) => {
    const message = plainError(() => parsePlain(text));
    expect(message).toMatch(/^Not a valid spare-plain file/);
    expect(message).not.toContain(code);
  });

  test.each(['', 'not json', '[]', '"spare-plain"', '{"format":"spare-plain","version":1,"accounts":[],}'])(
    'refuses %j as a whole',
    (text) => {
      expect(plainError(() => parsePlain(text))).toMatch(/^Not a valid spare-plain file/);
    },
  );

  test('validatePlain returns a copy: editing it does not change the input', () => {
    const input = clone(EXAMPLE);
    const copy = validatePlain(input);
    copy.accounts[0]!.codes[0]!.used = true;
    expect(input.accounts[0]!.codes[0]!.used).toBe(false);
  });
});
