import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { statusListTtlMs } from '../features/credits/credential-document.js';
import { preflight, publicReadCors } from '../features/credits/cors.js';
import { servedStatusList } from '../features/credits/status-lists.server.js';

/**
 * The institution's BitstringStatusListCredential (revocation), from memory: signed when a status
 * changes, never per request. JSON-LD with a Data Integrity proof, or vc+jwt on `Accept: application/vc+jwt`.
 */
export async function loader({ params, request }: LoaderFunctionArgs) {
  if (request.method === 'OPTIONS') return preflight();
  const list = await servedStatusList(params.slug ?? '');
  if (!list) throw data({ reason: 'not-found' as const }, { status: 404 });
  const jwt = (request.headers.get('Accept') ?? '').includes('application/vc+jwt');
  const etag = jwt ? `${list.etag.slice(0, -1)}-jwt"` : list.etag;
  const headers = { ...publicReadCors, ETag: etag, Vary: 'Accept', 'Cache-Control': `public, max-age=${statusListTtlMs / 1000}` };
  if (request.headers.get('If-None-Match') === etag) return new Response(null, { status: 304, headers });
  return new Response(jwt ? list.jwt : list.json, { headers: { ...headers, 'Content-Type': jwt ? 'application/vc+jwt' : 'application/vc+ld+json' } });
}

