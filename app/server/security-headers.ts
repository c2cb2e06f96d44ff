import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * CSP with a per-response nonce for Remix's inline scripts; no framing by other sites;
 * HSTS only when served over HTTPS in production (a plain-HTTP LAN box must not pin itself).
 */
/** The one page that may use the camera and microphone: a teacher's session console, to go on air (decision 021). */
const BROADCAST_PAGE = /^\/classroom\/sessions\/[0-9a-f-]{36}\/console$/;

export function securityHeaders({ production, devServer }: { production: boolean; devServer: boolean }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const nonce = randomBytes(16).toString('base64');
    res.locals.cspNonce = nonce;
    const scriptSrc = devServer ? `'self' 'unsafe-inline'` : `'self' 'nonce-${nonce}'`;
    const directives = [
      `default-src 'self'`,
      `script-src ${scriptSrc}`,
      `style-src 'self'${devServer ? ` 'unsafe-inline'` : ''}`,
      `img-src 'self' data: blob:`,
      `media-src 'self' blob:`,
      `connect-src 'self'${devServer ? ' ws:' : ''}`,
      `font-src 'self'`,
      `object-src 'none'`,
      `base-uri 'self'`,
      `form-action 'self'`,
      `frame-ancestors 'none'`,
    ];
    res.setHeader('Content-Security-Policy', directives.join('; '));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    const capture = BROADCAST_PAGE.test(req.path ?? '') ? '(self)' : '()';
    res.setHeader('Permissions-Policy', `camera=${capture}, microphone=${capture}, geolocation=()`);
    if (production) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
}

const SAML_ACS = /^\/sso\/[a-z0-9-]+\/saml\/acs$/;

/**
 * Defence in depth beside the CSRF token: a state-changing request whose Origin names
 * another site is refused before it reaches Remix.
 */
export function rejectCrossOriginWrites() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    // An institution's IdP posts its signed SAML answer from its own origin (HTTP-POST binding).
    // The answer's signature, InResponseTo and the browser's flow cookie (checked at /saml/finish)
    // stand in for the origin check here; Remix's own origin check is told nothing of the origin.
    if (req.method === 'POST' && SAML_ACS.test(req.path ?? '')) {
      delete req.headers.origin;
      return next();
    }
    const origin = req.get('origin');
    if (!origin || origin === 'null') return next();
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return res.status(403).type('text/plain').send('Forbidden: malformed Origin header');
    }
    if (originHost !== req.get('host')) return res.status(403).type('text/plain').send('Forbidden: cross-site request');
    next();
  };
}
