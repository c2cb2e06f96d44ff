import { and, count, desc, eq, ilike, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import { institutionSigningKeys, issuedCredentials, users } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';

export const issuedPageSize = 50;
export type IssuedFilter = { q?: string; status?: 'valid' | 'revoked'; page: number };

/** The institution's issued credentials, newest first, searchable by holder name or credential id. */
export async function listIssuedCredentials(institutionId: string, filter: IssuedFilter) {
  const { db } = getServices();
  const where: SQL[] = [eq(issuedCredentials.institutionId, institutionId)];
  if (filter.status === 'revoked') where.push(isNotNull(issuedCredentials.revokedAt));
  if (filter.status === 'valid') where.push(isNull(issuedCredentials.revokedAt));
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(users.displayName, like), ilike(users.pseudonym, like), sql`${issuedCredentials.id}::text like ${`${filter.q.toLowerCase()}%`}`)!);
  }
  const condition = and(...where);
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: issuedCredentials.id,
        kind: issuedCredentials.kind,
        holder: sql<string>`coalesce(${users.displayName}, ${users.pseudonym})`,
        achievement: sql<string | null>`${issuedCredentials.document}->>'name'`,
        issuedAt: issuedCredentials.issuedAt,
        revokedAt: issuedCredentials.revokedAt,
        reason: issuedCredentials.revocationReason,
      })
      .from(issuedCredentials)
      .innerJoin(users, eq(users.id, issuedCredentials.userId))
      .where(condition)
      .orderBy(desc(issuedCredentials.issuedAt), desc(issuedCredentials.id))
      .limit(issuedPageSize)
      .offset((filter.page - 1) * issuedPageSize),
    db.select({ n: count() }).from(issuedCredentials).innerJoin(users, eq(users.id, issuedCredentials.userId)).where(condition),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export async function signingKeysOf(institutionId: string) {
  return getServices()
    .db.select({ id: institutionSigningKeys.id, active: institutionSigningKeys.active, createdAt: institutionSigningKeys.createdAt })
    .from(institutionSigningKeys)
    .where(eq(institutionSigningKeys.institutionId, institutionId))
    .orderBy(desc(institutionSigningKeys.createdAt));
}

/** The holder's revoked credentials, so the site can tell them (and why). */
export async function revokedCredentialsOf(userId: string) {
  return getServices()
    .db.select({ id: issuedCredentials.id, achievement: sql<string | null>`${issuedCredentials.document}->>'name'`, revokedAt: issuedCredentials.revokedAt, reason: issuedCredentials.revocationReason })
    .from(issuedCredentials)
    .where(and(eq(issuedCredentials.userId, userId), isNotNull(issuedCredentials.revokedAt)))
    .orderBy(desc(issuedCredentials.revokedAt));
}
