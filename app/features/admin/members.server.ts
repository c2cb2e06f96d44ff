import { and, asc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { institutions, memberships, users } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';

export async function findInstitutionBySlug(slug: string) {
  const { db } = getServices();
  const [row] = await db.select({ id: institutions.id, nameZh: institutions.nameZh, nameEn: institutions.nameEn }).from(institutions).where(eq(institutions.slug, slug));
  return row ?? null;
}

const verifier = alias(users, 'verifier');

/** The members of one institution with their contact details; the view is audited. */
export async function listMembers(institutionId: string, viewerUserId: string, ip: string) {
  const { db } = getServices();
  const rows = await db
    .select({
      id: memberships.id,
      role: memberships.role,
      since: memberships.createdAt,
      displayName: users.displayName,
      pseudonym: users.pseudonym,
      email: users.email,
      verification: memberships.verification,
      verifiedAt: memberships.verifiedAt,
      verifiedByName: verifier.displayName,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(verifier, eq(verifier.id, memberships.verifiedBy))
    .where(eq(memberships.institutionId, institutionId))
    .orderBy(asc(memberships.role), asc(users.displayName));
  await recordAudit(db, { action: 'people.viewed', actorUserId: viewerUserId, institutionId, ip, details: { view: 'institution-members', count: rows.length } });
  return rows;
}

/**
 * A registrar (or administrator) of the institution confirms a self-declared membership: it
 * becomes `registrar-approval`, with who and when, in the same transaction as its audit entry.
 * Conditional on it still being self-declared at this institution, so a repeat changes nothing.
 */
export async function approveMembership(membershipId: string, institutionId: string, actorUserId: string, ip: string): Promise<'ok' | 'gone'> {
  return getServices().db.transaction(async (tx) => {
    const [row] = await tx
      .update(memberships)
      .set({ verification: 'registrar-approval', verifiedAt: new Date(), verifiedBy: actorUserId })
      .where(and(eq(memberships.id, membershipId), eq(memberships.institutionId, institutionId), eq(memberships.verification, 'self-declared')))
      .returning({ userId: memberships.userId, role: memberships.role });
    if (!row) return 'gone' as const;
    await recordAudit(tx, { action: 'membership.verified', actorUserId, subjectUserId: row.userId, institutionId, ip, details: { membershipId, role: row.role, method: 'registrar-approval' } });
    return 'ok' as const;
  });
}
