import { and, asc, eq, gt } from 'drizzle-orm';
import { liveSessions, sessionEvents, type LiveSession } from '../../../db/schema/index.js';
import type { Database } from '../../../db/client.js';
import { getServices } from '../../services.server.js';

/**
 * What travels to screens. `seq` numbers a session's durable events 1, 2, 3…; live-only
 * messages (connection figures) have none. An `audience` keeps a message to the teacher
 * ('teacher') or to the teacher and one classroom (its id); other screens still count its
 * seq, so replay stays gap-free.
 */
export type Audience = 'teacher' | (string & {});
export type SessionMessage = { seq: number | null; kind: string; payload: Record<string, unknown>; audience?: Audience };

export const sessionChannel = (sessionId: string) => `edu:classroom:${sessionId}`;

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export type EventDraft = { kind: string; payload: Record<string, unknown>; audience?: Audience; session?: Partial<Pick<LiveSession, 'state' | 'status' | 'waitForBuffering' | 'startedAt' | 'endedAt'>> };

/**
 * Runs `change` with the session row locked, then stores the event it describes with the
 * next sequence number, in the same transaction; publishes it once committed. Returns
 * null (and stores nothing) when `change` does.
 */
export async function appendSessionEvent(sessionId: string, change: (tx: Tx, session: LiveSession) => Promise<EventDraft | null>): Promise<SessionMessage | null> {
  const { db } = getServices();
  const message = await db.transaction(async (tx) => {
    const [session] = await tx.select().from(liveSessions).where(eq(liveSessions.id, sessionId)).for('update');
    if (!session) return null;
    const draft = await change(tx, session);
    if (!draft) return null;
    const seq = session.lastSeq + 1;
    await tx.update(liveSessions).set({ ...draft.session, lastSeq: seq }).where(eq(liveSessions.id, sessionId));
    const shown = draft.session?.status ? { ...draft.payload, status: draft.session.status } : draft.payload;
    const payload = draft.audience ? { ...shown, audience: draft.audience } : shown;
    await tx.insert(sessionEvents).values({ sessionId, seq, kind: draft.kind, payload });
    return { seq, kind: draft.kind, payload: shown, ...(draft.audience ? { audience: draft.audience } : {}) } satisfies SessionMessage;
  });
  if (message) await publishSessionMessage(sessionId, message);
  return message;
}

/** Fans a message out to every web process; a lost publish is recovered by replay from the log. */
export async function publishSessionMessage(sessionId: string, message: SessionMessage): Promise<void> {
  const { redis, log } = getServices();
  await redis.publish(sessionChannel(sessionId), JSON.stringify(message)).catch((e: Error) => log.warn({ err: e.message, sessionId }, 'classroom publish failed'));
}

/** The durable events after `afterSeq`, in order, for a screen that missed them. */
export async function eventsAfter(sessionId: string, afterSeq: number, limit = MAX_REPLAY): Promise<SessionMessage[]> {
  const rows = await getServices()
    .db.select({ seq: sessionEvents.seq, kind: sessionEvents.kind, payload: sessionEvents.payload })
    .from(sessionEvents)
    .where(and(eq(sessionEvents.sessionId, sessionId), gt(sessionEvents.seq, afterSeq)))
    .orderBy(asc(sessionEvents.seq))
    .limit(limit);
  return rows.map(({ payload, ...r }) => {
    const { audience, ...rest } = payload as Record<string, unknown> & { audience?: Audience };
    return { ...r, payload: rest, ...(audience ? { audience } : {}) };
  });
}

/** A screen that missed more than this gets a fresh snapshot instead of the whole history. */
export const MAX_REPLAY = 500;
