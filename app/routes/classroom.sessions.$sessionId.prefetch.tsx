import type { LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { requireSessionAssistant } from '../features/classrooms/access.server.js';
import { prefetchManifest } from '../features/classrooms/prefetch.server.js';

const query = z.object({ classroom: z.string().uuid().nullable(), rung: z.string().regex(/^[\w-]{1,16}$/).nullable() });

/** The signed files a scheduled classroom's screen stores before class (JSON; decision 023). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const q = query.safeParse({ classroom: url.searchParams.get('classroom'), rung: url.searchParams.get('rung') });
  if (!q.success) return Response.json({ reason: 'bad-request' }, { status: 400 });
  const { s, classroom } = await requireSessionAssistant(request, context, params.sessionId, q.data.classroom);
  return Response.json(await prefetchManifest(s, classroom.id, q.data.rung), { headers: { 'Cache-Control': 'private, no-store' } });
}
