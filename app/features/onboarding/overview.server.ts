import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { classrooms, institutionMailDomains, memberships, rosterEntries, staffInvitations } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';

const count = sql<number>`count(*)::int`;

/** The console's first page: how far onboarding has come, in five numbers. */
export async function consoleOverview(institutionId: string, now = new Date()) {
  const { db } = getServices();
  const [[staff], [pending], [domains], [rooms], [roster]] = await Promise.all([
    db.select({ n: count }).from(memberships).where(and(eq(memberships.institutionId, institutionId), inArray(memberships.role, ['teacher', 'assistant']))),
    db.select({ n: count }).from(staffInvitations).where(and(eq(staffInvitations.institutionId, institutionId), isNull(staffInvitations.acceptedAt), isNull(staffInvitations.revokedAt), gt(staffInvitations.expiresAt, now))),
    db.select({ n: count }).from(institutionMailDomains).where(eq(institutionMailDomains.institutionId, institutionId)),
    db.select({ n: count }).from(classrooms).where(and(eq(classrooms.institutionId, institutionId), isNull(classrooms.archivedAt))),
    db.select({ n: count }).from(rosterEntries).where(eq(rosterEntries.institutionId, institutionId)),
  ]);
  return { staff: staff!.n, pendingInvitations: pending!.n, domains: domains!.n, classrooms: rooms!.n, roster: roster!.n };
}
