import type { AppLoadContext } from '@remix-run/node';
import { requireSessionMember } from './access.server.js';
import type { StreamOptions } from './session-stream.server.js';
import { sessionSnapshot } from './session-view.server.js';

/**
 * Who is asking for a session's events and from where: its teacher sees everything, an
 * assistant the screen of one of their scheduled classrooms (the `classroom` they name, or
 * their first). Anyone else is refused by the guard (redirect to log in, 403 audited, 404).
 */
export async function sessionStreamFor(request: Request, context: AppLoadContext, sessionId: string | undefined): Promise<Omit<StreamOptions, 'signal'>> {
  const { s, role } = await requireSessionMember(request, context, sessionId);
  const url = new URL(request.url);
  const sinceText = url.searchParams.get('since') ?? request.headers.get('Last-Event-ID');
  const since = sinceText !== null && /^\d{1,9}$/.test(sinceText) ? Number(sinceText) : null;
  const classroomId = role.kind === 'assistant' ? (role.classrooms.find((c) => c.id === url.searchParams.get('classroom')) ?? role.classrooms[0]!).id : null;
  return {
    sessionId: s.session.id,
    since,
    lastSeq: s.session.lastSeq,
    audience: classroomId ? { kind: 'screen', classroomId } : { kind: 'teacher' },
    snapshot: () => sessionSnapshot(s.session.id, classroomId ? { audience: 'screen', classroomId } : { audience: 'teacher' }),
  };
}
