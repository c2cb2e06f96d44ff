import { desc, eq, or } from 'drizzle-orm';
import { accountTokens, auditLog, consents, institutions, issuedCredentials, lessons, lessonVideoProgress, mailMessages, memberships, playbackRuns, sessions, users } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';
import { creditDataForExport } from '../credits/personal-data.server.js';

/** Everything we hold about one person, as they would download it (PIPL art. 45). */
export async function exportPersonalData(userId: string, ip: string) {
  const { db } = getServices();
  const [profile] = await db
    .select({ id: users.id, pseudonym: users.pseudonym, email: users.email, displayName: users.displayName, locale: users.locale, createdAt: users.createdAt, updatedAt: users.updatedAt })
    .from(users)
    .where(eq(users.id, userId));
  const roles = await db
    .select({ role: memberships.role, institution: institutions.nameZh, institutionEn: institutions.nameEn, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(institutions, eq(institutions.id, memberships.institutionId))
    .where(eq(memberships.userId, userId));
  const activeSessions = await db
    .select({ createdAt: sessions.createdAt, expiresAt: sessions.expiresAt, userAgent: sessions.userAgent })
    .from(sessions)
    .where(eq(sessions.userId, userId));
  const activity = await db
    .select({ at: auditLog.occurredAt, action: auditLog.action, ip: auditLog.ip, asActor: eq(auditLog.actorUserId, userId) })
    .from(auditLog)
    .where(or(eq(auditLog.actorUserId, userId), eq(auditLog.subjectUserId, userId)))
    .orderBy(desc(auditLog.occurredAt))
    .limit(5_000);
  const learning = await db
    .select({ lesson: lessons.titleZh, watchedFraction: lessonVideoProgress.watchedFraction, positionSeconds: lessonVideoProgress.positionSeconds, completedAt: lessonVideoProgress.completedAt, updatedAt: lessonVideoProgress.updatedAt })
    .from(lessonVideoProgress)
    .innerJoin(lessons, eq(lessons.id, lessonVideoProgress.lessonId))
    .where(eq(lessonVideoProgress.userId, userId));
  // When they opened a lecture, and what of it the server counted (the evidence behind videoProgress).
  const playback = await db
    .select({ lesson: lessons.titleZh, startedAt: playbackRuns.startedAt, acceptedSeconds: playbackRuns.acceptedSeconds, clippedSeconds: playbackRuns.clippedSeconds })
    .from(playbackRuns)
    .innerJoin(lessons, eq(lessons.id, playbackRuns.lessonId))
    .where(eq(playbackRuns.userId, userId))
    .orderBy(desc(playbackRuns.startedAt))
    .limit(5_000);
  const credits = await creditDataForExport(userId);
  const consentsGiven = await db
    .select({ kind: consents.kind, noticeVersion: consents.noticeVersion, givenBy: consents.givenBy, recordedAt: consents.recordedAt })
    .from(consents)
    .where(eq(consents.subjectUserId, userId));
  await recordAudit(db, { action: 'account.exported', actorUserId: userId, subjectUserId: userId, ip });
  return {
    exportedAt: new Date().toISOString(),
    format: 'edu-platform personal data export, version 1',
    profile,
    memberships: roles,
    sessions: activeSessions,
    consents: consentsGiven,
    videoProgress: learning,
    playbackRuns: playback,
    ...credits,
    activity,
  };
}

/**
 * Erases the person: name, email, password and sessions go; the row stays under its
 * pseudonym so that records others rely on (completions, credit decisions, the audit
 * log) keep pointing at someone, without saying who.
 */
export async function eraseAccount(userId: string, ip: string): Promise<void> {
  const { db } = getServices();
  await db.transaction(async (tx) => {
    const [before] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    // Mail we sent or were asked to send to the person holds their address.
    await tx.delete(accountTokens).where(eq(accountTokens.userId, userId));
    await tx.delete(mailMessages).where(before?.email ? or(eq(mailMessages.userId, userId), eq(mailMessages.toAddress, before.email)) : eq(mailMessages.userId, userId));
    await tx
      .update(users)
      .set({ email: null, displayName: null, passwordHash: null, erasedAt: new Date(), updatedAt: new Date() })
      .where(eq(users.id, userId));
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    // Credentials carry the holder's name in their signed data: the copies we keep are
    // dropped (not revoked: the holder's own copies still verify, by signature and status list).
    await tx.update(issuedCredentials).set({ jwt: '', document: null }).where(eq(issuedCredentials.userId, userId));
    await recordAudit(tx, { action: 'account.erased', actorUserId: userId, subjectUserId: userId, ip });
  });
}
