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
});
