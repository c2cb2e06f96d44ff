import { and, desc, eq, gt, ne } from 'drizzle-orm';
import { sessions } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';
import { currentSessionHash } from './session.server.js';

export type OwnSession = { id: string; userAgent: string | null; createdAt: Date; lastSeenAt: Date | null; current: boolean };

/** The person's live sessions, newest first; `id` is the stored hash (never the cookie's token). */
export async function listOwnSessions(request: Request, userId: string): Promise<OwnSession[]> {
  const current = await currentSessionHash(request);
  const rows = await getServices()
    .db.select({ id: sessions.idHash, userAgent: sessions.userAgent, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, new Date())))
    .orderBy(desc(sessions.createdAt));
  return rows.map((r) => ({ ...r, current: r.id === current }));
}

/** Ends one of the person's own sessions, or all but this one; returns how many ended. */
export async function endOwnSessions(request: Request, userId: string, which: { one: string } | 'others', ip: string): Promise<number> {
  const { db } = getServices();
  const keep = (await currentSessionHash(request)) ?? '';
  const where = which === 'others' ? and(eq(sessions.userId, userId), ne(sessions.idHash, keep)) : and(eq(sessions.userId, userId), eq(sessions.idHash, which.one));
  const ended = await db.delete(sessions).where(where).returning({ id: sessions.idHash });
  await recordAudit(db, { action: 'auth.sessions-ended', actorUserId: userId, subjectUserId: userId, ip, details: { count: ended.length, which: which === 'others' ? 'others' : 'one' } });
  return ended.length;
}
