import type { MetaDescriptor } from '@remix-run/node';
import type { RootData } from '../../root.js';
import { defaultLocale, translate, type MessageKey, type MessageParams } from './i18n.js';

/** `<title>` in the reader's language: "Page · Site". */
export function titleMeta(matches: { id: string; data: unknown }[], key: MessageKey, params?: MessageParams): MetaDescriptor[] {
  const root = matches.find((m) => m.id === 'root')?.data as RootData | undefined;
  const locale = root?.locale ?? defaultLocale;
  return [{ title: `${translate(locale, key, params)} · ${translate(locale, 'site.name')}` }];
}
