/**
 * Gives DOM tests the browser's i18n with the English messages, built from src/locales/en.yml exactly as the
 * extension build does, so components render the same text as in the popup.
 */
import { generateChromeMessagesText, parseMessagesFile } from '@wxt-dev/i18n/build';
import { resolve } from 'node:path';

// Not import.meta.url: with the Svelte plugin (the components tier) it is not a file: URL. Vitest runs from the
// repository's root.
const file = resolve(process.cwd(), 'src/locales/en.yml');
const messages = JSON.parse(generateChromeMessagesText(await parseMessagesFile(file))) as Record<
  string,
  { message: string }
>;

function getMessage(key: string, substitutions?: string | string[]): string {
  const entry = messages[key];
  if (!entry) return '';
  const subs = typeof substitutions === 'string' ? [substitutions] : (substitutions ?? []);
  return entry.message.replace(/\$(\$|[1-9])/g, (_, which: string) =>
    which === '$' ? '$' : (subs[Number(which) - 1] ?? ''),
  );
}

const g = globalThis as { chrome?: Record<string, unknown> };
g.chrome = { ...g.chrome, i18n: { getMessage, getUILanguage: () => 'en' } };
