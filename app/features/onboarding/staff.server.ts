import { and, asc, desc, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { Transaction as Tx } from '../../../db/client.js';
import { hashPassword } from '../../../db/password.js';
import { newPseudonym } from '../../../db/pseudonym.js';
import { institutions, memberships, staffInvitations, users, type InvitableRole, type Locale } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';
import { dispatchMail, prepareMail } from '../mail/outbox.server.js';
import { hashInvitationToken as hashToken } from '../../../db/onboarding-secrets.js';

export const INVITATION_TTL_DAYS = 7;

export async function listStaff(institutionId: string) {
  return getServices()
    .db.select({ membershipId: memberships.id, role: memberships.role, verification: memberships.verification, since: memberships.createdAt, userId: users.id, displayName: users.displayName, pseudonym: users.pseudonym, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.institutionId, institutionId), inArray(memberships.role, ['teacher', 'assistant'])))
    .orderBy(asc(memberships.role), asc(users.displayName));
}

/** Invitations still waiting for an answer (not accepted, revoked or expired). */
export async function listPendingInvitations(institutionId: string, now = new Date()) {
  return getServices()
    .db.select({ id: staffInvitations.id, email: staffInvitations.email, role: staffInvitations.role, expiresAt: staffInvitations.expiresAt, createdAt: staffInvitations.createdAt })
    .from(staffInvitations)
    .where(and(eq(staffInvitations.institutionId, institutionId), isNull(staffInvitations.acceptedAt), isNull(staffInvitations.revokedAt), gt(staffInvitations.expiresAt, now)))
    .orderBy(desc(staffInvitations.createdAt));
}

export type Invited = 'already-member' | 'invited';

/**
 * Records the invitation and mails it; its single-use link token is made by the mail worker
 * (only its sha256 is kept). An earlier pending invitation of the same address and role stops.
 */
export async function inviteStaff(institution: { id: string; nameZh: string; nameEn: string }, admin: { id: string; locale: Locale }, email: string, role: InvitableRole, ip: string): Promise<Invited> {
  const { db } = getServices();
  const [member] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(users.email, email), eq(memberships.institutionId, institution.id), eq(memberships.role, role)));
  if (member) return 'already-member';
  const now = new Date();
  const mailId = await db.transaction(async (tx) => {
    await tx
      .update(staffInvitations)
      .set({ revokedAt: now })
      .where(and(eq(staffInvitations.institutionId, institution.id), eq(staffInvitations.email, email), eq(staffInvitations.role, role), isNull(staffInvitations.acceptedAt), isNull(staffInvitations.revokedAt)));
    const [inv] = await tx
      .insert(staffInvitations)
      .values({ institutionId: institution.id, email, role, invitedBy: admin.id, expiresAt: new Date(now.getTime() + INVITATION_TTL_DAYS * 24 * 3600_000) })
      .returning({ id: staffInvitations.id });
    await recordAudit(tx, { action: 'staff.invited', actorUserId: admin.id, institutionId: institution.id, ip, details: { invitationId: inv!.id, role } });
    return prepareMail(tx, { template: 'staff-invitation', to: email, locale: admin.locale, params: { invitationId: inv!.id, institutionZh: institution.nameZh, institutionEn: institution.nameEn, role } });
  });
  await dispatchMail(mailId);
  return 'invited';
}

export async function revokeInvitation(institutionId: string, invitationId: string, adminId: string, ip: string): Promise<boolean> {
  const { db } = getServices();
  const rows = await db
    .update(staffInvitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(staffInvitations.id, invitationId), eq(staffInvitations.institutionId, institutionId), isNull(staffInvitations.acceptedAt), isNull(staffInvitations.revokedAt)))
    .returning({ id: staffInvitations.id });
  if (rows.length) await recordAudit(db, { action: 'staff.invitation-revoked', actorUserId: adminId, institutionId, ip, details: { invitationId } });
  return rows.length > 0;
}

/** Ends a teacher's or assistant's role here; other roles are not this console's to take away. */
export async function revokeStaff(institutionId: string, membershipId: string, adminId: string, ip: string): Promise<boolean> {
  const { db } = getServices();
  return db.transaction(async (tx) => {
    const rows = await tx
      .delete(memberships)
      .where(and(eq(memberships.id, membershipId), eq(memberships.institutionId, institutionId), inArray(memberships.role, ['teacher', 'assistant'])))
      .returning({ userId: memberships.userId, role: memberships.role });
    if (rows.length) await recordAudit(tx, { action: 'staff.revoked', actorUserId: adminId, subjectUserId: rows[0]!.userId, institutionId, ip, details: { role: rows[0]!.role } });
    return rows.length > 0;
  });
}

/** A pending invitation by its token, with the institution's names, or null. */
export async function findInvitation(token: string, now = new Date()) {
  if (!/^[A-Za-z0-9_-]{40,60}$/.test(token)) return null;
  const [row] = await getServices()
    .db.select({ id: staffInvitations.id, email: staffInvitations.email, role: staffInvitations.role, institutionId: staffInvitations.institutionId, nameZh: institutions.nameZh, nameEn: institutions.nameEn })
    .from(staffInvitations)
    .innerJoin(institutions, eq(institutions.id, staffInvitations.institutionId))
    .where(and(eq(staffInvitations.tokenHash, hashToken(token)), isNull(staffInvitations.acceptedAt), isNull(staffInvitations.revokedAt), gt(staffInvitations.expiresAt, now)));
  return row ?? null;
}

export type Accepted = 'accepted' | 'used' | 'wrong-account';

/**
 * Takes the invitation for `user` (whose address must be the invited one) in one conditional
 * update, so a link clicked twice grants once. The inviting administrator is the approver.
 */
export function acceptInvitation(token: string, user: { id: string; email: string }, ip: string): Promise<Accepted> {
  return getServices().db.transaction((tx) => acceptWithin(tx, token, user, ip));
}

async function acceptWithin(tx: Tx, token: string, user: { id: string; email: string }, ip: string): Promise<Accepted> {
  const now = new Date();
  {
    const [inv] = await tx
      .update(staffInvitations)
      .set({ acceptedAt: now, acceptedBy: user.id })
      .where(and(eq(staffInvitations.tokenHash, hashToken(token)), eq(staffInvitations.email, user.email.toLowerCase()), isNull(staffInvitations.acceptedAt), isNull(staffInvitations.revokedAt), gt(staffInvitations.expiresAt, now)))
      .returning();
    if (!inv) {
      const [other] = await tx.select({ email: staffInvitations.email }).from(staffInvitations).where(and(eq(staffInvitations.tokenHash, hashToken(token)), isNull(staffInvitations.acceptedAt), isNull(staffInvitations.revokedAt), gt(staffInvitations.expiresAt, now)));
      return other ? 'wrong-account' : 'used';
    }
    const verified = { verification: 'registrar-approval' as const, verifiedAt: now, verifiedBy: inv.invitedBy, grantedBy: inv.invitedBy };
    await tx
      .insert(memberships)
      .values({ userId: user.id, institutionId: inv.institutionId, role: inv.role, ...verified })
      .onConflictDoUpdate({ target: [memberships.userId, memberships.institutionId, memberships.role], set: verified });
    await recordAudit(tx, { action: 'staff.invitation-accepted', actorUserId: user.id, subjectUserId: user.id, institutionId: inv.institutionId, ip, details: { invitationId: inv.id, role: inv.role } });
    return 'accepted';
  }
}

export type CreatedForInvitation = { kind: 'created'; userId: string } | { kind: 'has-account' } | { kind: 'used' };

/** A new account for the invited address, and the invitation accepted with it (one transaction). */
export async function createAccountForInvitation(token: string, input: { displayName: string; password: string; locale: Locale }, ip: string): Promise<CreatedForInvitation> {
  const invitation = await findInvitation(token);
  if (!invitation) return { kind: 'used' };
  const passwordHash = await hashPassword(input.password);
  const raced = new Error('invitation taken meanwhile');
  return getServices().db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email: invitation.email, displayName: input.displayName, passwordHash, pseudonym: newPseudonym(), locale: input.locale })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id });
    if (!user) return { kind: 'has-account' as const };
    await recordAudit(tx, { action: 'auth.signup', actorUserId: user.id, subjectUserId: user.id, institutionId: invitation.institutionId, ip, details: { via: 'staff-invitation' } });
    const accepted = await acceptWithin(tx, token, { id: user.id, email: invitation.email }, ip);
    if (accepted !== 'accepted') throw raced;
    return { kind: 'created' as const, userId: user.id };
  }).catch((error: unknown) => {
    if (error === raced) return { kind: 'used' as const };
    throw error;
  });
}
