import { and, eq, isNull } from 'drizzle-orm';
import { consumeAccountToken, revokeAccountTokens } from '../../../db/account-tokens.js';
import { hashPassword } from '../../../db/password.js';
import { sessions, users, type Locale } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';
import { dispatchMail, prepareMail } from '../mail/outbox.server.js';
import { reserveMailAction } from './rate-limits.server.js';

/**
 * Asks for a reset mail. The answer and the work done here are the same whether or not
 * the address has an account: the worker looks the address up and sends nothing when
 * there is none (workers/handlers/send-mail.ts).
 */
export async function requestPasswordReset(email: string, locale: Locale, ip: string): Promise<{ kind: 'ok' } | { kind: 'throttled'; retryAfterSeconds: number }> {
  const retryAfterSeconds = await reserveMailAction('password-reset', ip, email);
  if (retryAfterSeconds > 0) return { kind: 'throttled', retryAfterSeconds };
  const { db } = getServices();
  const mailId = await prepareMail(db, { template: 'password-reset', to: email, locale });
  await dispatchMail(mailId);
  await recordAudit(db, { action: 'auth.password-reset-requested', ip, details: { mailId } });
  return { kind: 'ok' };
}

export type ResetOutcome = { kind: 'ok'; userId: string } | { kind: 'invalid-token' };

/**
 * Uses the token once and sets the new password. Every session of the account ends (a
 * reset is what someone does when they fear another has the password), the address counts
 * as verified (the link reached its mailbox), and a notice goes to the address.
 */
export async function resetPassword(token: string, password: string, ip: string): Promise<ResetOutcome> {
  const { db } = getServices();
  const passwordHash = await hashPassword(password);
  const result = await db.transaction(async (tx) => {
    const used = await consumeAccountToken(tx, 'password-reset', token);
    if (!used) return null;
    const [user] = await tx
      .update(users)
      .set({ passwordHash, updatedAt: new Date() })
      .where(and(eq(users.id, used.userId), eq(users.email, used.email), isNull(users.erasedAt)))
      .returning({ id: users.id, email: users.email, locale: users.locale, emailVerifiedAt: users.emailVerifiedAt });
    if (!user?.email) return null;
    if (!user.emailVerifiedAt) await tx.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, user.id));
    await revokeAccountTokens(tx, user.id, 'password-reset');
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    await recordAudit(tx, { action: 'auth.password-reset', actorUserId: user.id, subjectUserId: user.id, ip });
    const mailId = await prepareMail(tx, { template: 'password-changed', to: user.email, userId: user.id, locale: user.locale });
    return { userId: user.id, mailId };
  });
  if (!result) return { kind: 'invalid-token' };
  await dispatchMail(result.mailId);
  return { kind: 'ok', userId: result.userId };
}
