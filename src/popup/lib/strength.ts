/**
 * A small password-strength estimator for the create-vault and change-password screens. It is not zxcvbn:
 * it estimates guessing effort from length and character variety, then takes away what attackers try first
 * (common passwords, keyboard and alphabet runs, repeats, a word followed by digits). It errs on the side of
 * calling a password weaker than it is, because the master password cannot be recovered or reset.
 */

export type StrengthLevel = 'weak' | 'fair' | 'strong';

export interface StrengthReport {
  level: StrengthLevel;
  /** Rough guessing effort in bits, after penalties. */
  bits: number;
  /** Short, specific advice; empty when the password is strong. */
  hints: string[];
}

export const MIN_MASTER_PASSWORD_LENGTH = 10;
const FAIR_BITS = 45;
const STRONG_BITS = 65;

// The top of the public breach lists, lower-cased; a password that is one of these (or one plus a
// trailing number or symbol) is guessed in the first seconds of any attack.
const COMMON_PASSWORDS = new Set([
  'password',
  'passw0rd',
  'password1',
  'qwerty',
  'qwertyuiop',
  'letmein',
  'welcome',
  'iloveyou',
  'admin',
  'administrator',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'sunshine',
  'princess',
  'starwars',
  'superman',
  'trustno1',
  'whatever',
  'shadow',
  'master',
  'masterpassword',
  'freedom',
  'secret',
  'changeme',
  'login',
  'abc123',
  'spare',
  'backupcodes',
]);

const RUNS = [
  'abcdefghijklmnopqrstuvwxyz',
  '01234567890',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'azertyuiop',
];

function characterPool(password: string): number {
  let pool = 0;
  if (/[a-z]/.test(password)) pool += 26;
  if (/[A-Z]/.test(password)) pool += 26;
  if (/\d/.test(password)) pool += 10;
  if (/[^a-zA-Z\d\s]/.test(password)) pool += 33;
  if (/\s/.test(password)) pool += 1;
  // Letters outside ASCII widen the pool a lot, but give them a modest credit: we cannot tell a rare
  // script from a common accented word.
  if (/[^\p{ASCII}]/u.test(password)) pool += 40;
  return Math.max(pool, 1);
}

/** Counts the characters that belong to a forward or backward run of 3+ along a keyboard row or alphabet. */
function charactersInRuns(lower: string): number {
  let inRun = 0;
  let i = 0;
  while (i < lower.length) {
    let longest = 1;
    for (const run of RUNS) {
      for (const sequence of [run, [...run].reverse().join('')]) {
        let length = 1;
        const at = sequence.indexOf(lower[i]!);
        while (at >= 0 && i + length < lower.length && sequence[at + length] === lower[i + length]) length++;
        if (at >= 0 && length > longest) longest = length;
      }
    }
    if (longest >= 3) {
      inRun += longest;
      i += longest;
    } else {
      i++;
    }
  }
  return inRun;
}

/** Characters that merely repeat what came just before: a character (aaaa) or a short block (abcabc, 1212). */
function repeatedCharacters(password: string): number {
  const repeated = new Array<boolean>(password.length).fill(false);
  for (let i = 1; i < password.length; i++) {
    for (const block of [1, 2, 3]) {
      if (i < block || i + block > password.length) continue;
      if (password.slice(i, i + block) === password.slice(i - block, i)) {
        for (let j = i; j < i + block; j++) repeated[j] = true;
      }
    }
  }
  return repeated.filter(Boolean).length;
}

function stripDecoration(lower: string): string {
  // "Password123!" is "password" to a guessing tool: it tries common words with digits and a symbol appended.
  return lower.replace(/[\d\W_]+$/u, '').replace(/^[\d\W_]+/u, '');
}

function leetToPlain(lower: string): string {
  return lower
    .replace(/[@4]/g, 'a')
    .replace(/3/g, 'e')
    .replace(/[1!|]/g, 'i')
    .replace(/0/g, 'o')
    .replace(/[$5]/g, 's');
}

export function estimateStrength(password: string): StrengthReport {
  const hints: string[] = [];
  if (password.length === 0) return { level: 'weak', bits: 0, hints: ['Enter a master password.'] };

  const lower = password.toLowerCase();
  const chars = [...password];
  const poolBits = Math.log2(characterPool(password));

  let effectiveLength = chars.length;
  const runs = charactersInRuns(lower);
  if (runs > 0) {
    // A run costs about as much as its first character plus a direction.
    effectiveLength -= runs * 0.8;
    hints.push('Avoid runs like “abc”, “123” or “qwerty”.');
  }
  const repeats = repeatedCharacters(password);
  if (repeats > 0) {
    effectiveLength -= repeats * 0.8;
    hints.push('Avoid repeated characters or blocks.');
  }

  let bits = Math.max(0, effectiveLength) * poolBits;

  const core = leetToPlain(stripDecoration(lower));
  if (COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(core) || COMMON_PASSWORDS.has(leetToPlain(lower))) {
    bits = Math.min(bits, 10);
    hints.unshift('This is one of the most common passwords.');
  }

  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((re) => re.test(password)).length;
  if (classes === 1 && chars.length < 20) {
    bits *= 0.75;
    hints.push('Mix in other kinds of characters, or make it a longer phrase.');
  }

  if (chars.length < MIN_MASTER_PASSWORD_LENGTH) {
    hints.unshift(`Use at least ${MIN_MASTER_PASSWORD_LENGTH} characters.`);
    bits = Math.min(bits, FAIR_BITS - 1);
  } else if (bits < STRONG_BITS && hints.length === 0) {
    hints.push('Longer is stronger: a phrase of four or more unrelated words works well.');
  }

  const rounded = Math.round(bits);
  const level: StrengthLevel = rounded >= STRONG_BITS ? 'strong' : rounded >= FAIR_BITS ? 'fair' : 'weak';
  return { level, bits: rounded, hints: level === 'strong' ? [] : hints };
}

/**
 * Why a new master password is refused, or null when it is acceptable. "fair" is allowed: Argon2id with
 * 64 MiB makes each guess expensive, and refusing too much pushes people to write passwords down.
 */
export function masterPasswordProblem(
  password: string,
  confirmation: string,
): { field: 'password' | 'confirm'; message: string } | null {
  if (password.length === 0) return { field: 'password', message: 'Enter a master password.' };
  if ([...password].length < MIN_MASTER_PASSWORD_LENGTH)
    return {
      field: 'password',
      message: `The master password needs at least ${MIN_MASTER_PASSWORD_LENGTH} characters.`,
    };
  const report = estimateStrength(password);
  if (report.level === 'weak')
    return {
      field: 'password',
      message: `This master password is too weak. ${report.hints[0] ?? ''}`.trim(),
    };
  if (confirmation !== password) return { field: 'confirm', message: 'The two passwords do not match.' };
  return null;
}
