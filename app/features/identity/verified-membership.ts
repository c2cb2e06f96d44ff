import type { MembershipVerification } from '../../../db/schema/identity.js';

/**
 * Whether the institution has confirmed this membership (its SSO, a code to one of its mail
 * domains, its roster, or a registrar's approval). A self-declared membership may take open
 * courses only: never own-students or partner courses, never a credit request there.
 */
export function isVerifiedMembership(m: { verification: MembershipVerification }): boolean {
  return m.verification !== 'self-declared';
}
