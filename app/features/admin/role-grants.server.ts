import { and, asc, count, eq, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Transaction } from '../../../db/client.js';
import { institutions, memberships, roleGrantProposals, users } from '../../../db/schema/index.js';
import type { Role } from '../../../db/schema/identity.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';
import { appendLedger } from '../credits/ledger.server.js';
import { isPrivilegedRole } from '../identity/permissions.js';

export type GrantOutcome = 'granted' | 'proposed' | 'exists' | 'already-proposed' | 'self' | 'not-found';
export type DecisionOutcome = 'approved' | 'rejected' | 'own-proposal' | 'own-role' | 'gone';

type Grant = { userId: string; institutionId: string; role: Role };

/**
 * The membership, its audit entry and its ledger entry, in the caller's transaction. A granted
 * role counts as verified by whoever made it take effect.
 */
async function insertGrantedMembership(tx: Transaction, grant: Grant, by: { grantedBy: string; approvedBy?: string; proposalId?: string }, ip: string): Promise<boolean> {
  const approver = by.approvedBy ?? by.grantedBy;
  const [row] = await tx
    .insert(memberships)
    .values({ ...grant, grantedBy: by.grantedBy, verification: 'registrar-approval', verifiedAt: new Date(), verifiedBy: approver })
    .onConflictDoNothing()
    .returning({ id: memberships.id });
  if (!row) return false;
  const details = { role: grant.role, membershipId: row.id, ...(by.proposalId ? { proposalId: by.proposalId, proposedBy: by.grantedBy } : {}) };
  await recordAudit(tx, { action: 'role.granted', actorUserId: approver, subjectUserId: grant.userId, institutionId: grant.institutionId, ip, details });
  await appendLedger(tx, [{ kind: 'role.granted', payload: { ...details, userId: grant.userId, institutionId: grant.institutionId, grantedBy: by.grantedBy, approvedBy: approver } }]);
  return true;
}

/**
 * Nobody grants a role to themselves. Student, teacher and assistant take effect at once;
 * registrar, institution administrator and administrator become a proposal that another
 * administrator must approve.
 */
export async function grantRole(grant: Grant, actorUserId: string, ip: string): Promise<GrantOutcome> {
  if (grant.userId === actorUserId) return 'self';
  return getServices().db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id }).from(users).where(and(eq(users.id, grant.userId), isNull(users.erasedAt)));
    const [institution] = await tx.select({ id: institutions.id }).from(institutions).where(eq(institutions.id, grant.institutionId));
    if (!user || !institution) return 'not-found' as const;
    const [held] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.userId, grant.userId), eq(memberships.institutionId, grant.institutionId), eq(memberships.role, grant.role)));
    if (held) return 'exists' as const;
    if (!isPrivilegedRole(grant.role)) return (await insertGrantedMembership(tx, grant, { grantedBy: actorUserId }, ip)) ? ('granted' as const) : ('exists' as const);
    const [proposal] = await tx.insert(roleGrantProposals).values({ ...grant, proposedBy: actorUserId }).onConflictDoNothing().returning({ id: roleGrantProposals.id });
    if (!proposal) return 'already-proposed' as const;
    await recordAudit(tx, { action: 'role.proposed', actorUserId, subjectUserId: grant.userId, institutionId: grant.institutionId, ip, details: { role: grant.role, proposalId: proposal.id } });
    return 'proposed' as const;
  });
}

/** A second administrator approves or rejects a proposed grant; never the proposer, never the person it is for. */
export async function decideRoleGrant(proposalId: string, decision: 'approve' | 'reject', actorUserId: string, ip: string): Promise<DecisionOutcome> {
  return getServices().db.transaction(async (tx) => {
    const [p] = await tx
      .select()
      .from(roleGrantProposals)
      .where(and(eq(roleGrantProposals.id, proposalId), eq(roleGrantProposals.status, 'pending')))
      .for('update');
    if (!p) return 'gone' as const;
    if (p.proposedBy === actorUserId) return 'own-proposal' as const;
    if (p.userId === actorUserId) return 'own-role' as const;
    await tx
      .update(roleGrantProposals)
      .set({ status: decision === 'approve' ? 'approved' : 'rejected', decidedBy: actorUserId, decidedAt: new Date() })
      .where(eq(roleGrantProposals.id, p.id));
    if (decision === 'reject') {
      await recordAudit(tx, { action: 'role.rejected', actorUserId, subjectUserId: p.userId, institutionId: p.institutionId, ip, details: { role: p.role, proposalId: p.id, proposedBy: p.proposedBy } });
      return 'rejected' as const;
    }
    await insertGrantedMembership(tx, { userId: p.userId, institutionId: p.institutionId, role: p.role }, { grantedBy: p.proposedBy, approvedBy: actorUserId, proposalId: p.id }, ip);
    return 'approved' as const;
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
    await recordAudit(tx, { action: 'role.revoked', actorUserId, subjectUserId: m.userId, institutionId: m.institutionId, ip, details: { role: m.role, membershipId } });
    await appendLedger(tx, [{ kind: 'role.revoked', payload: { membershipId, userId: m.userId, institutionId: m.institutionId, role: m.role, revokedBy: actorUserId } }]);
    return 'ok' as const;
  });
}

const subject = alias(users, 'subject');
const proposer = alias(users, 'proposer');

/** Proposed grants waiting for a second administrator, oldest first (for one person when given). */
export async function listPendingGrants(forUserId?: string) {
  return getServices()
    .db.select({
      id: roleGrantProposals.id,
      role: roleGrantProposals.role,
      proposedAt: roleGrantProposals.proposedAt,
      userId: roleGrantProposals.userId,
      proposedBy: roleGrantProposals.proposedBy,
      person: sql<string>`coalesce(${subject.displayName}, ${subject.pseudonym})`,
      proposer: sql<string>`coalesce(${proposer.displayName}, ${proposer.pseudonym})`,
      institutionZh: institutions.nameZh,
      institutionEn: institutions.nameEn,
    })
    .from(roleGrantProposals)
    .innerJoin(subject, eq(subject.id, roleGrantProposals.userId))
    .innerJoin(proposer, eq(proposer.id, roleGrantProposals.proposedBy))
    .innerJoin(institutions, eq(institutions.id, roleGrantProposals.institutionId))
    .where(and(eq(roleGrantProposals.status, 'pending'), forUserId ? eq(roleGrantProposals.userId, forUserId) : undefined))
    .orderBy(asc(roleGrantProposals.proposedAt))
    .limit(200);
}
