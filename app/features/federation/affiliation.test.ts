import { describe, expect, it } from 'vitest';
import { isRegisteredScope, roleFromAffiliations, scopeOf } from './affiliation.js';

const fzu = { scopes: ['fzu.edu.cn'], staffRole: null };

describe('roleFromAffiliations', () => {
  it('makes a student of a student affiliation in a registered scope', () => {
    expect(roleFromAffiliations(['member@fzu.edu.cn', 'student@fzu.edu.cn'], [], fzu)).toEqual({ kind: 'ok', role: 'student' });
  });

  it('gives staff only the role the institution configured, and none by default', () => {
    expect(roleFromAffiliations(['staff@fzu.edu.cn'], [], fzu)).toEqual({ kind: 'ok', role: null });
    expect(roleFromAffiliations(['faculty@fzu.edu.cn'], [], { ...fzu, staffRole: 'teacher' })).toEqual({ kind: 'ok', role: 'teacher' });
  });

  it('gives no role to members, alumni and affiliates', () => {
    expect(roleFromAffiliations(['member@fzu.edu.cn', 'alum@fzu.edu.cn'], [], fzu)).toEqual({ kind: 'ok', role: null });
  });

  it('refuses an affiliation or eppn scoped to another institution', () => {
    expect(roleFromAffiliations(['student@fjnu.edu.cn'], [], fzu)).toEqual({ kind: 'foreign-scope', scope: 'fjnu.edu.cn' });
    expect(roleFromAffiliations(['student@fzu.edu.cn'], ['someone@fjnu.edu.cn'], fzu)).toEqual({ kind: 'foreign-scope', scope: 'fjnu.edu.cn' });
    // A look-alike suffix is another domain, not a sub-domain.
    expect(roleFromAffiliations(['student@evilfzu.edu.cn'], [], fzu).kind).toBe('foreign-scope');
  });

  it('refuses an affiliation without a scope', () => {
    expect(roleFromAffiliations(['student'], [], fzu).kind).toBe('foreign-scope');
  });
});

describe('scopes', () => {
  it('reads the part after the last @ and accepts registered sub-domains', () => {
    expect(scopeOf('a@b@Mail.FZU.edu.cn')).toBe('mail.fzu.edu.cn');
    expect(scopeOf('nobody')).toBeNull();
    expect(isRegisteredScope('mail.fzu.edu.cn', ['fzu.edu.cn'])).toBe(true);
    expect(isRegisteredScope('fzu.edu.cn.evil.cn', ['fzu.edu.cn'])).toBe(false);
  });
});
