import { timingSafeEqual } from 'node:crypto';
import { and, asc, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { institutionMailDomains, institutions, mailDomainCodes, memberships, type Locale } from '../../../db/schema/index.js';
import { hashMembershipCode } from '../../../db/onboarding-secrets.js';
import { queueMail } from '../mail/outbox.server.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';
import { domainCovers } from './mail-domain-match.js';

export const MAIL_CODE_LIMITS = { ttlMinutes: 15, attemptsPerCode: 5, sendsPerHour: 3 } as const;

export async function listMailDomains(institutionId: string) {
  return getServices().db.select({ id: institutionMailDomains.id, domain: institutionMailDomains.domain, createdAt: institutionMailDomains.createdAt }).from(institutionMailDomains).where(eq(institutionMailDomains.institutionId, institutionId)).orderBy(asc(institutionMailDomains.domain));
}

export async function addMailDomain(institutionId: string, domain: string, adminId: string, ip: string): Promise<'added' | 'taken'> {
  const { db } = getServices();
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(institutionMailDomains).values({ institutionId, domain, addedBy: adminId }).onConflictDoNothing({ target: institutionMailDomains.domain }).returning({ id: institutionMailDomains.id });
    if (!row) return 'taken' as const;
    await recordAudit(tx, { action: 'mail-domain.added', actorUserId: adminId, institutionId, ip, details: { domain } });
    return 'added' as const;
  });
}

export async function removeMailDomain(institutionId: string, domainId: string, adminId: string, ip: string): Promise<boolean> {
  const { db } = getServices();
  const rows = await db.delete(institutionMailDomains).where(and(eq(institutionMailDomains.id, domainId), eq(institutionMailDomains.institutionId, institutionId))).returning({ domain: institutionMailDomains.domain });
  if (rows.length) await recordAudit(db, { action: 'mail-domain.removed', actorUserId: adminId, institutionId, ip, details: { domain: rows[0]!.domain } });
  return rows.length > 0;
}

/** The viewer's self-declared memberships, with the domains each institution registered. */
export async function listUnverifiedMemberships(userId: string) {
  const { db } = getServices();
  const rows = await db
    .select({ institutionId: institutions.id, slug: institutions.slug, nameZh: institutions.nameZh, nameEn: institutions.nameEn, domains: sql<string[]>`coalesce(array_agg(${institutionMailDomains.domain} order by ${institutionMailDomains.domain}) filter (where ${institutionMailDomains.domain} is not null), '{}')` })
    .from(memberships)
    .innerJoin(institutions, eq(institutions.id, memberships.institutionId))
    .leftJoin(institutionMailDomains, eq(institutionMailDomains.institutionId, institutions.id))
    .where(and(eq(memberships.userId, userId), eq(memberships.verification, 'self-declared')))
    .groupBy(institutions.id);
  return rows;
}

export type CodeSent = 'sent' | 'not-member' | 'domain-not-registered' | 'too-many';

/** Mails a six-digit code to `email` when its domain is one the institution registered. */
export async function sendMembershipCode(userId: string, locale: Locale, institutionId: string, email: string, now = new Date()): Promise<CodeSent> {
  const { db } = getServices();
  const mine = (await listUnverifiedMemberships(userId)).find((m) => m.institutionId === institutionId);
  if (!mine) return 'not-member';
  if (!mine.domains.some((d) => domainCovers(d, email))) return 'domain-not-registered';
  const hourAgo = new Date(now.getTime() - 3600_000);
  const [{ n }] = (await db.select({ n: sql<number>`count(*)::int` }).from(mailDomainCodes).where(and(eq(mailDomainCodes.userId, userId), gt(mailDomainCodes.createdAt, hourAgo)))) as [{ n: number }];
  if (n >= MAIL_CODE_LIMITS.sendsPerHour) return 'too-many';
  // The code itself is made by the mail worker (it exists only there and in the mail).
  const [row] = await db.insert(mailDomainCodes).values({ userId, institutionId, email, expiresAt: new Date(now.getTime() + MAIL_CODE_LIMITS.ttlMinutes * 60_000) }).returning({ id: mailDomainCodes.id });
  await queueMail({ template: 'mail-domain-code', to: email, locale, userId, params: { codeId: row!.id, institutionZh: mine.nameZh, institutionEn: mine.nameEn } });
  return 'sent';
}

export type CodeChecked = 'verified' | 'wrong' | 'expired';

/**
 * Checks the latest live code; five wrong tries spend it. A right one makes the membership
 * `mail-domain`-verified (no person approved it, so no `verifiedBy`).
 */
export async function verifyMembershipCode(userId: string, institutionId: string, code: string, ip: string, now = new Date()): Promise<CodeChecked> {
  const { db } = getServices();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(mailDomainCodes)
      .where(and(eq(mailDomainCodes.userId, userId), eq(mailDomainCodes.institutionId, institutionId), isNull(mailDomainCodes.usedAt), gt(mailDomainCodes.expiresAt, now)))
      .orderBy(desc(mailDomainCodes.createdAt))
      .limit(1)
      .for('update');
    if (!row || row.attempts >= MAIL_CODE_LIMITS.attemptsPerCode) return 'expired' as const;
    const a = Buffer.from(hashMembershipCode(row.id, code.trim()), 'hex');
    if (!row.codeHash || !/^\d{6}$/.test(code.trim()) || !timingSafeEqual(a, Buffer.from(row.codeHash, 'hex'))) {
      await tx.update(mailDomainCodes).set({ attempts: row.attempts + 1 }).where(eq(mailDomainCodes.id, row.id));
      return 'wrong' as const;
    }
    await tx.update(mailDomainCodes).set({ usedAt: now }).where(eq(mailDomainCodes.id, row.id));
    await tx
      .update(memberships)
      .set({ verification: 'mail-domain', verifiedAt: now, verifiedBy: null })
      .where(and(eq(memberships.userId, userId), eq(memberships.institutionId, institutionId), eq(memberships.verification, 'self-declared')));
    await recordAudit(tx, { action: 'membership.verified', actorUserId: userId, subjectUserId: userId, institutionId, ip, details: { method: 'mail-domain', domain: row.email.split('@')[1] } });
    return 'verified' as const;
  });
}
