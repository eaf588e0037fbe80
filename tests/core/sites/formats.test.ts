import { describe, expect, test } from 'vitest';
import { normaliseCode } from '../../../src/core/codes';
import { siteById } from '../../../src/sites/registry';
import { groupedDisplay } from '../../../src/sites/formats';

// Facts the adapters encode, checked against the shapes their sources show.
describe('adapter formats', () => {
  test.each([
    ['github', '4283fefc63', '4283f-efc63'],
    ['gitlab', '122b598615dcbe81', '122b598615dcbe81'],
    ['discord', 'qw7b3pdk', 'qw7b-3pdk'],
    ['google', '42311850', '4231 1850'],
    ['instagram', '12345678', '1234 5678'],
    ['microsoft', 'abcde12345fghij67890klmno', 'ABCDE-12345-FGHIJ-67890-KLMNO'],
    ['pypi', '483a50dd234afed6', '483a50dd234afed6'],
    ['wordpress', '90679037', '90679037'],
  ])('%s shows %s as %s', (id, normalised, shown) => {
    const site = siteById(id)!;
    const format = site.formats[0]!;
    expect(format.normalisedPattern.test(normalised)).toBe(true);
    expect(format.display(normalised)).toBe(shown);
    expect(normaliseCode(shown, site)).toBe(normalised);
  });

  test.each([
    ['github', '4283f-efc6'],
    ['github', '4283g-efc63'],
    ['gitlab', '122b598615dcbe8'],
    ['discord', 'qw7b-3pd!'],
    ['google', '1234 567'],
  ])('%s rejects %s', (id, code) => {
    const site = siteById(id)!;
    expect(site.formats.some((format) => format.normalisedPattern.test(normaliseCode(code, site)))).toBe(
      false,
    );
  });

  test('groupedDisplay leaves a code of another length whole', () => {
    expect(groupedDisplay([4, 4], ' ')('123456789')).toBe('123456789');
  });
});
