import type { Locale } from '../../../db/schema/identity.js';

/** The English name where there is one and the reader wants English, else the Chinese. */
export function localName(locale: Locale, zh: string, en: string | null | undefined): string {
  return locale === 'en' && en ? en : zh;
}
