import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireSessionMember } from '../features/classrooms/access.server.js';
import { sessionEventStream } from '../features/classrooms/session-stream.server.js';
import { sessionSnapshot } from '../features/classrooms/session-view.server.js';

/** The session's live events (Server-Sent Events), for its teacher and its scheduled classrooms' assistants. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { s, role } = await requireSessionMember(request, context, params.sessionId);
  const url = new URL(request.url);
  const sinceText = url.searchParams.get('since') ?? request.headers.get('Last-Event-ID');
  const since = sinceText !== null && /^\d{1,9}$/.test(sinceText) ? Number(sinceText) : null;
  const classroomId = role.kind === 'assistant' ? (role.classrooms.find((c) => c.id === url.searchParams.get('classroom')) ?? role.classrooms[0]!).id : null;
  return sessionEventStream({
    sessionId: s.session.id,
    since,
    lastSeq: s.session.lastSeq,
    audience: classroomId ? { kind: 'screen', classroomId } : { kind: 'teacher' },
    signal: request.signal,
    snapshot: () => sessionSnapshot(s.session.id, classroomId ? { audience: 'screen', classroomId } : { audience: 'teacher' }),
  });
}
