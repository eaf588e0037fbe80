import { describe, expect, test } from 'vitest';
import {
  normaliseSiteInput,
  originsForSite,
  pageMatchesSite,
  registrableDomain,
} from '../../../src/core/domain';
import { isSpareError } from '../../../src/core/errors';

describe('registrableDomain (design §4.2)', () => {
  test.each([
    ['instagram.com', 'instagram.com'],
    ['www.instagram.com', 'instagram.com'],
    ['https://accounts.google.com/signin?x=1', 'google.com'],
    ['WWW.Example.CO.UK', 'example.co.uk'],
    ['alice.github.io', 'alice.github.io'],
    ['https://bob.alice.github.io:8443/', 'alice.github.io'],
    ['instagram.com.', 'instagram.com'],
    ['http://localhost:3000/login', 'localhost'],
    ['127.0.0.1', '127.0.0.1'],
    ['http://[::1]:8080/', '::1'],
    ['https://bücher.de/', 'xn--bcher-kva.de'],
  ])('%s → %s', (input, expected) => {
    expect(registrableDomain(input)).toBe(expected);
  });

  test.each([
    'com',
    'github.io',
    'co.uk',
    'instagram',
    'foo.notarealtld',
    '',
    '   ',
    'a b.com',
    'http://',
    'a..com',
  ])('%j has none', (input) => {
    expect(registrableDomain(input)).toBeNull();
  });
});

describe('normaliseSiteInput', () => {
  test.each([
    ['Instagram.com', 'instagram.com'],
    ['https://www.instagram.com/x', 'instagram.com'],
    [' instagram.com ', 'instagram.com'],
    ['https://alice.github.io/blog', 'alice.github.io'],
    ['localhost', 'localhost'],
    ['192.168.1.10:8080', '192.168.1.10'],
  ])('%j → %s', (typed, expected) => {
    expect(normaliseSiteInput(typed)).toBe(expected);
  });

  test.each(['http://203.0.113.5', 'http://[2001:db8::1]:8080/login'])(
    'refuses plain http to a public address %j with one sentence that says why',
    (typed) => {
      expect(() => normaliseSiteInput(typed)).toThrow(
        /Spare fills codes over plain http only on this computer or a private network/,
      );
    },
  );

  test('accepts plain http to a private address', () => {
    expect(normaliseSiteInput('http://192.168.1.10:8080/login')).toBe('192.168.1.10');
  });

  test.each(['', 'instagram', 'not a site', 'javascript:alert(1)', 'com', 'chrome://extensions', 'http://'])(
    'rejects %j with invalid-input',
    (typed) => {
      let thrown: unknown;
      try {
        normaliseSiteInput(typed);
      } catch (error) {
        thrown = error;
      }
      expect(isSpareError(thrown, 'invalid-input')).toBe(true);
    },
  );
});

describe('pageMatchesSite', () => {
  test.each([
    ['https://www.instagram.com/accounts/login/', 'instagram.com', true],
    ['https://instagram.com:444/x', 'instagram.com', true],
    ['https://evil-instagram.com/', 'instagram.com', false],
    ['https://instagram.com.evil.com/', 'instagram.com', false],
    ['http://www.instagram.com/', 'instagram.com', false],
    ['https://alice.github.io/', 'alice.github.io', true],
    ['https://bob.github.io/', 'alice.github.io', false],
    ['https://github.com/login', 'alice.github.io', false],
    ['http://localhost:5173/login', 'localhost', true],
    ['https://localhost/login', 'localhost', true],
    ['http://127.0.0.1:8080/', '127.0.0.1', true],
    ['http://127.0.0.2/', '127.0.0.1', false],
    ['http://[::1]:3000/', '::1', true],
    ['http://app.localhost/', 'localhost', false],
    // Plain http only where no network attacker sits between: loopback, private and link-local addresses.
    ['http://10.1.2.3/', '10.1.2.3', true],
    ['http://172.16.0.1/', '172.16.0.1', true],
    ['http://172.31.255.254/', '172.31.255.254', true],
    ['http://192.168.1.10:8080/', '192.168.1.10', true],
    ['http://169.254.10.20/', '169.254.10.20', true],
    ['http://[fd12:3456:789a::1]/', 'fd12:3456:789a::1', true],
    ['http://[fe80::1]/', 'fe80::1', true],
    ['http://203.0.113.5/', '203.0.113.5', false],
    ['https://203.0.113.5/', '203.0.113.5', true],
    ['http://172.32.0.1/', '172.32.0.1', false],
    ['http://8.8.8.8/', '8.8.8.8', false],
    ['http://[2001:db8::1]/', '2001:db8::1', false],
    ['https://[2001:db8::1]/', '2001:db8::1', true],
    ['ftp://instagram.com/', 'instagram.com', false],
    ['not a url', 'instagram.com', false],
    // The adapter lists both of X's domains as one site.
    ['https://twitter.com/i/flow/login', 'x.com', true],
    ['https://x.com/i/flow/login', 'twitter.com', true],
  ])('%s on %s → %s', (url, site, expected) => {
    expect(pageMatchesSite(url, site)).toBe(expected);
  });

  test('explicit extra domains replace the adapter list', () => {
    expect(pageMatchesSite('https://messenger.com/', 'facebook.com', ['messenger.com'])).toBe(true);
    expect(pageMatchesSite('https://twitter.com/', 'x.com', [])).toBe(false);
  });
});

describe('originsForSite', () => {
  test('a domain gets https on itself and its subdomains', () =>
    expect(originsForSite('instagram.com')).toEqual([
      'https://instagram.com/*',
      'https://*.instagram.com/*',
    ]));
  test('loopback hosts get http only', () => {
    expect(originsForSite('localhost')).toEqual(['http://localhost/*']);
    expect(originsForSite('127.0.0.1')).toEqual(['http://127.0.0.1/*']);
  });
  test('an IPv6 site, stored without brackets, gets bracketed patterns', () => {
    expect(originsForSite('::1')).toEqual(['http://[::1]/*']);
    expect(originsForSite('fd00::5')).toEqual(['https://[fd00::5]/*', 'http://[fd00::5]/*']);
    expect(originsForSite('[fe80::1]')).toEqual(['https://[fe80::1]/*', 'http://[fe80::1]/*']);
  });
  test('a private or link-local address gets https and http', () => {
    expect(originsForSite('192.168.1.10')).toEqual(['https://192.168.1.10/*', 'http://192.168.1.10/*']);
    expect(originsForSite('169.254.1.1')).toEqual(['https://169.254.1.1/*', 'http://169.254.1.1/*']);
  });
  test('a public address gets https only: over plain http a network attacker would receive the code', () => {
    expect(originsForSite('203.0.113.5')).toEqual(['https://203.0.113.5/*']);
    expect(originsForSite('2001:db8::1')).toEqual(['https://[2001:db8::1]/*']);
  });
});
