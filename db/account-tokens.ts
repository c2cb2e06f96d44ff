import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database } from './client.js';
import { accountTokens, type AccountToken, type AccountTokenPurpose } from './schema/index.js';

type Executor = Pick<Database, 'insert' | 'update'>;

/** How long a mailed link works. A reset link is short-lived (OWASP: minutes, not days). */
export const tokenLifetimeMinutes: Record<AccountTokenPurpose, number> = {
  'password-reset': 30,
  'verify-email': 3 * 24 * 60,
};

export const hashAccountToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Makes a token, stores its hash, and returns the token itself (to go into one mail, nowhere else). */
export async function createAccountToken(
  db: Executor,
  input: { purpose: AccountTokenPurpose; userId: string; email: string; mailId?: string; data?: Record<string, string> },
  now = new Date(),
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.insert(accountTokens).values({
    purpose: input.purpose,
    tokenHash: hashAccountToken(token),
    userId: input.userId,
    email: input.email,
    mailId: input.mailId ?? null,
    data: input.data ?? {},
    createdAt: now,
    expiresAt: new Date(now.getTime() + tokenLifetimeMinutes[input.purpose] * 60_000),
  });
  return token;
}

/**
 * Marks the token used and returns its row, or null when it is unknown, used, expired or
 * for another purpose. One conditional UPDATE: two clicks at once cannot both succeed.
 */
export async function consumeAccountToken(db: Executor, purpose: AccountTokenPurpose, token: string, now = new Date()): Promise<AccountToken | null> {
  if (!/^[\w-]{20,100}$/.test(token)) return null;
  const [row] = await db
    .update(accountTokens)
    .set({ usedAt: now })
    .where(and(eq(accountTokens.tokenHash, hashAccountToken(token)), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, now)))
    .returning();
  return row ?? null;
}

/** Ends every unused token of a purpose for a user (a new password makes older reset links useless). */
export async function revokeAccountTokens(db: Executor, userId: string, purpose: AccountTokenPurpose, now = new Date()): Promise<void> {
  await db
    .update(accountTokens)
    .set({ usedAt: now })
    .where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt)));
}
