/**
 * Every user-facing string goes through `t`, which reads the browser's own i18n (`_locales`, built from
 * src/locales/*.yml by @wxt-dev/i18n). The language is the browser's: there is no setting to get wrong, and
 * nothing is fetched. Keys are typed from en.yml, so a misspelt key does not compile.
 */
import { createI18n } from '@wxt-dev/i18n';
import type { GeneratedI18nStructure } from '../.wxt/i18n/structure';

export const i18n = createI18n<GeneratedI18nStructure>();
export const t = i18n.t;
