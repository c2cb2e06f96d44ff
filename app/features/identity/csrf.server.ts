import { randomBytes, timingSafeEqual } from 'node:crypto';
import { data } from '@remix-run/node';

// Double-submit token: a random value in an httpOnly SameSite=Lax cookie, repeated in a
// hidden field of every state-changing form. Another site can neither read the cookie
// nor set it, so it cannot produce a matching pair.
export const csrfFieldName = 'csrf';

export function csrfCookieName(secure: boolean): string {
  return secure ? '__Host-edu_csrf' : 'edu_csrf';
}

export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}

function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

export function csrfTokenFromRequest(request: Request, secure: boolean): string | null {
  return readCookie(request.headers.get('Cookie'), csrfCookieName(secure));
}

/** Throws a 403 unless the form carries the token that this browser's cookie holds. */
export function requireValidCsrf(request: Request, formData: FormData, secure: boolean): void {
  requireMatchingCsrf(request, formData.get(csrfFieldName), secure);
}

/** The header scripts send the token in when the body is not a form (a live media chunk). */
export const csrfHeaderName = 'X-CSRF-Token';

/** Throws a 403 unless the request's X-CSRF-Token header matches this browser's cookie. */
export function requireValidCsrfHeader(request: Request, secure: boolean): void {
  requireMatchingCsrf(request, request.headers.get(csrfHeaderName), secure);
}

function requireMatchingCsrf(request: Request, given: FormDataEntryValue | null, secure: boolean): void {
  const expected = csrfTokenFromRequest(request, secure);
  const ok =
    expected !== null &&
    typeof given === 'string' &&
    given.length === expected.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  if (!ok) throw data({ reason: 'csrf' as const }, { status: 403 });
}
