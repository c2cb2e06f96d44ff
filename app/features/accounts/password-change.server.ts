import { and, eq, ne } from 'drizzle-orm';
import { revokeAccountTokens } from '../../../db/account-tokens.js';
import { hashPassword } from '../../../db/password.js';
import { sessions, users } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';
import { checkCurrentPassword } from '../identity/login.server.js';
import { currentSessionHash, type CurrentUser } from '../identity/session.server.js';
import { dispatchMail, prepareMail } from '../mail/outbox.server.js';

export type ChangePasswordOutcome = { kind: 'ok'; endedSessions: number } | { kind: 'wrong-password' } | { kind: 'throttled'; retryAfterSeconds: number };

/** Needs the current password; every other session of the account ends, this one stays. */
export async function changePassword(request: Request, user: CurrentUser, currentPassword: string, password: string, ip: string): Promise<ChangePasswordOutcome> {
  const checked = await checkCurrentPassword(user.id, currentPassword, ip);
  if (checked === 'invalid') return { kind: 'wrong-password' };
  if (checked !== 'ok') return { kind: 'throttled', retryAfterSeconds: checked.retryAfterSeconds };
  const keep = (await currentSessionHash(request)) ?? '';
  const passwordHash = await hashPassword(password);
  const { db } = getServices();
  const { ended, mailId } = await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, user.id));
    const ended = await tx.delete(sessions).where(and(eq(sessions.userId, user.id), ne(sessions.idHash, keep))).returning({ idHash: sessions.idHash });
    await revokeAccountTokens(tx, user.id, 'password-reset');
    await recordAudit(tx, { action: 'auth.password-changed', actorUserId: user.id, subjectUserId: user.id, ip, details: { endedSessions: ended.length } });
    const mailId = await prepareMail(tx, { template: 'password-changed', to: user.email, userId: user.id, locale: user.locale });
    return { ended: ended.length, mailId };
  });
  await dispatchMail(mailId);
  return { kind: 'ok', endedSessions: ended };
}
