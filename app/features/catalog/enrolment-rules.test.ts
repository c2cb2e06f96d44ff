import { describe, expect, it } from 'vitest';
import { decideEnrolment } from './enrolment-rules.js';

const home = 'inst-home';
const partner = 'inst-partner';
const other = 'inst-other';
const course = (enrolmentPolicy: 'open' | 'institution' | 'partners') => ({ institutionId: home, enrolmentPolicy, partnerInstitutionIds: [partner] });
const studentOf = (institutionId: string) => [{ institutionId, role: 'student' as const, verification: 'roster' as const }];
const selfDeclaredStudentOf = (institutionId: string) => [{ institutionId, role: 'student' as const, verification: 'self-declared' as const }];

describe('decideEnrolment', () => {
  it('lets a student of any institution into an open course', () => {
    expect(decideEnrolment(studentOf(other), course('open'))).toEqual({ allowed: true, viaInstitutionId: other });
  });
  it('keeps an institution-only course to its own students', () => {
    expect(decideEnrolment(studentOf(home), course('institution'))).toEqual({ allowed: true, viaInstitutionId: home });
    expect(decideEnrolment(studentOf(partner), course('institution'))).toEqual({ allowed: false, reason: 'institution-only' });
  });
  it('opens a cross-university elective to partner institutions only', () => {
    expect(decideEnrolment(studentOf(partner), course('partners'))).toEqual({ allowed: true, viaInstitutionId: partner });
    expect(decideEnrolment(studentOf(home), course('partners'))).toEqual({ allowed: true, viaInstitutionId: home });
    expect(decideEnrolment(studentOf(other), course('partners'))).toEqual({ allowed: false, reason: 'partners-only' });
  });
  it('uses the membership that qualifies when a student belongs to several institutions', () => {
    expect(decideEnrolment([...studentOf(other), ...studentOf(partner)], course('partners'))).toEqual({ allowed: true, viaInstitutionId: partner });
  });
  it('refuses people who are not students (a teacher of the same institution included)', () => {
    expect(decideEnrolment([{ institutionId: home, role: 'teacher', verification: 'roster' }], course('open'))).toEqual({ allowed: false, reason: 'not-a-student' });
    expect(decideEnrolment([], course('open'))).toEqual({ allowed: false, reason: 'not-a-student' });
  });
  it('lets a self-declared student into open courses only, saying why and where to get verified', () => {
    expect(decideEnrolment(selfDeclaredStudentOf(home), course('open'))).toEqual({ allowed: true, viaInstitutionId: home });
    expect(decideEnrolment(selfDeclaredStudentOf(home), course('institution'))).toEqual({ allowed: false, reason: 'membership-unverified', unverifiedInstitutionId: home });
    expect(decideEnrolment(selfDeclaredStudentOf(partner), course('partners'))).toEqual({ allowed: false, reason: 'membership-unverified', unverifiedInstitutionId: partner });
    expect(decideEnrolment(selfDeclaredStudentOf(other), course('institution'))).toEqual({ allowed: false, reason: 'institution-only' });
  });
  it('uses a verified membership when the student also has a self-declared one', () => {
    expect(decideEnrolment([...selfDeclaredStudentOf(home), ...studentOf(partner)], course('partners'))).toEqual({ allowed: true, viaInstitutionId: partner });
  });
});
