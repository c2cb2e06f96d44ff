import { and, asc, count, eq, ilike, isNull, or, sql } from 'drizzle-orm';
import { institutions, memberships, users } from '../../../db/schema/index.js';
import type { Role } from '../../../db/schema/identity.js';
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

export async function grantRole(input: { userId: string; institutionId: string; role: Role }, actorUserId: string, ip: string): Promise<'ok' | 'exists' | 'not-found'> {
  const { db } = getServices();
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id }).from(users).where(and(eq(users.id, input.userId), isNull(users.erasedAt)));
    const [institution] = await tx.select({ id: institutions.id }).from(institutions).where(eq(institutions.id, input.institutionId));
    if (!user || !institution) return 'not-found' as const;
    const [row] = await tx.insert(memberships).values({ ...input, grantedBy: actorUserId }).onConflictDoNothing().returning({ id: memberships.id });
    if (!row) return 'exists' as const;
    await recordAudit(tx, { action: 'role.granted', actorUserId, subjectUserId: input.userId, institutionId: input.institutionId, ip, details: { role: input.role } });
    return 'ok' as const;
  });
}

export async function revokeRole(membershipId: string, actorUserId: string, ip: string): Promise<'ok' | 'not-found' | 'last-admin'> {
  const { db } = getServices();
  return db.transaction(async (tx) => {
    const [m] = await tx.select().from(memberships).where(eq(memberships.id, membershipId)).for('update');
    if (!m) return 'not-found' as const;
    if (m.role === 'admin') {
      // Serialise admin revocations so two at once cannot remove the last two admins.
      await tx.execute(sql`select pg_advisory_xact_lock(724002)`);
      const [{ admins } = { admins: 0 }] = await tx.select({ admins: count() }).from(memberships).where(eq(memberships.role, 'admin'));
      if (admins <= 1) return 'last-admin' as const;
    }
    await tx.delete(memberships).where(eq(memberships.id, membershipId));
    await recordAudit(tx, { action: 'role.revoked', actorUserId, subjectUserId: m.userId, institutionId: m.institutionId, ip, details: { role: m.role } });
    return 'ok' as const;
  });
}
