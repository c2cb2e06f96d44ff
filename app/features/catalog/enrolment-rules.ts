import type { EnrolmentPolicy } from '../../../db/schema/courses.js';
import { hasPermission, type MembershipGrant } from '../identity/permissions.js';

export type EnrolmentDecision = { allowed: true; viaInstitutionId: string | null } | { allowed: false; reason: 'not-a-student' | 'institution-only' | 'partners-only' };

/**
 * Who may enrol: a student anywhere in an open course; only the course institution's own
 * students in an institution-only course; those and the listed partner institutions'
 * students in a cross-university elective.
 */
export function decideEnrolment(
  memberships: readonly MembershipGrant[],
  course: { institutionId: string; enrolmentPolicy: EnrolmentPolicy; partnerInstitutionIds: readonly string[] },
): EnrolmentDecision {
  const studentAt = memberships.filter((m) => m.role === 'student').map((m) => m.institutionId);
  if (!hasPermission(memberships, 'learning:enrol') || studentAt.length === 0) return { allowed: false, reason: 'not-a-student' };
  const allowedAt =
    course.enrolmentPolicy === 'open' ? studentAt : course.enrolmentPolicy === 'institution' ? [course.institutionId] : [course.institutionId, ...course.partnerInstitutionIds];
  const via = studentAt.find((id) => allowedAt.includes(id));
  if (via !== undefined) return { allowed: true, viaInstitutionId: via };
  return { allowed: false, reason: course.enrolmentPolicy === 'institution' ? 'institution-only' : 'partners-only' };
}
