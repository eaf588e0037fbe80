import { describe, expect, test } from 'vitest';
import { findBinary } from '../e2e/support/browsers';

describe('finding the browsers for the e2e tier', () => {
  const nothing = () => false;

  test.each([
    ['chromium', 'chromium'],
    ['firefox', 'firefox-esr'],
  ] as const)('a missing %s fails with one line naming the Debian package %s', (name, debianPackage) => {
    const error = (() => {
      try {
        findBinary(name, {}, nothing);
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(error).toContain(`apt-get install -y ${debianPackage}`);
    expect(error).not.toContain('\n');
  });

  test('the environment variable wins over the usual locations', () => {
    const exists = (path: string) => path === '/opt/chromium/chrome' || path === '/usr/bin/chromium';
    expect(findBinary('chromium', { CHROMIUM_PATH: '/opt/chromium/chrome' }, exists)).toBe(
      '/opt/chromium/chrome',
    );
    expect(findBinary('chromium', {}, exists)).toBe('/usr/bin/chromium');
    expect(() => findBinary('firefox', { FIREFOX_PATH: '/nope' }, exists)).toThrow('FIREFOX_PATH=/nope');
  });
});
