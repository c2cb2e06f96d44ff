import { and, eq, isNull, ne, or, lt, sql } from 'drizzle-orm';
import { recoveryCodes, sessions, userSecondFactors } from '../../../../db/schema/index.js';
import { sealTotpSecret, unsealTotpSecret } from '../../../../db/second-factor-seal.js';
import { getEnv } from '../../../env.server.js';
import { getServices } from '../../../services.server.js';
import { recordAudit } from '../../audit/audit.server.js';
import { qrSvg } from '../../credits/qr.server.js';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes } from './recovery-codes.js';
import { clearSecondFactorAttempts, reserveSecondFactorAttempt } from './throttle.server.js';
import { formatManualKey, matchTotpStep, newTotpSecret, totpUri } from './totp.js';

export type SecondFactorRefusal = { refused: 'wrong-code' } | { refused: 'throttled'; retryAfterSeconds: number } | { refused: 'no-pending-enrolment' };

const siteSecret = () => getEnv().SESSION_SECRET;

export async function secondFactorStatus(userId: string) {
  const { db } = getServices();
  const [row] = await db.select({ confirmedAt: userSecondFactors.confirmedAt }).from(userSecondFactors).where(eq(userSecondFactors.userId, userId));
  const [{ left } = { left: 0 }] = await db
    .select({ left: sql<number>`count(*)::int` })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return { enrolledAt: row?.confirmedAt ?? null, recoveryCodesLeft: left };
}

/**
 * The authenticator being enrolled: the pending secret kept from an earlier visit (so a reload
 * shows the same QR code), or a new one. The confirmed authenticator, if any, stays in force.
 */
export async function pendingEnrolment(user: { id: string; email: string }) {
  const { db } = getServices();
  const [row] = await db.select({ pending: userSecondFactors.pendingSealedSecret }).from(userSecondFactors).where(eq(userSecondFactors.userId, user.id));
  let secret = row?.pending ? unsealTotpSecret(siteSecret(), row.pending) : null;
  if (!secret) {
    secret = newTotpSecret();
    const sealed = sealTotpSecret(siteSecret(), secret);
    await db
      .insert(userSecondFactors)
      .values({ userId: user.id, pendingSealedSecret: sealed, pendingCreatedAt: new Date() })
      .onConflictDoUpdate({ target: userSecondFactors.userId, set: { pendingSealedSecret: sealed, pendingCreatedAt: new Date(), updatedAt: new Date() } });
  }
  const uri = totpUri(secret, user.email);
  return { manualKey: formatManualKey(secret), qrSvg: qrSvg(uri) };
}

async function reserveAttempt(userId: string): Promise<SecondFactorRefusal | null> {
  const env = getEnv();
  const wait = await reserveSecondFactorAttempt(getServices().redis, userId, { max: env.LOGIN_MAX_FAILURES_PER_ACCOUNT, windowSeconds: env.LOGIN_THROTTLE_WINDOW_SECONDS });
  return wait > 0 ? { refused: 'throttled', retryAfterSeconds: wait } : null;
}

/**
 * A code from the new authenticator makes it the person's second factor: ten new recovery codes
 * (returned once, stored hashed), every other session of theirs ended, this one marked as having
 * given its second factor. One transaction.
 */
export async function confirmEnrolment(userId: string, code: string, keepSessionHash: string, ip: string): Promise<{ recoveryCodes: string[] } | SecondFactorRefusal> {
  const throttled = await reserveAttempt(userId);
  if (throttled) return throttled;
  const { db, redis } = getServices();
  const [row] = await db.select().from(userSecondFactors).where(eq(userSecondFactors.userId, userId));
  const secret = row?.pendingSealedSecret ? unsealTotpSecret(siteSecret(), row.pendingSealedSecret) : null;
  if (!row || !secret) return { refused: 'no-pending-enrolment' };
  const step = await matchTotpStep(secret, code, null);
  if (step === null) {
    await recordAudit(db, { action: 'second-factor.failed', actorUserId: userId, subjectUserId: userId, ip, details: { stage: 'enrolment' } });
    return { refused: 'wrong-code' };
  }
  const codes = newRecoveryCodes();
  await db.transaction(async (tx) => {
    await tx
      .update(userSecondFactors)
      .set({ sealedSecret: row.pendingSealedSecret, confirmedAt: new Date(), pendingSealedSecret: null, pendingCreatedAt: null, lastUsedStep: step, updatedAt: new Date() })
      .where(eq(userSecondFactors.userId, userId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })));
    await tx.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.idHash, keepSessionHash)));
    await tx.update(sessions).set({ secondFactorAt: new Date() }).where(eq(sessions.idHash, keepSessionHash));
    await recordAudit(tx, { action: 'second-factor.enrolled', actorUserId: userId, subjectUserId: userId, ip, details: { reEnrolment: Boolean(row.confirmedAt) } });
  });
  await clearSecondFactorAttempts(redis, userId);
  return { recoveryCodes: codes };
}

/**
 * The code given after the password: a TOTP code (each time step accepted once) or one of the
 * recovery codes (each accepted once). Throttled per person; every wrong code is audited.
 */
export async function checkSecondFactor(userId: string, typed: string, ip: string): Promise<{ ok: true; method: 'totp' | 'recovery-code'; recoveryCodesLeft: number } | SecondFactorRefusal> {
  const throttled = await reserveAttempt(userId);
  if (throttled) return throttled;
  const { db, redis } = getServices();
  const method = looksLikeRecoveryCode(typed) ? 'recovery-code' : 'totp';
  const ok = method === 'recovery-code' ? await useRecoveryCode(userId, typed) : await useTotpCode(userId, typed);
  if (!ok) {
    await recordAudit(db, { action: 'second-factor.failed', actorUserId: userId, subjectUserId: userId, ip, details: { stage: 'sign-in', method } });
    return { refused: 'wrong-code' };
  }
  await clearSecondFactorAttempts(redis, userId);
  const { recoveryCodesLeft } = await secondFactorStatus(userId);
  if (method === 'recovery-code') await recordAudit(db, { action: 'second-factor.recovery-used', actorUserId: userId, subjectUserId: userId, ip, details: { left: recoveryCodesLeft } });
  return { ok: true, method, recoveryCodesLeft };
}

async function useTotpCode(userId: string, typed: string): Promise<boolean> {
  const { db } = getServices();
  const [row] = await db.select().from(userSecondFactors).where(eq(userSecondFactors.userId, userId));
  const secret = row?.confirmedAt && row.sealedSecret ? unsealTotpSecret(siteSecret(), row.sealedSecret) : null;
  if (!row || !secret) return false;
  const step = await matchTotpStep(secret, typed, row.lastUsedStep);
  if (step === null) return false;
  // Conditional on the step still being unused: two requests with the same code, one wins.
  const claimed = await db
    .update(userSecondFactors)
    .set({ lastUsedStep: step })
    .where(and(eq(userSecondFactors.userId, userId), or(isNull(userSecondFactors.lastUsedStep), lt(userSecondFactors.lastUsedStep, step))))
    .returning({ userId: userSecondFactors.userId });
  return claimed.length === 1;
}

async function useRecoveryCode(userId: string, typed: string): Promise<boolean> {
  const used = await getServices()
    .db.update(recoveryCodes)
    .set({ usedAt: new Date() })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, hashRecoveryCode(typed)), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return used.length === 1;
}

/** Ten fresh recovery codes (the old ones stop working), after a current code from the authenticator. */
export async function renewRecoveryCodes(userId: string, code: string, ip: string): Promise<{ recoveryCodes: string[] } | SecondFactorRefusal> {
  const throttled = await reserveAttempt(userId);
  if (throttled) return throttled;
  const { db, redis } = getServices();
  if (!(await useTotpCode(userId, code))) {
    await recordAudit(db, { action: 'second-factor.failed', actorUserId: userId, subjectUserId: userId, ip, details: { stage: 'recovery-codes' } });
    return { refused: 'wrong-code' };
  }
  const codes = newRecoveryCodes();
  await db.transaction(async (tx) => {
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })));
    await recordAudit(tx, { action: 'second-factor.enrolled', actorUserId: userId, subjectUserId: userId, ip, details: { recoveryCodesRenewed: true } });
  });
  await clearSecondFactorAttempts(redis, userId);
  return { recoveryCodes: codes };
}
