import { describe, expect, test } from 'vitest';
import {
  checkSite,
  MAX_CODES_FILE_BYTES,
  previewCodes,
  readCodesFile,
  toNewCodes,
} from '../../../src/popup/lib/preview';

const INSTAGRAM_TEN = Array.from({ length: 10 }, (_, i) => `${1000 + i} ${5670 + i}`).join('\n');
const GITHUB_SIXTEEN = Array.from(
  { length: 16 },
  (_, i) => `4283f-efc${(10 + i).toString(16).padStart(2, '0')}`,
).join('\r\n');

describe('checkSite', () => {
  test('normalises what the user typed to the registrable domain', () => {
    expect(checkSite('https://www.instagram.com/accounts/login/')).toEqual({
      site: 'instagram.com',
      error: null,
    });
    expect(checkSite('localhost')).toEqual({ site: 'localhost', error: null });
  });
  test('no error while the field is empty; a specific one for junk', () => {
    expect(checkSite('  ')).toEqual({ site: null, error: null });
    expect(checkSite('not a site')).toMatchObject({
      site: null,
      error: expect.stringMatching(/not a website/),
    });
  });
});

describe('previewCodes', () => {
  test('empty text previews nothing and warns about nothing', () => {
    expect(previewCodes('   ', { site: 'instagram.com' })).toEqual({
      codes: [],
      usedCount: 0,
      detectedSite: null,
      warnings: [],
    });
  });

  test('parses a pasted block for a known site without warnings', () => {
    const preview = previewCodes(INSTAGRAM_TEN, { site: 'instagram.com' });
    expect(preview.codes).toHaveLength(10);
    expect(preview.warnings).toEqual([]);
  });

  test('drops duplicates', () => {
    const preview = previewCodes(`${INSTAGRAM_TEN}\n1000 5670\n1001 5671`, { site: 'instagram.com' });
    expect(preview.codes).toHaveLength(10);
  });

  test("warns when the codes are in another site's format", () => {
    const preview = previewCodes('4283f-efc63\n4283f-efc64\n4283f-efc65', { site: 'instagram.com' });
    expect(preview.codes).toHaveLength(3);
    expect(preview.warnings).toEqual([
      'These do not look like Instagram backup codes. Check the website and the text.',
    ]);
  });

  test('warns when a site with a known count gets another number of codes', () => {
    const twelve = GITHUB_SIXTEEN.split('\r\n').slice(0, 12).join('\n');
    const preview = previewCodes(twelve, { site: 'github.com' });
    expect(preview.codes).toHaveLength(12);
    expect(preview.warnings).toContain('GitHub usually gives 16 codes; this has 12. Did some get left out?');
  });

  test('detects the site from the file name when the user gave none', () => {
    const preview = previewCodes(GITHUB_SIXTEEN, { fileName: 'github-recovery-codes.txt' });
    expect(preview.detectedSite).toBe('github.com');
    expect(preview.codes).toHaveLength(16);
    expect(preview.warnings).toEqual([]);
  });

  test('counts codes the text marks as used and keeps them used on save', () => {
    const preview = previewCodes('1234 5678 (used)\n2345 6789\n3456 7890', { site: 'instagram.com' });
    expect(preview.usedCount).toBe(1);
    expect(toNewCodes(preview.codes)).toEqual([
      { value: preview.codes[0]!.code, used: true },
      { value: preview.codes[1]!.code },
      { value: preview.codes[2]!.code },
    ]);
  });

  test('prose without codes yields no codes', () => {
    expect(previewCodes('Hello, these are my notes for today.', { site: 'instagram.com' }).codes).toEqual([]);
  });
});

test('readCodesFile decodes a UTF-16 file with a BOM, as Notepad writes it', async () => {
  const text = '1234 5678\r\n2345 6789';
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) bytes[2 + i * 2] = text.charCodeAt(i);
  expect(await readCodesFile(new File([bytes], 'codes.txt'))).toEqual({ text });
});

test('readCodesFile refuses a file too large to be a list of codes, without reading it', async () => {
  const file = new File([new Uint8Array(MAX_CODES_FILE_BYTES + 1)], 'huge.txt');
  const read = await readCodesFile(file);
  expect(read).toEqual({ error: expect.stringMatching(/^huge\.txt is too large .* paste the codes\.$/) });
  expect(await readCodesFile(new File(['1234 5678'], 'codes.txt'))).toEqual({ text: '1234 5678' });
});
