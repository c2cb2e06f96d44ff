import type { LoaderFunctionArgs } from '@remix-run/node';
import { sessionStreamFor } from '../features/classrooms/session-stream-access.server.js';
import { sessionEventStream } from '../features/classrooms/session-stream.server.js';

/**
 * The session's live events (Server-Sent Events), for its teacher and its scheduled
 * classrooms' assistants. The express host answers this path itself (app/server/
 * classroom-events.ts, same guard, fewer objects per open screen); this route serves it
 * under the Vite dev server.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  return sessionEventStream({ ...(await sessionStreamFor(request, context, params.sessionId)), signal: request.signal });
}
