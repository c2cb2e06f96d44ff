import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export type PageContext = { clientIp: string; cspNonce: string; csrfToken: string };
export type PageRenderer = (request: globalThis.Request, context: PageContext) => Promise<globalThis.Response>;

type Entry = { at: number; status: number; headers: [string, string][]; body: string };

/** The public pages every anonymous visitor sees alike: catalog, course and institution pages. */
const cacheablePath = /^\/(courses|courses\/[a-z0-9-]+|institutions\/[a-z0-9-]+)\/?$/;
const sessionCookie = /(?:^|;\s*)(?:__Host-)?edu_session=/;
const localeCookie = /(?:^|;\s*)edu_lang=([^;]*)/;
const keptHeaders = ['content-type', 'cache-control', 'vary', 'link', 'content-language'];

/**
 * A short shared cache of public pages for visitors without a session: rendering the
 * catalog costs 5-9 ms of CPU, serving a cached copy well under one. Each page is rendered
 * once with unguessable markers in place of the two per-request values it holds (the CSP
 * nonce and the CSRF token of the language form) and every visitor gets a copy with their
 * own values put in. Signed-in visitors, other paths and other methods are never cached;
 * a response that sets a cookie or is not a 200 is served to its own visitor only.
 */
export function publicPageCache(opts: { ttlMs: number; maxEntries: number; render: PageRenderer }) {
  const nonceMark = `n${randomBytes(16).toString('hex')}`;
  const csrfMark = `c${randomBytes(16).toString('hex')}`;
  const entries = new Map<string, Entry>();
  const filling = new Map<string, Promise<{ entry: Entry; cacheable: boolean }>>();

  async function fill(req: Request, context: PageContext): Promise<{ entry: Entry; cacheable: boolean }> {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && name !== 'cookie') headers.set(name, value);
    }
    // Only the language choice reaches the render: nothing else of this visitor's.
    const locale = localeCookie.exec(req.headers.cookie ?? '')?.[1];
    if (locale) headers.set('cookie', `edu_lang=${locale}`);
    const request = new globalThis.Request(`${req.protocol}://${req.get('host')}${req.originalUrl}`, { method: 'GET', headers });
    const response = await opts.render(request, { ...context, cspNonce: nonceMark, csrfToken: csrfMark });
    const entry: Entry = {
      at: Date.now(),
      status: response.status,
      headers: [...response.headers].filter(([name]) => keptHeaders.includes(name) || response.status !== 200),
      body: await response.text(),
    };
    const cacheable = response.status === 200 && !response.headers.has('set-cookie') && /^text\/html/.test(response.headers.get('content-type') ?? '');
    return { entry, cacheable };
  }

  return async (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !cacheablePath.test(req.path) || sessionCookie.test(req.headers.cookie ?? '')) return next();
    try {
      const key = `${req.get('host')}|${localeCookie.exec(req.headers.cookie ?? '')?.[1] ?? ''}|${req.originalUrl}`;
      let entry = entries.get(key);
      let state = 'hit';
      if (!entry || Date.now() - entry.at > opts.ttlMs) {
        state = 'miss';
        // Visitors arriving together for the same page wait for one render.
        let pending = filling.get(key);
        if (!pending) {
          pending = fill(req, { clientIp: req.ip ?? 'unknown', cspNonce: '', csrfToken: '' }).finally(() => filling.delete(key));
          filling.set(key, pending);
        }
        const filled = await pending;
        entry = filled.entry;
        if (filled.cacheable) {
          entries.delete(key);
          entries.set(key, entry);
          if (entries.size > opts.maxEntries) entries.delete(entries.keys().next().value!);
        } else {
          state = 'bypass';
        }
      }
      res.status(entry.status);
      for (const [name, value] of entry.headers) if (name !== 'content-length' && name !== 'set-cookie') res.setHeader(name, value);
      res.setHeader('X-Page-Cache', state);
      res.send(entry.body.replaceAll(nonceMark, String(res.locals.cspNonce ?? '')).replaceAll(csrfMark, String(res.locals.csrfToken ?? '')));
    } catch (error) {
      next(error);
    }
  };
}
