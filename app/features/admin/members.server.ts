import { asc, eq } from 'drizzle-orm';
import { institutions, memberships, users } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';

export async function findInstitutionBySlug(slug: string) {
  const { db } = getServices();
  const [row] = await db.select({ id: institutions.id, nameZh: institutions.nameZh, nameEn: institutions.nameEn }).from(institutions).where(eq(institutions.slug, slug));
  return row ?? null;
}

/** The members of one institution with their contact details; the view is audited. */
export async function listMembers(institutionId: string, viewerUserId: string, ip: string) {
  const { db } = getServices();
  const rows = await db
    .select({ id: memberships.id, role: memberships.role, since: memberships.createdAt, displayName: users.displayName, pseudonym: users.pseudonym, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.institutionId, institutionId))
    .orderBy(asc(memberships.role), asc(users.displayName));
  await recordAudit(db, { action: 'people.viewed', actorUserId: viewerUserId, institutionId, ip, details: { view: 'institution-members', count: rows.length } });
  return rows;
}
