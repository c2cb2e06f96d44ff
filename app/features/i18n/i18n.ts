import { useRouteLoaderData } from '@remix-run/react';
import type { Locale } from '../../../db/schema/identity.js';
import { en } from './messages/en.js';
import { zhCN } from './messages/zh-CN.js';

export type MessageKey = keyof typeof zhCN;
export type MessageParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

export const defaultLocale: Locale = 'zh-CN';
const catalogs: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export function isMessageKey(key: string): key is MessageKey {
  return key in zhCN;
}

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = catalogs[locale][key] ?? zhCN[key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Server-side errors travel as message keys; anything else is shown as a generic failure. */
export function translateError(locale: Locale, keyOrText: string): string {
  const [key, json] = keyOrText.split('|', 2) as [string, string | undefined];
  if (!isMessageKey(key)) return translate(locale, 'errors.formInvalid');
  return translate(locale, key, json ? (JSON.parse(json) as MessageParams) : undefined);
}

/** `errors.tooLong|{"max":80}`: a message key with parameters, as a zod message. */
export function messageWith(key: MessageKey, params: MessageParams): string {
  return `${key}|${JSON.stringify(params)}`;
}

export function useLocale(): Locale {
  const data = useRouteLoaderData('root') as { locale?: Locale } | undefined;
  return data?.locale ?? defaultLocale;
}

export function useT(): Translate {
  const locale = useLocale();
  return (key, params) => translate(locale, key, params);
}

/** Dates as people in the province read them: China Standard Time, in their language. */
export function formatDateTime(locale: Locale, date: Date): string {
  return new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatDate(locale: Locale, date: Date): string {
  return new Intl.DateTimeFormat(locale, { timeZone: 'Asia/Shanghai', dateStyle: 'medium' }).format(date);
}
