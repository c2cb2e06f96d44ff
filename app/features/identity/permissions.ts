import type { MembershipVerification, Role } from '../../../db/schema/identity.js';

// One list; the type is derived from it. Scoped permissions apply at the institution
// of the membership that grants them; an admin membership applies province-wide.
export const permissions = [
  'admin:institutions',
  'admin:roles',
  'admin:people',
  'admin:audit',
  'institution:members',
  'institution:onboard',
  'credits:decide',
  'studio:teach',
  'classroom:assist',
  'learning:enrol',
] as const;
export type Permission = (typeof permissions)[number];

export const permissionsByRole: Record<Role, readonly Permission[]> = {
  student: ['learning:enrol'],
  teacher: ['studio:teach'],
  assistant: ['classroom:assist'],
  registrar: ['institution:members', 'credits:decide'],
  // A university's or school's own administrator: staff, mail domains, SSO, classrooms, rosters.
  institution_admin: ['institution:members', 'institution:onboard'],
  admin: ['admin:institutions', 'admin:roles', 'admin:people', 'admin:audit', 'institution:members', 'institution:onboard'],
};

/** Roles whose holders must give a second factor (TOTP) before the role grants anything. */
export const privilegedRoles = ['registrar', 'institution_admin', 'admin'] as const satisfies readonly Role[];
export function isPrivilegedRole(role: Role): boolean {
  return (privilegedRoles as readonly Role[]).includes(role);
}

export type MembershipGrant = { institutionId: string; role: Role; verification?: MembershipVerification };

/** Whether these memberships grant `permission`, at `institutionId` when given. */
export function hasPermission(memberships: readonly MembershipGrant[], permission: Permission, institutionId?: string): boolean {
  return memberships.some(
    (m) =>
      permissionsByRole[m.role].includes(permission) &&
      (institutionId === undefined || m.role === 'admin' || m.institutionId === institutionId),
  );
}
