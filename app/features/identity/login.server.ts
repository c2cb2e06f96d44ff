import { and, eq, isNull } from 'drizzle-orm';
import { users } from '../../../db/schema/index.js';
import { verifyPassword } from '../../../db/password.js';
import { getEnv } from '../../env.server.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';
import { releaseLoginAttempt, reserveLoginAttempt } from './throttle.server.js';

export type LoginOutcome =
  | { kind: 'ok'; userId: string; locale: 'zh-CN' | 'en' }
  | { kind: 'invalid' }
  | { kind: 'throttled'; retryAfterSeconds: number };

/**
 * Reserves an attempt before the password is checked (a wrong one keeps it counted), so a
 * locked account cannot be probed further and guesses sent at once cannot slip past the limit.
 */
export async function attemptLogin(email: string, password: string, ip: string): Promise<LoginOutcome> {
  const { db, redis } = getServices();
  const env = getEnv();
  const limits = { perAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT, perIp: env.LOGIN_MAX_FAILURES_PER_IP, windowSeconds: env.LOGIN_THROTTLE_WINDOW_SECONDS };
  const retryAfterSeconds = await reserveLoginAttempt(redis, email, ip, limits);
  if (retryAfterSeconds > 0) return { kind: 'throttled', retryAfterSeconds };

  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash, locale: users.locale })
    .from(users)
    .where(and(eq(users.email, email), isNull(users.erasedAt)));
  if (!(await verifyPassword(user?.passwordHash ?? null, password))) {
    await recordAudit(db, { action: 'auth.login-failed', subjectUserId: user?.id ?? null, ip, details: { knownAccount: Boolean(user) } });
    return { kind: 'invalid' };
  }
  await releaseLoginAttempt(redis, email, ip);
  await recordAudit(db, { action: 'auth.login', actorUserId: user!.id, subjectUserId: user!.id, ip });
  return { kind: 'ok', userId: user!.id, locale: user!.locale };
}

/**
 * The current password, checked for a signed-in person who changes their password or
 * address: behind the same fence as login, so a borrowed session cannot guess it.
 */
export async function checkCurrentPassword(userId: string, password: string, ip: string): Promise<'ok' | 'invalid' | { retryAfterSeconds: number }> {
  const { db, redis } = getServices();
  const env = getEnv();
  const [user] = await db.select({ email: users.email, passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!user?.email) return 'invalid';
  const limits = { perAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT, perIp: env.LOGIN_MAX_FAILURES_PER_IP, windowSeconds: env.LOGIN_THROTTLE_WINDOW_SECONDS };
  const retryAfterSeconds = await reserveLoginAttempt(redis, user.email, ip, limits);
  if (retryAfterSeconds > 0) return { retryAfterSeconds };
  if (!(await verifyPassword(user.passwordHash, password))) return 'invalid';
  await releaseLoginAttempt(redis, user.email, ip);
  return 'ok';
}
