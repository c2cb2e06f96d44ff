import { and, asc, eq, gt } from 'drizzle-orm';
import { sessionEvents, type LiveSession } from '../../../db/schema/index.js';
import { logSessionEvent, sessionChannel, type Audience, type EventDraft, type SessionMessage, type SessionTx } from '../../../db/session-log.js';
import { getServices } from '../../services.server.js';

// What travels to screens: `seq` numbers a session's durable events 1, 2, 3…; live-only
// messages (connection figures) have none. The log itself is db/session-log.ts.
export { sessionChannel, type Audience, type EventDraft, type SessionMessage } from '../../../db/session-log.js';

/** Stores the event `change` describes (session row locked, next seq) and publishes it once committed. */
export async function appendSessionEvent(sessionId: string, change: (tx: SessionTx, session: LiveSession) => Promise<EventDraft | null>): Promise<SessionMessage | null> {
  const message = await logSessionEvent(getServices().db, sessionId, change);
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
