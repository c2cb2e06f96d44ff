import type { EnrolmentPolicy } from '../../../db/schema/courses.js';
import type { MembershipVerification } from '../../../db/schema/identity.js';
import { hasPermission, type MembershipGrant } from '../identity/permissions.js';
import { isVerifiedMembership } from '../identity/verified-membership.js';

export type EnrolmentRefusal = 'not-a-student' | 'institution-only' | 'partners-only' | 'membership-unverified';
export type EnrolmentDecision = { allowed: true; viaInstitutionId: string | null } | { allowed: false; reason: EnrolmentRefusal; unverifiedInstitutionId?: string };

/**
 * Who may enrol: a student anywhere in an open course; only the course institution's own
 * students in an institution-only course; those and the listed partner institutions'
 * students in a cross-university elective. The last two count verified memberships only:
 * a self-declared student of the right institution is told to get verified first.
 */
export function decideEnrolment(
  memberships: readonly (MembershipGrant & { verification: MembershipVerification })[],
  course: { institutionId: string; enrolmentPolicy: EnrolmentPolicy; partnerInstitutionIds: readonly string[] },
): EnrolmentDecision {
  const students = memberships.filter((m) => m.role === 'student');
  if (!hasPermission(memberships, 'learning:enrol') || students.length === 0) return { allowed: false, reason: 'not-a-student' };
  if (course.enrolmentPolicy === 'open') return { allowed: true, viaInstitutionId: students[0]!.institutionId };
  const allowedAt = course.enrolmentPolicy === 'institution' ? [course.institutionId] : [course.institutionId, ...course.partnerInstitutionIds];
  const qualifying = students.filter((m) => allowedAt.includes(m.institutionId));
  const verified = qualifying.find(isVerifiedMembership);
  if (verified) return { allowed: true, viaInstitutionId: verified.institutionId };
  if (qualifying[0]) return { allowed: false, reason: 'membership-unverified', unverifiedInstitutionId: qualifying[0].institutionId };
  return { allowed: false, reason: course.enrolmentPolicy === 'institution' ? 'institution-only' : 'partners-only' };
}
