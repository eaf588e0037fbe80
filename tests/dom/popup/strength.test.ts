/**
 * The master-password rating (issue 9): zxcvbn with its dictionaries, loaded with import(), and its feedback in
 * Spare's own words. The minimum length and "weak is refused" rules of the create and change forms stay.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { loadRater, masterPasswordProblem, reportFor, type Rater } from '../../../src/popup/lib/strength';

let rate: Rater;
beforeAll(async () => {
  rate = await loadRater();
}, 30_000);

describe('rating', () => {
  test.each(['password', 'Password123!', 'P@ssw0rd', 'qwertyuiop12', 'letmein2024', 'iloveyou2024'])(
    'rates the common password %s weak',
    (password) => {
      expect(rate(password).level).toBe('weak');
    },
  );

  test.each(['abcdefghijkl', '1234567890123', 'aaaaaaaaaaaaaaaa', '121212121212'])(
    'rates runs and repeats %s weak',
    (password) => {
      expect(rate(password).level).toBe('weak');
    },
  );

  test('a short random password cannot be more than weak, and says why', () => {
    expect(rate('x7#Qp2!').level).toBe('weak');
    expect(rate('x7#Qp2!').advice).toBe('Use at least 10 characters.');
  });

  test.each(['correct horse battery staple', 'Tz8#mQ2!vL9@wR4k', 'lantern-quiet-orbit-mango-17'])(
    'rates %s strong, with nothing to add',
    (password) => {
      expect(rate(password)).toMatchObject({ level: 'strong', advice: null });
    },
  );

  test('says why a password is weak, in Spare’s words', () => {
    expect(rate('qwertyuiop').advice).toBe('This is one of the hundred most used passwords.');
    expect(rate('abcdefghijkl').advice).toBe('Sequences like “abc” or “123” are easy to guess.');
    expect(rate('aaaaaaaaaaaaaaaa').advice).toBe('Repeated characters like “aaa” are easy to guess.');
    expect(rate('121212121212').advice).toBe('Repeated patterns like “abcabcabc” are easy to guess.');
  });

  test('maps zxcvbn’s scores and keys, falling back to a suggestion when there is no warning', () => {
    const long = 'long enough password';
    expect(reportFor(long, { score: 2, warning: null, suggestions: ['anotherWord'] })).toEqual({
      level: 'weak',
      score: 2,
      advice: 'Add more words that are less common.',
    });
    expect(reportFor(long, { score: 3, warning: 'dates', suggestions: [] })).toMatchObject({
      level: 'fair',
      advice: 'Dates are easy to guess.',
    });
    expect(reportFor(long, { score: 4, warning: 'dates', suggestions: [] })).toMatchObject({
      level: 'strong',
      advice: null,
    });
    // A key Spare has no words for is left out rather than shown raw.
    expect(reportFor(long, { score: 1, warning: 'pwned', suggestions: [] }).advice).toBeNull();
  });
});

describe('masterPasswordProblem', () => {
  test('refuses an empty, short or weak password on the password field', () => {
    expect(masterPasswordProblem('', '', rate)).toEqual({
      field: 'password',
      message: 'Enter a master password.',
    });
    expect(masterPasswordProblem('short', 'short', rate)?.message).toMatch(/at least 10 characters/);
    expect(masterPasswordProblem('password123', 'password123', rate)).toEqual({
      field: 'password',
      message: 'This master password is too weak. This is a very common password.',
    });
  });

  test('refuses a mismatch on the confirmation field', () => {
    expect(masterPasswordProblem('lantern-quiet-orbit', 'lantern-quiet-orbiT', rate)).toEqual({
      field: 'confirm',
      message: 'The two passwords do not match.',
    });
  });

  test('accepts a fair or strong password typed twice', () => {
    expect(masterPasswordProblem('Kestrel4Ridge', 'Kestrel4Ridge', rate)).toBeNull();
    expect(masterPasswordProblem('lantern-quiet-orbit-mango', 'lantern-quiet-orbit-mango', rate)).toBeNull();
  });
});
