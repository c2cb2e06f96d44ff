import type { SsoStaffRole } from '../../../db/schema/federation.js';

/** eduPersonAffiliation values (eduPerson 202208) that make a person staff of the institution. */
const staffAffiliations = new Set(['staff', 'faculty', 'employee']);

export type AffiliationVerdict =
  | { kind: 'ok'; role: 'student' | SsoStaffRole | null }
  | { kind: 'foreign-scope'; scope: string };

/** Lower-cased scope of `value@scope`, or null when the value carries none. */
export function scopeOf(value: string): string | null {
  const at = value.lastIndexOf('@');
  return at > 0 && at < value.length - 1 ? value.slice(at + 1).toLowerCase() : null;
}

/** Whether a scope is one of the institution's registered scopes (or a sub-domain of one). */
export function isRegisteredScope(scope: string, registered: readonly string[]): boolean {
  const s = scope.toLowerCase();
  return registered.some((r) => s === r.toLowerCase() || s.endsWith(`.${r.toLowerCase()}`));
}

/**
 * The role an institution's SSO answer gives: student for a student affiliation, the
 * institution's configured staff role for staff (none unless it configured one), never
 * more. Any scoped value (affiliation or eppn) under a scope the institution did not
 * register refuses the whole answer: an IdP speaking for another institution is hostile.
 */
export function roleFromAffiliations(
  scopedAffiliations: readonly string[],
  scopedIdentifiers: readonly string[],
  institution: { scopes: readonly string[]; staffRole: SsoStaffRole | null },
): AffiliationVerdict {
  for (const value of [...scopedAffiliations, ...scopedIdentifiers]) {
    const scope = scopeOf(value);
    if (scope === null) {
      if (scopedAffiliations.includes(value)) return { kind: 'foreign-scope', scope: '' };
      continue;
    }
    if (!isRegisteredScope(scope, institution.scopes)) return { kind: 'foreign-scope', scope };
  }
  const affiliations = new Set(scopedAffiliations.map((v) => v.slice(0, v.lastIndexOf('@')).toLowerCase()));
  if (affiliations.has('student')) return { kind: 'ok', role: 'student' };
  if ([...affiliations].some((a) => staffAffiliations.has(a))) return { kind: 'ok', role: institution.staffRole };
  return { kind: 'ok', role: null };
}
