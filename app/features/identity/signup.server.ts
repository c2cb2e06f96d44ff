import { and, eq } from 'drizzle-orm';
import { institutions, memberships, users } from '../../../db/schema/index.js';
import { hashPassword } from '../../../db/password.js';
import { newPseudonym } from '../../../db/pseudonym.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';

export type SignupInput = { displayName: string; email: string; password: string; institutionId: string; locale: 'zh-CN' | 'en' };
export type SignupOutcome = { kind: 'ok'; userId: string } | { kind: 'email-taken' } | { kind: 'institution-not-open' };

export async function listSignupInstitutions() {
  const { db } = getServices();
  return db
    .select({ id: institutions.id, nameZh: institutions.nameZh, nameEn: institutions.nameEn })
    .from(institutions)
    .where(eq(institutions.acceptsStudentSignup, true))
    .orderBy(institutions.nameZh);
}

/** Creates the student, their membership and the audit entry in one transaction. */
export async function signUpStudent(input: SignupInput, ip: string): Promise<SignupOutcome> {
  const { db } = getServices();
  const [institution] = await db
    .select({ id: institutions.id })
    .from(institutions)
    .where(and(eq(institutions.id, input.institutionId), eq(institutions.acceptsStudentSignup, true)));
  if (!institution) return { kind: 'institution-not-open' };
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [user] = await tx
      .insert(users)
      .values({ email: input.email, displayName: input.displayName, passwordHash, pseudonym: newPseudonym(), locale: input.locale })
      .onConflictDoNothing({ target: users.email })
      .returning({ id: users.id });
    if (!user) return { kind: 'email-taken' as const };
    await tx.insert(memberships).values({ userId: user.id, institutionId: institution.id, role: 'student' });
    await recordAudit(tx, { action: 'auth.signup', actorUserId: user.id, subjectUserId: user.id, institutionId: institution.id, ip });
    return { kind: 'ok' as const, userId: user.id };
  });
}
