import type { NextFunction, Request, Response } from 'express';
import { csrfCookieName, newCsrfToken } from '../features/identity/csrf.server.js';

// Open data is public and cacheable by shared caches: a Set-Cookie there would be cached
// and handed to everyone (and it has no forms to protect).
const cookieless = /^\/(api\/catalog(\/|$)|catalog\.csv$)/;

/** Gives every browser a CSRF token cookie on its first request; Remix reads it from res.locals. */
export function issueCsrfCookie(secure: boolean) {
  const name = csrfCookieName(secure);
  return (req: Request, res: Response, next: NextFunction) => {
    if (cookieless.test(req.path)) return next();
    const existing = /(?:^|;\s*)([^=;]+)=([^;]*)/g;
    let token: string | undefined;
    for (const m of (req.headers.cookie ?? '').matchAll(existing)) {
      if (m[1] === name && m[2] && m[2].length >= 20) token = decodeURIComponent(m[2]);
    }
    if (!token) {
      token = newCsrfToken();
      res.cookie(name, token, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
    }
    res.locals.csrfToken = token;
    next();
  };
}
