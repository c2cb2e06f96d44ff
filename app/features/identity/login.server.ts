import { and, eq, isNull } from 'drizzle-orm';
import { users } from '../../../db/schema/index.js';
import { verifyPassword } from '../../../db/password.js';
import { getEnv } from '../../env.server.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';
import { clearAccountFailures, loginRetryAfter, recordLoginFailure } from './throttle.server.js';

export type LoginOutcome =
  | { kind: 'ok'; userId: string; locale: 'zh-CN' | 'en' }
  | { kind: 'invalid' }
  | { kind: 'throttled'; retryAfterSeconds: number };

/** Checks the throttle before the password, so a locked account cannot be probed further. */
export async function attemptLogin(email: string, password: string, ip: string): Promise<LoginOutcome> {
  const { db, redis } = getServices();
  const env = getEnv();
  const limits = { perAccount: env.LOGIN_MAX_FAILURES_PER_ACCOUNT, perIp: env.LOGIN_MAX_FAILURES_PER_IP, windowSeconds: env.LOGIN_THROTTLE_WINDOW_SECONDS };
  const retryAfterSeconds = await loginRetryAfter(redis, email, ip, limits);
  if (retryAfterSeconds > 0) return { kind: 'throttled', retryAfterSeconds };

  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash, locale: users.locale })
    .from(users)
    .where(and(eq(users.email, email), isNull(users.erasedAt)));
  if (!(await verifyPassword(user?.passwordHash ?? null, password))) {
    await recordLoginFailure(redis, email, ip, limits);
    await recordAudit(db, { action: 'auth.login-failed', subjectUserId: user?.id ?? null, ip, details: { knownAccount: Boolean(user) } });
    return { kind: 'invalid' };
  }
  await clearAccountFailures(redis, email);
  await recordAudit(db, { action: 'auth.login', actorUserId: user!.id, subjectUserId: user!.id, ip });
  return { kind: 'ok', userId: user!.id, locale: user!.locale };
}
