import { expect, test } from 'vitest';
import { FILE_ERRORS, errorMessage } from '../../../src/popup/lib/errors';
import { SpareError, type SpareErrorCode } from '../../../src/core/errors';

// Issue 10 §2: each refusal of a password-manager export says what to export instead, in Spare's words.
test.each<[SpareErrorCode, RegExp]>([
  ['export-encrypted', /^This export is encrypted.*“JSON” \(not “JSON \(Encrypted\)”\)/],
  [
    'export-unknown-format',
    /^Spare does not recognise this file as a password-manager export\. Export from Bitwarden/,
  ],
  ['export-corrupt', /^This export is damaged or cut short.*nothing was imported/],
  ['export-too-large', /^This file is over 50 MB.*nothing was imported/],
])('%s has its own message and counts as a file error', (code, text) => {
  expect(errorMessage(new SpareError(code, 'the core’s English'))).toMatch(text);
  expect(FILE_ERRORS.has(code)).toBe(true);
});
