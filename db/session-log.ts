import { eq } from 'drizzle-orm';
import type { Database, Transaction } from './client.js';
import { liveSessions, sessionEvents, type LiveSession } from './schema/index.js';

// A live session's numbered event log (decision 020), written by the web processes and by
// the worker (a slide deck it finished rendering): one place that numbers events.

/** Keeps a message to the teacher ('teacher') or to the teacher and one classroom (its id). */
export type Audience = 'teacher' | (string & {});
export type SessionMessage = { seq: number | null; kind: string; payload: Record<string, unknown>; audience?: Audience };
export type SessionTx = Transaction;
export type EventDraft = { kind: string; payload: Record<string, unknown>; audience?: Audience; session?: Partial<Pick<LiveSession, 'state' | 'status' | 'waitForBuffering' | 'startedAt' | 'endedAt'>> };

export const sessionChannel = (sessionId: string) => `edu:classroom:${sessionId}`;

/**
 * Runs `change` with the session row locked, then stores the event it describes with the
 * next sequence number, in the same transaction. Returns the message to publish once
 * committed, or null (nothing stored) when `change` returns null.
 */
export async function logSessionEvent(db: Database, sessionId: string, change: (tx: SessionTx, session: LiveSession) => Promise<EventDraft | null>): Promise<SessionMessage | null> {
  return db.transaction(async (tx) => {
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
}
