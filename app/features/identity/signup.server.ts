import { and, eq } from 'drizzle-orm';
import { consents, institutions, memberships, users } from '../../../db/schema/index.js';
import { hashPassword } from '../../../db/password.js';
import { newPseudonym } from '../../../db/pseudonym.js';
import { getServices } from '../../services.server.js';
import { ageOn, chinaToday, isPlausibleBirthDate } from '../accounts/age.js';
import { MIN_SELF_SIGNUP_AGE, PRIVACY_NOTICE_VERSION } from '../accounts/privacy-notice.js';
import { reserveMailAction } from '../accounts/rate-limits.server.js';
import { recordAudit } from '../audit/audit.server.js';
import { dispatchMail, prepareMail } from '../mail/outbox.server.js';

export type SignupInput = { displayName: string; email: string; password: string; institutionId: string; locale: 'zh-CN' | 'en'; birthDate: string; noticeVersion: string };
/**
 * `mail-sent` is the answer for a new address and for one that already has an account
 * (whose owner is told by mail instead), so sign-up does not reveal who has an account.
 */
export type SignupOutcome =
  | { kind: 'mail-sent' }
  | { kind: 'institution-not-open' }
  | { kind: 'birth-date-invalid' }
  | { kind: 'under-age' }
  | { kind: 'notice-changed' }
  | { kind: 'throttled'; retryAfterSeconds: number };

export async function listSignupInstitutions() {
  const { db } = getServices();
  return db
    .select({ id: institutions.id, nameZh: institutions.nameZh, nameEn: institutions.nameEn })
    .from(institutions)
    .where(eq(institutions.acceptsStudentSignup, true))
    .orderBy(institutions.nameZh);
}

/**
 * Creates the student, their membership, their consent to the privacy notice and the audit
 * entry in one transaction, then mails a verification link. A child under 14 is refused
 * before anything is stored (the birth date itself is never stored).
 */
export async function signUpStudent(input: SignupInput, ip: string): Promise<SignupOutcome> {
  const today = chinaToday();
  if (!isPlausibleBirthDate(input.birthDate, today)) return { kind: 'birth-date-invalid' };
  if (ageOn(input.birthDate, today) < MIN_SELF_SIGNUP_AGE) return { kind: 'under-age' };
  if (input.noticeVersion !== PRIVACY_NOTICE_VERSION) return { kind: 'notice-changed' };
  const { db } = getServices();
  const [institution] = await db
    .select({ id: institutions.id })
    .from(institutions)
    .where(and(eq(institutions.id, input.institutionId), eq(institutions.acceptsStudentSignup, true)));
  if (!institution) return { kind: 'institution-not-open' };
  const retryAfterSeconds = await reserveMailAction('signup', ip, input.email);
  if (retryAfterSeconds > 0) return { kind: 'throttled', retryAfterSeconds };
  const passwordHash = await hashPassword(input.password);
  const mailId = await db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email: input.email, displayName: input.displayName, passwordHash, pseudonym: newPseudonym(), locale: input.locale })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id });
    if (!user) return prepareMail(tx, { template: 'account-exists', to: input.email, locale: input.locale });
    await tx.insert(memberships).values({ userId: user.id, institutionId: institution.id, role: 'student' });
    await tx.insert(consents).values({ subjectUserId: user.id, kind: 'self', noticeVersion: PRIVACY_NOTICE_VERSION, recordedBy: user.id });
    await recordAudit(tx, { action: 'auth.signup', actorUserId: user.id, subjectUserId: user.id, institutionId: institution.id, ip, details: { noticeVersion: PRIVACY_NOTICE_VERSION } });
    return prepareMail(tx, { template: 'verify-email', to: input.email, userId: user.id, locale: input.locale, params: { displayName: input.displayName } });
  });
  await dispatchMail(mailId);
  return { kind: 'mail-sent' };
}
