import { describe, expect, test } from 'vitest';
import { estimateStrength, masterPasswordProblem } from '../../../src/popup/lib/strength';

describe('estimateStrength', () => {
  test.each(['password', 'Password123!', 'P@ssw0rd', 'qwertyuiop', 'letmein2024', 'abc123'])(
    'rates the common password %s weak',
    (password) => {
      expect(estimateStrength(password).level).toBe('weak');
    },
  );

  test.each(['abcdefghijkl', '1234567890123', 'aaaaaaaaaaaaaaaa', '121212121212'])(
    'rates runs and repeats %s weak',
    (password) => {
      expect(estimateStrength(password).level).toBe('weak');
    },
  );

  test('a short random password cannot be more than weak', () => {
    expect(estimateStrength('x7#Qp2!').level).toBe('weak');
    expect(estimateStrength('x7#Qp2!').hints[0]).toMatch(/at least 10 characters/);
  });

  test.each(['correct horse battery staple', 'Tz8#mQ2!vL9@wR4k', 'lantern-quiet-orbit-mango-17'])(
    'rates %s strong',
    (password) => {
      const report = estimateStrength(password);
      expect(report.level).toBe('strong');
      expect(report.hints).toEqual([]);
    },
  );

  test('a medium password is fair and says how to improve it', () => {
    const report = estimateStrength('Kestrel4Ridge');
    expect(report.level).toBe('fair');
    expect(report.hints.length).toBeGreaterThan(0);
  });

  test('more length never lowers the estimate of a random-looking password', () => {
    let previous = -1;
    const source = 'hT7$kw2Lq9#vB4nZ';
    for (let n = 1; n <= source.length; n++) {
      const bits = estimateStrength(source.slice(0, n)).bits;
      expect(bits).toBeGreaterThanOrEqual(previous);
      previous = bits;
    }
  });

  test('says which pattern it penalised', () => {
    expect(estimateStrength('Horse12345678').hints.join(' ')).toMatch(/runs/);
    expect(estimateStrength('Horsezzzzzzzzz').hints.join(' ')).toMatch(/repeated/);
  });
});

describe('masterPasswordProblem', () => {
  test('refuses an empty, short or weak password on the password field', () => {
    expect(masterPasswordProblem('', '')).toEqual({ field: 'password', message: 'Enter a master password.' });
    expect(masterPasswordProblem('short', 'short')?.message).toMatch(/at least 10 characters/);
    expect(masterPasswordProblem('password123', 'password123')).toMatchObject({ field: 'password' });
    expect(masterPasswordProblem('password123', 'password123')?.message).toMatch(/too weak/);
  });

  test('refuses a mismatch on the confirmation field', () => {
    expect(masterPasswordProblem('lantern-quiet-orbit', 'lantern-quiet-orbiT')).toEqual({
      field: 'confirm',
      message: 'The two passwords do not match.',
    });
  });

  test('accepts a fair or strong password typed twice', () => {
    expect(masterPasswordProblem('Kestrel4Ridge', 'Kestrel4Ridge')).toBeNull();
    expect(masterPasswordProblem('lantern-quiet-orbit-mango', 'lantern-quiet-orbit-mango')).toBeNull();
  });
});
