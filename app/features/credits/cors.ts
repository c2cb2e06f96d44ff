/**
 * Issuer documents, DID documents, status lists and the verification API are public and read
 * by browser-based verifiers on other origins; none of them uses cookies.
 */
export const publicReadCors = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'Accept, If-None-Match',
  'Access-Control-Expose-Headers': 'ETag',
  'Access-Control-Max-Age': '86400',
} as const;

export const verifyApiCors = { ...publicReadCors, 'Access-Control-Allow-Methods': 'POST, OPTIONS', 'Access-Control-Allow-Headers': 'Content-Type' } as const;

export const publicJson = (body: unknown, contentType = 'application/json; charset=utf-8', cacheSeconds = 300) =>
  new Response(JSON.stringify(body, null, 2), { headers: { ...publicReadCors, 'Content-Type': contentType, 'Cache-Control': `public, max-age=${cacheSeconds}` } });

export const preflight = (headers: Record<string, string> = publicReadCors) => new Response(null, { status: 204, headers });
