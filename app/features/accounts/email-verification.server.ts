import { and, eq, isNull, ne } from 'drizzle-orm';
import { consumeAccountToken } from '../../../db/account-tokens.js';
import { users } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';
import { checkCurrentPassword } from '../identity/login.server.js';
import type { CurrentUser } from '../identity/session.server.js';
import { queueMail } from '../mail/outbox.server.js';
import { reserveMailAction } from './rate-limits.server.js';

export type VerifyOutcome = { kind: 'verified'; userId: string; changed: boolean } | { kind: 'invalid-token' } | { kind: 'address-taken' };

/**
 * Uses a verification token: the address it was sent to becomes the account's verified
 * address. For an address change, that is when the new address replaces the old one.
 */
export async function verifyEmail(token: string, ip: string): Promise<VerifyOutcome> {
  const { db } = getServices();
  return db.transaction(async (tx) => {
    const used = await consumeAccountToken(tx, 'verify-email', token);
    if (!used) return { kind: 'invalid-token' as const };
    const [user] = await tx.select({ id: users.id, email: users.email }).from(users).where(and(eq(users.id, used.userId), isNull(users.erasedAt)));
    if (!user) return { kind: 'invalid-token' as const };
    const changed = user.email !== used.email;
    if (changed) {
      const [holder] = await tx.select({ id: users.id }).from(users).where(and(eq(users.email, used.email), ne(users.id, user.id)));
      if (holder) return { kind: 'address-taken' as const };
    }
    await tx.update(users).set({ email: used.email, emailVerifiedAt: new Date(), updatedAt: new Date() }).where(eq(users.id, user.id));
    await recordAudit(tx, { action: 'auth.email-verified', actorUserId: user.id, subjectUserId: user.id, ip, details: { changed } });
    return { kind: 'verified' as const, userId: user.id, changed };
  });
}

type Throttled = { kind: 'throttled'; retryAfterSeconds: number };

/** Sends the account's own address a new verification link. */
export async function resendVerification(user: CurrentUser, ip: string): Promise<{ kind: 'sent' } | { kind: 'already-verified' } | Throttled> {
  const { db } = getServices();
  const [row] = await db.select({ verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, user.id));
  if (row?.verifiedAt) return { kind: 'already-verified' };
  const retryAfterSeconds = await reserveMailAction('verify-email', ip, user.email);
  if (retryAfterSeconds > 0) return { kind: 'throttled', retryAfterSeconds };
  await queueMail({ template: 'verify-email', to: user.email, userId: user.id, locale: user.locale, params: { displayName: user.displayName } });
  return { kind: 'sent' };
}

/**
 * Asks to move the account to another address: needs the current password, and the new
 * address changes nothing until its link is used. An address that has an account gets the
 * same answer (and no link), so this form does not reveal who has an account either.
 */
export async function requestEmailChange(user: CurrentUser, newEmail: string, currentPassword: string, ip: string): Promise<{ kind: 'sent' } | { kind: 'wrong-password' } | { kind: 'same-address' } | Throttled> {
  if (newEmail === user.email) return { kind: 'same-address' };
  const checked = await checkCurrentPassword(user.id, currentPassword, ip);
  if (checked === 'invalid') return { kind: 'wrong-password' };
  if (checked !== 'ok') return { kind: 'throttled', retryAfterSeconds: checked.retryAfterSeconds };
  const { db } = getServices();
  const retryAfterSeconds = await reserveMailAction('verify-email', ip, newEmail);
  if (retryAfterSeconds > 0) return { kind: 'throttled', retryAfterSeconds };
  const [holder] = await db.select({ id: users.id }).from(users).where(eq(users.email, newEmail));
  await queueMail(
    holder
      ? { template: 'account-exists', to: newEmail, locale: user.locale }
      : { template: 'verify-email', to: newEmail, userId: user.id, locale: user.locale, params: { displayName: user.displayName } },
  );
  return { kind: 'sent' };
}
