import type { NextFunction, Request, Response } from 'express';
import { csrfCookieName, newCsrfToken } from '../features/identity/csrf.server.js';

/** Gives every browser a CSRF token cookie on its first request; Remix reads it from res.locals. */
export function issueCsrfCookie(secure: boolean) {
  const name = csrfCookieName(secure);
  return (req: Request, res: Response, next: NextFunction) => {
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
