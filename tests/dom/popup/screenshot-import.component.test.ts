/**
 * Issue 12 in the popup, with the OCR module faked (the real one runs in tests/e2e/screenshot-import.test.ts):
 * in Add account and in Replace codes, a picked or pasted image goes to the same preview as a paste, the picture
 * beside the list and the unsure codes marked; a file that is not an image, an image too large and an image
 * without codes each get one sentence, never load the OCR and save nothing.
 */
import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ScreenshotReading } from '../../../src/core/ocr/read';
import {
  alerts,
  accountFixture,
  button,
  byId,
  mountPopup,
  squash,
  type,
  unmountPopup,
  until,
} from './support';

const readScreenshot = vi.hoisted(() => vi.fn());
vi.mock('../../../src/popup/lib/screenshot', () => ({ readScreenshot }));

const CODES = ['2059 1066', '5709 3576', '5792 3834', '2130 2231', '6625 3237'];
const READING: ScreenshotReading = {
  site: 'instagram.com',
  codes: CODES.map((code) => ({ code, used: false })),
  flagged: ['5792 3834'],
  text: `Backup codes\n${CODES.join('\n')}`,
};

/** The first bytes of a PNG of the given size: all the picker reads before the OCR runs. */
function pngHeader(width: number, height: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(64);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(bytes.buffer).setUint32(16, width);
  new DataView(bytes.buffer).setUint32(20, height);
  return bytes;
}

function pick(input: HTMLInputElement, file: File): void {
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  input.dispatchEvent(new Event('change', { bubbles: true }));
  flushSync();
}

const shot = (name = 'codes.png') => new File([pngHeader(1170, 2532)], name, { type: 'image/png' });

beforeEach(() => {
  readScreenshot.mockReset();
  URL.createObjectURL = vi.fn(() => 'blob:spare/screenshot');
  URL.revokeObjectURL = vi.fn();
});
afterEach(unmountPopup);

async function openAdd() {
  const mounted = mountPopup('unlocked', (request) =>
    request.type === 'add-account'
      ? accountFixture(
          'new',
          request.account.site,
          request.account.codes.map((c) => c.value),
        )
      : undefined,
  );
  await until(() => button(mounted.root, 'Add account'), 'the list');
  mounted.app.go({ name: 'add' });
  await until(() => byId('add-screenshot'), 'Add account');
  return mounted;
}

describe('Add account: a screenshot', () => {
  test('a picked image: OCR with the typed site, codes in the field and the preview, picture beside, unsure code marked; Save stores them', async () => {
    readScreenshot.mockResolvedValue(READING);
    const { root, requests } = await openAdd();
    type(byId('add-site')!, 'instagram.com');
    const file = shot();
    pick(byId('add-screenshot')!, file);
    const preview = await until(() => root.querySelector('#add-preview'), 'the preview');
    expect(readScreenshot).toHaveBeenCalledWith(file, { site: 'instagram.com' });
    expect(root.querySelector<HTMLTextAreaElement>('#add-codes')!.value).toBe(CODES.join('\n'));
    expect(Array.from(preview.querySelectorAll('li code'), (c) => c.textContent)).toEqual(CODES);
    const image = preview.querySelector('img')!;
    expect(image.getAttribute('src')).toBe('blob:spare/screenshot');
    expect(image.getAttribute('alt')).toBe('The screenshot the codes were read from');
    const marked = Array.from(preview.querySelectorAll('li.flagged'), (li) => squash(li.textContent));
    expect(marked).toEqual(['5792 3834⚠check this code against the screenshot']);
    expect(squash(preview.textContent)).toContain(
      '1 code is marked ⚠ because a character is hard to read. Check it against the screenshot before you save.',
    );

    button(root, 'Save')!.click();
    await until(() => requests.find((r) => r.type === 'add-account'), 'the save');
    const saved = requests.find((r) => r.type === 'add-account')!;
    expect(saved).toEqual({
      type: 'add-account',
      account: { site: 'instagram.com', codes: CODES.map((value) => ({ value })) },
    });
    // The picture never travels: no request carries it or its address.
    expect(JSON.stringify(requests)).not.toContain('blob:');
  });

  test('a pasted image is read the same way; the site it reveals fills an empty Website field', async () => {
    readScreenshot.mockResolvedValue(READING);
    const { root } = await openAdd();
    const paste = new Event('paste', { bubbles: true, cancelable: true });
    Object.defineProperty(paste, 'clipboardData', { value: { files: [shot('image.png')] } });
    byId('add-codes')!.dispatchEvent(paste);
    await until(() => root.querySelector('#add-preview'), 'the preview');
    expect(paste.defaultPrevented).toBe(true);
    expect(readScreenshot).toHaveBeenCalledWith(expect.any(File), {});
    expect(byId('add-site')!.value).toBe('instagram.com');
  });

  test.each([
    [
      'a file that is not an image',
      new File(['1234 5678\n'], 'codes.png', { type: 'image/png' }),
      'This file is not a PNG, JPEG or WebP image, so nothing was read.',
    ],
    [
      'an image over 40 megapixels',
      new File([pngHeader(10_000, 5_000)], 'huge.png'),
      'This image is too large (over 20 MB or 40 megapixels), so nothing was read. Crop it to the codes and try again.',
    ],
  ])('%s: one sentence, no OCR, nothing in the field', async (_, file, sentence) => {
    const { root } = await openAdd();
    pick(byId('add-screenshot')!, file);
    await until(() => alerts(root).length > 0, 'the error');
    expect(alerts(root)).toEqual([sentence]);
    expect(readScreenshot).not.toHaveBeenCalled();
    expect(byId('add-codes')!.value).toBe('');
  });

  test('an image over 20 MB is refused before it is read', async () => {
    const { root } = await openAdd();
    const big = new File([pngHeader(1170, 2532), new Uint8Array(20 * 1024 * 1024)], 'big.png');
    pick(byId('add-screenshot')!, big);
    await until(() => alerts(root).length > 0, 'the error');
    expect(alerts(root)[0]).toMatch(/^This image is too large/);
    expect(readScreenshot).not.toHaveBeenCalled();
  });

  test('an image without codes: one sentence, and Save has nothing to save', async () => {
    readScreenshot.mockResolvedValue({ site: null, codes: [], flagged: [], text: 'A photo of a cat' });
    const { root, requests } = await openAdd();
    type(byId('add-site')!, 'instagram.com');
    pick(byId('add-screenshot')!, shot());
    await until(() => alerts(root).length > 0, 'the error');
    expect(alerts(root)).toEqual([
      'No backup codes found in this screenshot, and nothing was added. Try a sharper screenshot that shows the whole list.',
    ]);
    button(root, 'Save')!.click();
    flushSync();
    expect(requests.some((r) => r.type === 'add-account')).toBe(false);
  });
});

describe('Replace codes: a screenshot', () => {
  test('a picked image fills the preview beside the picture, and the replace sends its codes', async () => {
    readScreenshot.mockResolvedValue(READING);
    const account = accountFixture('acc', 'instagram.com', ['1111 2222', '3333 4444']);
    account.codes[1]!.state = 'used';
    const { root, app, requests } = mountPopup('unlocked', (request) => {
      if (request.type === 'list-accounts') return [];
      if (request.type === 'get-account') return account;
      if (request.type === 'take-copy-questions') return [];
      if (request.type === 'replace-codes')
        return {
          ...account,
          codes: accountFixture(
            'acc',
            'instagram.com',
            request.codes.map((c) => c.value),
          ).codes,
        };
      return undefined;
    });
    await until(() => button(root, 'Add account'), 'the list');
    app.go({ name: 'detail', accountId: 'acc' });
    const details = await until(
      () => root.querySelector<HTMLDetailsElement>('details:has(#replace-codes)'),
      'the account',
    );
    details.open = true;
    details.dispatchEvent(new Event('toggle'));
    flushSync();
    pick(byId('replace-screenshot')!, shot());
    const preview = await until(() => root.querySelector('#replace-preview'), 'the preview');
    expect(readScreenshot).toHaveBeenCalledWith(expect.any(File), { site: 'instagram.com' });
    expect(preview.querySelector('img')?.getAttribute('src')).toBe('blob:spare/screenshot');
    expect(preview.querySelectorAll('li.flagged')).toHaveLength(1);
    button(root, 'Replace all codes')!.click();
    flushSync();
    await until(() => requests.find((r) => r.type === 'replace-codes'), 'the replace');
    expect(requests.find((r) => r.type === 'replace-codes')).toMatchObject({
      codes: CODES.map((value) => ({ value })),
    });
  });
});
