import type { RequestHandler } from 'express';
import { statusListTtlMs } from '../features/credits/credential-document.js';
import { publicReadCors } from '../features/credits/cors.js';
import { servedStatusList } from '../features/credits/status-lists.server.js';

export const STATUS_LIST_PATH = '/credentials/status/:slug';

/**
 * The institution's BitstringStatusListCredential (revocation), answered by Express before Remix
 * (like /healthz): every verifier of every credential asks for it, and it comes from memory,
 * signed when a status changed, never per request. JSON-LD with a Data Integrity proof, or the
 * vc+jwt form on `Accept: application/vc+jwt`.
 */
export const serveStatusList: RequestHandler = async (req, res, next) => {
  try {
    res.set(publicReadCors);
    if (req.method === 'OPTIONS') return void res.status(204).end();
    const list = await servedStatusList(String(req.params.slug ?? ''));
    if (!list) return void res.status(404).type('application/json').send('{"reason":"not-found"}');
    const jwt = (req.get('accept') ?? '').includes('application/vc+jwt');
    const etag = jwt ? `${list.etag.slice(0, -1)}-jwt"` : list.etag;
    res.set({ ETag: etag, Vary: 'Accept', 'Cache-Control': `public, max-age=${statusListTtlMs / 1000}` });
    if (req.get('if-none-match') === etag) return void res.status(304).end();
    res.type(jwt ? 'application/vc+jwt' : 'application/vc+ld+json').send(jwt ? list.jwt : list.json);
  } catch (error) {
    next(error);
  }
};
