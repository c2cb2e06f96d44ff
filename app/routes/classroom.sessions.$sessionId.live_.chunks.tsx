import type { ActionFunctionArgs } from '@remix-run/node';
import { requireSessionTeacher } from '../features/classrooms/access.server.js';
import { acceptChunk } from '../features/classrooms/live-broadcast.server.js';
import { chunkQuerySchema } from '../features/classrooms/live-commands.js';
import { MAX_CHUNK_BYTES } from '../../media/live-chunk-order.js';
import { getEnv } from '../env.server.js';
import { requireValidCsrfHeader } from '../features/identity/csrf.server.js';

/** Chunks are only ever posted. */
export function loader() {
  return new Response('Method Not Allowed: POST live media chunks here', { status: 405, headers: { Allow: 'POST', 'Content-Type': 'text/plain' } });
}

/**
 * One numbered piece of the teacher's WebM stream (raw bytes, CSRF token in a header).
 * 201 stored, 200 already stored (a retry), 409 not on air, 413 too large.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { s } = await requireSessionTeacher(request, context, params.sessionId);
  requireValidCsrfHeader(request, getEnv().SECURE_COOKIES);
  const query = chunkQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return Response.json({ ok: false, reason: 'query' }, { status: 400 });
  // The web host refuses bodies over its form limit before they are read; this is the route's own.
  if (Number(request.headers.get('Content-Length') ?? 0) > MAX_CHUNK_BYTES) return Response.json({ ok: false, reason: 'too-large' }, { status: 413 });
  const body = Buffer.from(await request.arrayBuffer());
  const outcome = await acceptChunk(s.session.id, query.data.broadcast, query.data.seq, body);
  return Response.json({ ok: outcome.status < 300, reason: outcome.reason }, { status: outcome.status });
}
