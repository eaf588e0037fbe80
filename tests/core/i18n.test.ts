/**
 * Translations stay complete and the UI stays translatable: every locale has exactly the English keys with the
 * same placeholders, and no component shows text that bypasses `t()`.
 */
import { parseMessagesFile } from '@wxt-dev/i18n/build';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const localesDir = join(root, 'src/locales');
const LOCALES = ['en', 'de', 'fr', 'es', 'pt_BR', 'ja'] as const;

type Parsed = Awaited<ReturnType<typeof parseMessagesFile>>;
interface Entry {
  texts: string[];
  plural: boolean;
}

function entries(parsed: Parsed): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const m of parsed) {
    if (m.type === 'chrome') continue;
    const key = m.key.join('.');
    if (m.type === 'plural') out.set(key, { texts: Object.values(m.plurals), plural: true });
    else out.set(key, { texts: [m.message], plural: false });
  }
  return out;
}

/** `{name}` placeholders and `$1`…`$9` substitutions a message uses, as a sorted list. */
function placeholders(text: string): string[] {
  const named = [...text.matchAll(/\{(\w+)\}/g)].map((m) => `{${m[1]}}`);
  const positional = [...text.replace(/\$\$/g, '').matchAll(/\$([1-9])/g)].map((m) => `$${m[1]}`);
  return [...new Set([...named, ...positional])].sort();
}

const load = async (locale: string) => entries(await parseMessagesFile(join(localesDir, `${locale}.yml`)));

describe('locales', () => {
  it('ships exactly the supported locales', () => {
    const files = readdirSync(localesDir).map((f) => f.replace(/\.yml$/, ''));
    expect(files.sort()).toEqual([...LOCALES].sort());
  });

  for (const locale of LOCALES.filter((l) => l !== 'en')) {
    it(`${locale} has every English key, no other, with the same placeholders`, async () => {
      const en = await load('en');
      const other = await load(locale);
      expect(
        [...other.keys()].filter((k) => !en.has(k)),
        'keys English does not have',
      ).toEqual([]);
      expect(
        [...en.keys()].filter((k) => !other.has(k)),
        'keys missing',
      ).toEqual([]);
      for (const [key, source] of en) {
        const target = other.get(key)!;
        expect(target.plural, `${key}: plural in one locale only`).toBe(source.plural);
        const want = placeholders(source.texts.join(' '));
        for (const text of target.texts) {
          expect(text.trim(), `${locale} ${key} is empty`).not.toBe('');
          // A plural form may leave the count out ("one code left"), never invent a placeholder.
          for (const p of placeholders(text)) expect(want, `${locale} ${key}: unknown ${p}`).toContain(p);
        }
        if (!source.plural) expect(placeholders(target.texts[0]!), `${locale} ${key}`).toEqual(want);
      }
    });
  }
});

function walk(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name), ext) : d.name.endsWith(ext) ? [join(dir, d.name)] : [],
  );
}

/** Removes `{…}` template expressions, counting nested braces. */
function withoutExpressions(markup: string): string {
  let out = '';
  let depth = 0;
  for (const ch of markup) {
    if (ch === '{') depth++;
    if (depth === 0) out += ch;
    if (ch === '}' && depth > 0) {
      depth--;
      if (depth === 0) out += ' ';
    }
  }
  return out;
}

const TEXT_ATTRIBUTES = [
  'aria-label',
  'aria-description',
  'placeholder',
  'title',
  'alt',
  'aria-roledescription',
];

/** Literal text a person would see or hear in a component's markup. */
export function literalText(source: string): string[] {
  const markup = withoutExpressions(
    source
      .replace(/<script[\s\S]*?<\/script>/g, '')
      .replace(/<style[\s\S]*?<\/style>/g, '')
      .replace(/<!--[\s\S]*?-->/g, ''),
  );
  const found: string[] = [];
  for (const m of markup.matchAll(/>([^<]+)</g)) {
    const text = m[1]!.trim();
    if (/\p{L}/u.test(text)) found.push(text);
  }
  for (const attr of TEXT_ATTRIBUTES) {
    for (const m of markup.matchAll(new RegExp(`\\s${attr}="([^"]*)"`, 'g'))) {
      const text = m[1]!.trim();
      if (/\p{L}/u.test(text)) found.push(`${attr}="${text}"`);
    }
  }
  return found;
}

describe('components', () => {
  it('finds literal text (self-check)', () => {
    expect(literalText('<p class="x">Hello {name}</p><b>{t("a")}</b><i aria-label="Close">×</i>')).toEqual([
      'Hello',
      'aria-label="Close"',
    ]);
  });

  // The lab page exists only in the e2e build, for tests.
  const files = [...walk(join(root, 'src'), '.svelte'), ...walk(join(root, 'entrypoints'), '.html')].filter(
    (f) => !f.includes('/entrypoints/lab/'),
  );
  for (const file of files) {
    const name = relative(root, file);
    it(`${name} shows no text that is not a message`, () => {
      // An extension page's <title> is filled in by its script from t().
      const source = readFileSync(file, 'utf8').replace(/<title>[^<]*<\/title>/, '<title></title>');
      expect(literalText(source)).toEqual([]);
    });
  }
});
