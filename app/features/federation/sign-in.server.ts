import { randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { externalIdentities, memberships, users, type SsoProtocol } from '../../../db/schema/index.js';
import { newPseudonym } from '../../../db/pseudonym.js';
import type { Transaction } from '../../../db/client.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';
import type { SsoRefusal } from './refusals.js';

/** What an IdP vouched for, after every check of its protocol passed. */
export type VerifiedIdentity = {
  institutionId: string;
  protocol: SsoProtocol;
  subject: string;
  email: string | null;
  displayName: string | null;
  role: 'student' | 'teacher' | 'assistant' | null;
};

export type SsoSignInOutcome =
  | { kind: 'signed-in'; userId: string; locale: 'zh-CN' | 'en' }
  | { kind: 'needs-link'; token: string }
  | { kind: 'address-in-use' };

const LINK_TTL_SECONDS = 600;
const linkKey = (token: string) => `sso:link:${token}`;

/**
 * Signs in the person an IdP vouched for: their linked account, or a new one. A local account
 * with the same address is never merged here: the person must prove its password first.
 */
export async function signInVerified(identity: VerifiedIdentity, ip: string): Promise<SsoSignInOutcome> {
  const { db, redis } = getServices();
  const outcome = await db.transaction(async (tx): Promise<SsoSignInOutcome> => {
    const [linked] = await tx
      .select({ userId: externalIdentities.userId, locale: users.locale })
      .from(externalIdentities)
      .innerJoin(users, eq(users.id, externalIdentities.userId))
      .where(and(eq(externalIdentities.institutionId, identity.institutionId), eq(externalIdentities.protocol, identity.protocol), eq(externalIdentities.subject, identity.subject), isNull(users.erasedAt)));
    if (linked) {
      await tx
        .update(externalIdentities)
        .set({ lastSignInAt: new Date() })
        .where(and(eq(externalIdentities.institutionId, identity.institutionId), eq(externalIdentities.protocol, identity.protocol), eq(externalIdentities.subject, identity.subject)));
      await grantVerifiedMembership(tx, linked.userId, identity);
      await recordAudit(tx, { action: 'sso.signed-in', actorUserId: linked.userId, subjectUserId: linked.userId, institutionId: identity.institutionId, ip, details: { protocol: identity.protocol, role: identity.role } });
      return { kind: 'signed-in', userId: linked.userId, locale: linked.locale };
    }
    if (identity.email) {
      const [local] = await tx.select({ id: users.id, passwordHash: users.passwordHash }).from(users).where(eq(users.email, identity.email));
      if (local) return local.passwordHash ? { kind: 'needs-link', token: '' } : { kind: 'address-in-use' };
    }
    const [user] = await tx
      .insert(users)
      .values({ email: identity.email, displayName: identity.displayName, pseudonym: newPseudonym() })
      .returning({ id: users.id, locale: users.locale });
    await tx.insert(externalIdentities).values({ userId: user!.id, institutionId: identity.institutionId, protocol: identity.protocol, subject: identity.subject });
    await grantVerifiedMembership(tx, user!.id, identity);
    await recordAudit(tx, { action: 'sso.signed-in', actorUserId: user!.id, subjectUserId: user!.id, institutionId: identity.institutionId, ip, details: { protocol: identity.protocol, role: identity.role, newAccount: true } });
    return { kind: 'signed-in', userId: user!.id, locale: user!.locale };
  });
  if (outcome.kind !== 'needs-link') return outcome;
  const token = randomBytes(24).toString('base64url');
  await redis.set(linkKey(token), JSON.stringify(identity), 'EX', LINK_TTL_SECONDS);
  return { kind: 'needs-link', token };
}

/** A membership with the SSO's role, verified now; a self-declared one of the same role becomes verified. */
async function grantVerifiedMembership(tx: Transaction, userId: string, identity: VerifiedIdentity): Promise<void> {
  if (!identity.role) return;
  const verified = { verification: 'sso' as const, verifiedAt: new Date() };
  await tx
    .insert(memberships)
    .values({ userId, institutionId: identity.institutionId, role: identity.role, ...verified })
    .onConflictDoUpdate({
      target: [memberships.userId, memberships.institutionId, memberships.role],
      set: verified,
      setWhere: sql`${memberships.verification} = 'self-declared'`,
    });
}

/** The identity waiting for its local account's password, without consuming it. */
export async function pendingLink(token: string | null): Promise<VerifiedIdentity | null> {
  if (!token) return null;
  const raw = await getServices().redis.get(linkKey(token));
  return raw ? (JSON.parse(raw) as VerifiedIdentity) : null;
}

export async function dropPendingLink(token: string): Promise<void> {
  await getServices().redis.del(linkKey(token));
}

/** Ties the IdP's identity to the account whose password was just proven, once. */
export async function completeLink(token: string, userId: string, ip: string): Promise<boolean> {
  const { db, redis } = getServices();
  const raw = await redis.getdel(linkKey(token));
  if (!raw) return false;
  const identity = JSON.parse(raw) as VerifiedIdentity;
  await db.transaction(async (tx) => {
    await tx.insert(externalIdentities).values({ userId, institutionId: identity.institutionId, protocol: identity.protocol, subject: identity.subject }).onConflictDoNothing();
    await grantVerifiedMembership(tx, userId, identity);
    await recordAudit(tx, { action: 'sso.linked', actorUserId: userId, subjectUserId: userId, institutionId: identity.institutionId, ip, details: { protocol: identity.protocol, role: identity.role } });
  });
  return true;
}

/** Writes a refused answer to the audit log; nothing else is stored. */
export async function auditRefusal(refusal: SsoRefusal, where: { institutionId: string | null; protocol: SsoProtocol | null; ip: string }): Promise<void> {
  await recordAudit(getServices().db, {
    action: 'sso.refused',
    institutionId: where.institutionId,
    ip: where.ip,
    details: { protocol: where.protocol, reason: refusal.reason, detail: refusal.detail?.slice(0, 500) ?? null },
  });
}
