import { asc, eq, ilike, or } from 'drizzle-orm';
import { institutions, memberships, users } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Search results show names and pseudonyms only; opening a person is what reveals (and logs) more. */
export async function searchPeople(q: string) {
  const { db } = getServices();
  const pattern = `%${escapeLike(q)}%`;
  return db
    .select({ id: users.id, displayName: users.displayName, pseudonym: users.pseudonym, erasedAt: users.erasedAt })
    .from(users)
    .where(or(ilike(users.email, pattern), ilike(users.displayName, pattern), ilike(users.pseudonym, pattern)))
    .orderBy(asc(users.displayName))
    .limit(50);
}

/** Another person's personal data, for an admin; the view itself is written to the audit log. */
export async function viewPerson(subjectUserId: string, viewerUserId: string, ip: string) {
  const { db } = getServices();
  const [person] = await db
    .select({ id: users.id, displayName: users.displayName, email: users.email, pseudonym: users.pseudonym, createdAt: users.createdAt, erasedAt: users.erasedAt })
    .from(users)
    .where(eq(users.id, subjectUserId));
  if (!person) return null;
  const roles = await db
    .select({ id: memberships.id, role: memberships.role, institutionId: institutions.id, nameZh: institutions.nameZh, nameEn: institutions.nameEn, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(institutions, eq(institutions.id, memberships.institutionId))
    .where(eq(memberships.userId, subjectUserId))
    .orderBy(asc(memberships.createdAt));
  await recordAudit(db, { action: 'people.viewed', actorUserId: viewerUserId, subjectUserId, ip, details: { view: 'admin-person' } });
  return { person, roles };
}
