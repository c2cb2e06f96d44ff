import type { MetaDescriptor } from '@remix-run/node';
import type { RootData } from '../../root.js';
import { defaultLocale, translate, type MessageKey, type MessageParams } from './i18n.js';

function localeOf(matches: { id: string; data: unknown }[]) {
  return (matches.find((m) => m.id === 'root')?.data as RootData | undefined)?.locale ?? defaultLocale;
}

/** `<title>` in the reader's language: "Page · Site". */
export function titleMeta(matches: { id: string; data: unknown }[], key: MessageKey, params?: MessageParams): MetaDescriptor[] {
  const locale = localeOf(matches);
  return [{ title: `${translate(locale, key, params)} · ${translate(locale, 'site.name')}` }];
}

export type LocalName = { zh: string; en?: string | null };

/**
 * `<title>` naming what the page shows, most specific first, each name in the reader's
 * language when it has one: "Lesson · Course · Site". Without names (an error page), the
 * generic `fallback` page title.
 */
export function namedTitleMeta(matches: { id: string; data: unknown }[], names: readonly (LocalName | null | undefined)[], fallback: MessageKey): MetaDescriptor[] {
  const locale = localeOf(matches);
  const parts = names.flatMap((n) => (n?.zh ? [locale === 'en' && n.en ? n.en : n.zh] : []));
  if (parts.length === 0) return titleMeta(matches, fallback);
  return [{ title: [...parts, translate(locale, 'site.name')].join(' · ') }];
}
