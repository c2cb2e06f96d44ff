import type { Locale } from '../../../db/schema/identity.js';

/** The reader's language version of a bilingual field, falling back to Chinese. */
export function pick(locale: Locale, zh: string, en: string | null | undefined): string {
  return locale === 'en' && en ? en : zh;
}

/** "3.0" -> "3", "2.5" -> "2.5": credits as people write them, still exact. */
export function formatCredits(credits: string): string {
  return credits.includes('.') ? credits.replace(/\.?0+$/, '') : credits;
}
