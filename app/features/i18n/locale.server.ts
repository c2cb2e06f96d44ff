import { createCookie } from '@remix-run/node';
import { locales, type Locale } from '../../../db/schema/identity.js';
import { defaultLocale } from './i18n.js';

// Not httpOnly-sensitive, but kept httpOnly: only the server reads it.
export const localeCookie = createCookie('edu_lang', { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 60 * 60 * 24 * 365 });

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** The cookie's choice, else Simplified Chinese: the platform's language by default. */
export async function getLocale(request: Request): Promise<Locale> {
  const value: unknown = await localeCookie.parse(request.headers.get('Cookie'));
  return isLocale(value) ? value : defaultLocale;
}
