import { describe, expect, test } from 'vitest';
import { findSecret } from '../e2e/support/find-secrets';

// The e2e storage audit is only as good as this search: prove it finds each encoding it claims to.
describe('findSecret', () => {
  const secret = '4283f-efc63';
  const utf8 = Buffer.from(secret);
  test.each([
    ['text', { a: `x${secret}y` }],
    ['hex', { a: `00${utf8.toString('hex')}ff` }],
    ['base64', { a: Buffer.concat([Buffer.from('ab'), utf8, Buffer.from('z')]).toString('base64') }],
    ['utf8 bytes', { a: { $bytes: `0102${utf8.toString('hex')}03` } }],
    ['utf16 bytes', { a: { $bytes: Buffer.from(`-${secret}-`, 'utf16le').toString('hex') } }],
    ['text', { [`key-${secret}`]: 1 }],
  ])('finds the secret as %s', (_name, area) => {
    expect(findSecret({ area }, secret)).not.toEqual([]);
  });

  test('finds nothing in a dump without the secret', () => {
    expect(findSecret({ area: { a: 'hello', b: { $bytes: 'deadbeef' } } }, secret)).toEqual([]);
  });

  test('finds a secret of hex digits in bytes, not in the hex spelling of other bytes', () => {
    // Bytes 0x49 0x21 are spelt "4921" in the dump: that is ciphertext, not the PIN 4921.
    expect(findSecret({ area: { b: { $bytes: '00492100' } } }, '4921')).toEqual([]);
    expect(
      findSecret({ area: { b: { $bytes: `00${Buffer.from('4921').toString('hex')}00` } } }, '4921'),
    ).toEqual(['area: utf8 bytes']);
  });

  test('finds a hex or base64 form written into bytes as text', () => {
    const hexAsBytes = Buffer.from(`--${utf8.toString('hex')}--`).toString('hex');
    expect(findSecret({ area: { b: { $bytes: hexAsBytes } } }, secret)).toContain('area: hex in bytes');
  });
});
