/**
 * Gives DOM tests the browser's i18n with the English messages, built from src/locales/en.yml exactly as the
 * extension build does, so components render the same text as in the popup.
 */
import { generateChromeMessagesText, parseMessagesFile } from '@wxt-dev/i18n/build';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// From a path, not `new URL(…)`: in happy-dom `URL` is the DOM's, which Node's fileURLToPath refuses.
const file = join(dirname(fileURLToPath(import.meta.url)), '../../src/locales/en.yml');
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
