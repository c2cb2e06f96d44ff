import { describe, expect, it } from 'vitest';
import { hasPermission } from './permissions.js';

const fzu = 'inst-fzu';
const fjnu = 'inst-fjnu';

describe('hasPermission', () => {
  it('grants a registrar member listing at their own institution only', () => {
    const registrar = [{ institutionId: fzu, role: 'registrar' as const }];
    expect(hasPermission(registrar, 'institution:members', fzu)).toBe(true);
    expect(hasPermission(registrar, 'institution:members', fjnu)).toBe(false);
  });

  it('lets a province admin act at every institution', () => {
    const admin = [{ institutionId: 'dept', role: 'admin' as const }];
    expect(hasPermission(admin, 'institution:members', fjnu)).toBe(true);
    expect(hasPermission(admin, 'admin:roles')).toBe(true);
    expect(hasPermission(admin, 'institution:onboard', fjnu)).toBe(true);
  });

  it('gives students and teachers no administrative permission', () => {
    for (const role of ['student', 'teacher', 'assistant'] as const) {
      const m = [{ institutionId: fzu, role }];
      expect(hasPermission(m, 'admin:people')).toBe(false);
      expect(hasPermission(m, 'institution:members', fzu)).toBe(false);
    }
  });

  it('combines memberships: a teacher who is also a registrar elsewhere', () => {
    const m = [
      { institutionId: fzu, role: 'teacher' as const },
      { institutionId: fjnu, role: 'registrar' as const },
    ];
    expect(hasPermission(m, 'studio:teach', fzu)).toBe(true);
    expect(hasPermission(m, 'studio:teach', fjnu)).toBe(false);
    expect(hasPermission(m, 'credits:decide', fjnu)).toBe(true);
  });

  it('lets an institution administrator onboard at their own institution only', () => {
    const own = [{ institutionId: 'school-a', role: 'institution_admin' as const }];
    expect(hasPermission(own, 'institution:onboard', 'school-a')).toBe(true);
    expect(hasPermission(own, 'institution:onboard', 'school-b')).toBe(false);
    expect(hasPermission([{ institutionId: 'school-a', role: 'registrar' as const }], 'institution:onboard', 'school-a')).toBe(false);
  });
});
