import { createHash, randomBytes, randomInt } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from './client.js';
import { mailDomainCodes, staffInvitations } from './schema/index.js';

type Executor = Pick<Database, 'update'>;

export const hashInvitationToken = (token: string) => createHash('sha256').update(token).digest('hex');
/** Bound to its row: a code copied from one row's hash cannot be tried against another. */
export const hashMembershipCode = (codeId: string, code: string) => createHash('sha256').update(`mail-domain-code:${codeId}:${code}`).digest('hex');

export type OnboardingSecretKind = 'staff-invitation' | 'mail-domain-code';

/**
 * Made by the worker that sends the mail, like account tokens: the invitation's link token
 * or the six-digit membership code exists only in that process and in the mail; the row keeps
 * its sha256. A retry makes a new one (the earlier try's stops working). Null when the row is
 * gone, used, withdrawn or expired: nothing is sent then.
 */
export async function issueOnboardingSecret(db: Executor, kind: OnboardingSecretKind, params: Record<string, string>, now = new Date()): Promise<{ token?: string; code?: string } | null> {
  if (kind === 'staff-invitation') {
    const token = randomBytes(32).toString('base64url');
    const rows = await db
      .update(staffInvitations)
      .set({ tokenHash: hashInvitationToken(token) })
      .where(and(eq(staffInvitations.id, params.invitationId ?? ''), isNull(staffInvitations.acceptedAt), isNull(staffInvitations.revokedAt), gt(staffInvitations.expiresAt, now)))
      .returning({ id: staffInvitations.id });
    return rows.length ? { token } : null;
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const id = params.codeId ?? '';
  const rows = await db
    .update(mailDomainCodes)
    .set({ codeHash: hashMembershipCode(id, code) })
    .where(and(eq(mailDomainCodes.id, id), isNull(mailDomainCodes.usedAt), gt(mailDomainCodes.expiresAt, now)))
    .returning({ id: mailDomainCodes.id });
  return rows.length ? { code } : null;
}
