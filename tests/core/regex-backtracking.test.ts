/**
 * No regular expression in the parser (src/core/codes) or the detector (src/detect) backtracks
 * catastrophically (issue 8). Both read text a page or a paste controls, so a regex that rescans its input from
 * every position turns a long word into a hang.
 *
 * The regexes are found in the source, not listed by hand: every regex literal and every `RegExp(…)` call in
 * those folders is run, so a new one cannot escape. Each runs over 100 KB inputs made of one repeated piece
 * (a letter, a digit, a space, the words of its own source…) and a character that ends the match, within
 * 100 ms each. A regex with an unbounded quantifier (`*`, `+`, `{n,}`: the only way to backtrack beyond a fixed
 * amount per position) must also have its worst case written below, for its shape: a new one fails this test
 * until someone has thought about it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { DATE_PATTERNS } from '../../src/core/codes/dates';
import * as codesLexicon from '../../src/core/codes/lexicon';
import * as lexicon from '../../src/detect/lexicon';
import { ALL_SITES } from '../../src/sites/registry';

const FOLDERS = ['src/core/codes', 'src/detect'];
const SIZE = 100_000;
const BUDGET_MS = 100;

/** A worst case: `prefix`, then `pump` repeated to 100 KB, then `suffix` (something the regex cannot take). */
type Worst = [prefix: string, pump: string, suffix?: string];

/**
 * The worst cases of the regexes that can take unbounded input per position, by their source text. Written
 * for each one's shape: the prefix that starts a match, repeated, and then what makes it fail at the end.
 */
const WORST: Record<string, Worst[]> = {
  // parser: src/core/codes/parse.ts
  '/\\b(?:https?|ftp):\\/\\/\\S+|\\bwww\\.\\S+/gi': [
    ['', 'http://'],
    ['', 'www.'],
    ['https://', 'a'],
  ],
  '/(?<![^\\s@<>()[\\]"\'`|,;:])[^\\s@<>()[\\]"\'`|,;:]+@[^\\s@<>()[\\]"\'`|,;:]+/g': [
    ['', 'a', ' '],
    ['', 'a@'],
    ['', '1'],
  ],
  '/\\b\\d{4}-\\d{1,2}-\\d{1,2}(?:[T ]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?\\b/g':
    [
      ['2026-03-04T10:15:00.', '1', 'a'],
      ['', '2026-03-04 '],
    ],
  '/\\+\\d[\\d\\s().-]{6,}\\d/g': [
    ['+1', ' ', 'x'],
    ['+1', '(', 'x'],
    ['', '+1 '],
  ],
  '/(?<![\\w-])(?:password|passwort|passphrase|passcode|pwd|secret|seed|(?:setup|secret|totp|otp|2fa|mfa|manual|authenticator|app|private|api)\\s+key|key\\s*[:=]|user\\s?name\\s*[:=]|user\\s*[:=]|login\\s*[:=]|e-?mail\\s*[:=]|account\\s*[:=]|phone\\s*[:=])(?![\\w-])/i':
    [
      ['app', ' ', 'x'],
      ['key', ' ', 'x'],
      ['user name', ' ', 'x'],
      ['', 'app '],
      ['', 'key '],
    ],
  '/~~(.+?)~~/g': [
    ['~~', 'a', '~'],
    ['', '~~a'],
    ['', '~'],
  ],
  '/^(?:|no|n|false|unused|-+|–|—|0|\\u2717|\\u2718|\\u274c|\\[ \\])$/i': [['', '-', 'x']],
  '/[A-Za-z0-9]+(?:[ \\-\\u2010-\\u2015][A-Za-z0-9]+)*/g': [
    ['', 'a ', '  '],
    ['', 'a-', '--'],
    ['', '1 ', ' '],
  ],
  '/[A-Za-z0-9]+/g': [['', 'a']],
  '/[A-Za-z]{2,}/g': [['', 'ab', '1']],
  '/\\t| {2,}/': [['', ' a']],
  '/[^A-Za-z0-9]+/': [['', '!']],
  // parser (issue 10): src/core/codes/{lexicon,tables,lines,shapes}.ts
  '/^(?:used|used on|used at|date used|used\\?|status|state|spent|redeemed|done|verwendet|benutzt|statut|utilisée?|estado|usado|utilizado|stato|utilizzato|gebruikt|użyty|kullanıldı|durum|использован[а-я]*|статус|使用済み?|使用|已使用|状态|사용(?:됨)?|상태)$/i':
    [['использован', 'а', 'x']],
  '/^(?:|no|n|false|unused|not used|new|open|available|-+|–|—|0|\\u2717|\\u2718|\\u274c|\\u2610|\\[ \\]|nein|non|não|nao|nie|niet|hayır|нет|いいえ|未使用|否|아니요|아니오)$/i':
    [['', '-', 'x']],
  '/^[ \\t]*(?:[-*+•·◦▪▫‣–—→>]|\\[[ xX]\\])[ \\t]/': [['', ' ', 'x']],
  '/^\\d+$/': [['', '1', 'x']],
  '/^(?=\\d*[a-f])[0-9a-f]+$|^(?=\\d*[A-F])[0-9A-F]+$/': [['', '1', 'x']],
  '/^[0-9a-f]+$|^[0-9A-F]+$/': [['', 'a', 'x']],
  '/^[0-9A-Z]+$|^[0-9a-z]+$/': [['', 'a', '!']],
  '/^[A-Za-z]+$/': [['', 'a', '1']],
  '/^\\s*[:=]/': [['', ' ', 'x']],
  '/^[a-z]*(?:[A-Z][a-z]{2,})+$/': [
    ['', 'Aaa', '1'],
    ['', 'a', 'A'],
  ],
  '/^[\\t ]*([A-Za-z0-9]{3,7}(?: [A-Za-z0-9]{3,7}){1,15})[\\t ]*$/': [
    ['', '1234 ', 'x'],
    ['', ' ', 'x'],
    ['', 'abcdefg ', '!'],
  ],
  "src/core/codes/lexicon.ts: new RegExp(alternatives.join('|'), flags)": [
    ['', 'like '],
    ['', 'e.g. '],
    ['', 'such as '],
    ['', 'recovery '],
    ['', 'backup-'],
    ['', 'kody zapasow'],
    ['kody zapasow', 'a', '!'],
    ['', 'резервн'],
    ['резервн', 'а', '!'],
    ['', 'not used '],
    ['', 'использован'],
    ['', '例えば'],
    ['', 'バックアップ '],
  ],
  "src/core/codes/dates.ts: new RegExp(template.replaceAll('%M', MONTH), 'gi')": [
    ['', '4 march '],
    ['', '4. '],
    ['', '4 de '],
    ['', 'mar 4 '],
    ['', '4 de marzo de '],
    ['4 ', 'm', ' 2026'],
  ],
  // detector: src/detect
  '/(?:^|\\s)(?:cc-\\S+|postal-code|address-\\S+|street-address|country(?:-name)?|tel(?:-\\S+)?|email|username|current-password|new-password|name|given-name|family-name|additional-name|nickname|honorific-\\S+|bday(?:-\\S+)?|organization(?:-title)?|sex|url|photo|language|transaction-\\S+)(?:\\s|$)/':
    [
      [' cc-', 'a'],
      ['', ' cc-'],
      ['', ' tel-'],
      ['', ' name-'],
    ],
  '/\\s+/': [['', ' ', 'a']],
  '/\\s+/g': [['', ' ', 'a']],
  '/[/_.\\-\\d]+/g': [['', '1']],
  '/\\{(\\d+)(?:,(\\d+))?\\}/': [
    ['{', '1', 'x'],
    ['', '{1,'],
    ['', '{'],
  ],
  '/[^A-Za-z0-9]+/g': [['', '!']],
  // Built at run time; the instances are made below.
  "src/core/codes/parse.ts: new RegExp(`\\\\b${escapeRegExp(word)}\\\\b(?!\\\\s+authenticator)`, 'i')": [
    ['github', ' ', 'x'],
    ['', 'github '],
    ['', 'github'],
  ],
  "src/core/codes/parse.ts: new RegExp(`\\\\b${escapeRegExp(domain)}\\\\b`, 'i')": [
    ['', 'github.'],
    ['', 'github.com'],
  ],
  "src/detect/lexicon.ts: new RegExp(parts.join('|'))": [
    ['backup ', 'a', '!'],
    ['', 'backup '],
    ['', 'backup-'],
    ['', 'резервн'],
    ['', '비밀번호 '],
    ['', 'a '],
  ],
};

/** The regexes that `new RegExp(…)` in these folders makes at run time, rebuilt the way the code builds them. */
function dynamicInstances(key: string): RegExp[] {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (key.includes('escapeRegExp(word)'))
    return ALL_SITES.flatMap((site) =>
      site.name
        .split(/[^A-Za-z0-9]+/)
        .filter((word) => word.length >= 3)
        .map((word) => new RegExp(`\\b${escape(word)}\\b(?!\\s+authenticator)`, 'i')),
    );
  if (key.includes('escapeRegExp(domain)'))
    return ALL_SITES.flatMap((site) =>
      site.domains.map((domain) => new RegExp(`\\b${escape(domain)}\\b`, 'i')),
    );
  if (key.includes('parts.join'))
    return Object.values(lexicon).filter((value): value is RegExp => value instanceof RegExp);
  // The parser's word lists and month-name dates, built from pieces; every one they build is run.
  if (key.startsWith(path.join('src/core/codes/lexicon.ts')))
    return Object.values(codesLexicon).filter((value): value is RegExp => value instanceof RegExp);
  if (key.startsWith(path.join('src/core/codes/dates.ts')))
    return DATE_PATTERNS.map(({ pattern }) => pattern);
  throw new Error(`No instances for ${key}: teach this test how the code builds them`);
}

interface FoundRegex {
  where: string;
  /** The literal's text, or `file: call` for a RegExp built at run time. */
  key: string;
  regexes: RegExp[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return /\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts') ? [file] : [];
  });
}

function findRegexes(): FoundRegex[] {
  const found: FoundRegex[] = [];
  for (const file of FOLDERS.flatMap(sourceFiles)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      const where = `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = node.getText();
        const slash = text.lastIndexOf('/');
        found.push({ where, key: text, regexes: [new RegExp(text.slice(1, slash), text.slice(slash + 1))] });
      } else if (
        (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text === 'RegExp'
      ) {
        const key = `${file}: ${node.getText()}`;
        found.push({ where, key, regexes: dynamicInstances(key) });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** Whether the pattern has `*`, `+` or `{n,}` outside a character class. */
function unbounded(pattern: string): boolean {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '*' || c === '+' || (c === '{' && /^\{\d+,\}/.test(pattern.slice(i)))) return true;
  }
  return false;
}

function build([prefix, pump, suffix = '\u0000']: Worst): string {
  return prefix + pump.repeat(Math.ceil(SIZE / pump.length)).slice(0, SIZE) + suffix;
}

/** Pieces every regex meets: plain letters, digits and separators, and the words in its own source. */
function genericCases(regex: RegExp): Worst[] {
  const words = [...new Set(regex.source.match(/[a-z]{2,}/gi) ?? [])].slice(0, 12);
  return [
    ...['a', 'A', '1', ' ', '\t', '-', '.', '@', '#', '<s>', 'a1 ', 'ab-'],
    ...words,
    ...words.map((w) => `${w} `),
  ].map((pump): Worst => ['', pump]);
}

/** Runs the regex as the code does: every match of a global one, the first of any other. */
function timeOf(regex: RegExp, input: string): number {
  const started = performance.now();
  if (regex.global) for (const match of input.matchAll(regex)) void match;
  else regex.exec(input);
  return performance.now() - started;
}

const FOUND = findRegexes();

describe('regexes of the parser and the detector', () => {
  test('are found in the source (the search itself works)', () => {
    expect(FOUND.length).toBeGreaterThan(50);
    expect(FOUND.some((f) => f.where.startsWith(path.join('src', 'detect')))).toBe(true);
    expect(FOUND.filter((f) => !f.key.startsWith('/'))).toHaveLength(5);
  });

  test('each one with an unbounded quantifier has its worst case written here', () => {
    const missing = FOUND.filter(
      (f) => (!f.key.startsWith('/') || f.regexes.some((r) => unbounded(r.source))) && !WORST[f.key],
    ).map((f) => `${f.where} ${f.key}`);
    expect(missing, 'add a worst case to WORST for each').toEqual([]);
  });

  test.each(FOUND.map((f) => [f.where, f] as const))(
    `%s stays under ${BUDGET_MS} ms on 100 KB worst cases`,
    (_, { key, regexes }) => {
      for (const regex of regexes) {
        for (const worst of [...(WORST[key] ?? []), ...genericCases(regex)]) {
          const ms = timeOf(regex, build(worst));
          expect(ms, `${regex} on ${JSON.stringify(worst)}`).toBeLessThan(BUDGET_MS);
        }
      }
    },
  );
});
