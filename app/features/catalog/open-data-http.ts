// Responses of the open-data routes: CORS for GET, short public caching, validators, 304.
// Resource routes return real Responses: under single fetch a returned data() loses its status.
import { notModified, strongEtag, type ParamProblem } from './open-data.js';

/** A minute: fresh enough for a catalog, and a burst of identical requests is served by caches. */
const cacheControl = 'public, max-age=60';

export function openDataHeaders(extra: Record<string, string> = {}): Headers {
  return new Headers({
    'Access-Control-Allow-Origin': '*',
    // ETag is not a CORS-safelisted response header; scripts elsewhere may revalidate with it.
    'Access-Control-Expose-Headers': 'ETag',
    Vary: 'Accept-Encoding',
    ...extra,
  });
}

function validators(etag: string, lastModified: Date): Record<string, string> {
  return { ETag: etag, 'Last-Modified': lastModified.toUTCString(), 'Cache-Control': cacheControl };
}

/** JSON with a strong ETag of its exact bytes; 304 when the client already holds them. */
export function conditionalJson(request: Request, value: unknown, lastModified: Date): Response {
  const body = JSON.stringify(value);
  const etag = strongEtag(body);
  const headers = openDataHeaders(validators(etag, lastModified));
  if (notModified(request.headers, etag, lastModified)) return new Response(null, { status: 304, headers });
  headers.set('Content-Type', 'application/json; charset=utf-8');
  return new Response(body, { status: 200, headers });
}

/** A streamed body whose version is known before it is built (the CSV export). */
export function conditionalStream(request: Request, version: { etag: string; lastModified: Date }, contentType: string, extra: Record<string, string>, body: () => ReadableStream<Uint8Array>): Response {
  const headers = openDataHeaders(validators(version.etag, version.lastModified));
  if (notModified(request.headers, version.etag, version.lastModified)) return new Response(null, { status: 304, headers });
  headers.set('Content-Type', contentType);
  for (const [k, v] of Object.entries(extra)) headers.set(k, v);
  return new Response(body(), { status: 200, headers });
}

export function openDataError(status: 400 | 404, error: string, message: string, problems: ParamProblem[] = []): Response {
  const body = JSON.stringify({ error, message, ...(problems.length ? { problems } : {}) });
  return new Response(body, { status, headers: openDataHeaders({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }) });
}

/** Text chunks from an async generator as a byte stream; a client that goes away stops the generator. */
export function textStream(lines: AsyncGenerator<string>, prefix = ''): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started && prefix) controller.enqueue(encoder.encode(prefix));
      started = true;
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
}
