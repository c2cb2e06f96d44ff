import { describe, expect, it } from 'vitest';
import { indexRules, matchRecord, matchRecordNaive, ruleCreditsWithinSources, type MatchRecord, type MatchRule } from './matcher.js';

const rule = (over: Partial<MatchRule> = {}): MatchRule => ({
  id: 'r1',
  targetKind: 'course',
  targetCode: 'MATH101',
  creditsTenths: 30,
  minGradeHundredths: null,
  effectiveFrom: '2025-09-01',
  effectiveUntil: null,
  autoApprove: true,
  alternatives: [['la']],
  ...over,
});
const record = (over: Partial<MatchRecord> = {}): MatchRecord => ({ id: 'rec-la', courseId: 'la', creditsTenths: 30, gradeHundredths: 8500, completedOn: '2026-01-10', ...over });

describe('rule matching', () => {
  it('matches an auto-approved rule and awards its credits', () => {
    const result = matchRecord(indexRules([rule()]), record());
    expect(result).toMatchObject({ outcome: 'match', ruleId: 'r1', creditsTenths: 30, usedRecordIds: ['rec-la'], reasons: [] });
  });

  it('says no match when no rule names the course', () => {
    expect(matchRecord(indexRules([rule()]), record({ courseId: 'physics' }))).toMatchObject({ outcome: 'no-match', reasons: [{ code: 'no-rule-for-course' }] });
  });

  it('needs review when the rule is not auto-approved', () => {
    const result = matchRecord(indexRules([rule({ autoApprove: false })]), record());
    expect(result).toMatchObject({ outcome: 'needs-review', ruleId: 'r1', reasons: [{ code: 'not-auto-approved' }] });
  });

  it('AND groups need every course of the alternative', () => {
    const both = rule({ alternatives: [['la', 'calc']], creditsTenths: 50 });
    const alone = matchRecord(indexRules([both]), record());
    expect(alone).toMatchObject({ outcome: 'no-match', reasons: [{ code: 'missing-course', courseIds: ['calc'] }] });
    const calc = record({ id: 'rec-calc', courseId: 'calc', creditsTenths: 20 });
    expect(matchRecord(indexRules([both]), record(), [calc])).toMatchObject({ outcome: 'match', creditsTenths: 50, usedRecordIds: ['rec-la', 'rec-calc'] });
  });

  it('alternatives: any one will do, and the one giving most credit wins', () => {
    const r = rule({ alternatives: [['la', 'calc'], ['la']], creditsTenths: 40 });
    // Alone, "la" (3.0) satisfies the second alternative, capped at its 3.0 credits.
    expect(matchRecord(indexRules([r]), record())).toMatchObject({ outcome: 'match', creditsTenths: 30, reasons: [{ code: 'credits-capped', sourceTenths: 30 }] });
    const calc = record({ id: 'rec-calc', courseId: 'calc', creditsTenths: 20 });
    expect(matchRecord(indexRules([r]), record(), [calc])).toMatchObject({ creditsTenths: 40, usedRecordIds: ['rec-la', 'rec-calc'] });
  });

  it('effective window by completion date, both ends inclusive', () => {
    const r = rule({ effectiveFrom: '2025-09-01', effectiveUntil: '2026-06-30' });
    expect(matchRecord(indexRules([r]), record({ completedOn: '2025-09-01' })).outcome).toBe('match');
    expect(matchRecord(indexRules([r]), record({ completedOn: '2026-06-30' })).outcome).toBe('match');
    expect(matchRecord(indexRules([r]), record({ completedOn: '2025-08-31' }))).toMatchObject({ outcome: 'no-match', reasons: [{ code: 'outside-window' }] });
    expect(matchRecord(indexRules([r]), record({ completedOn: '2026-07-01' })).outcome).toBe('no-match');
  });

  it('minimum grade: at the minimum matches, below does not, pass-only goes to a person', () => {
    const r = rule({ minGradeHundredths: 8000 });
    expect(matchRecord(indexRules([r]), record({ gradeHundredths: 8000 })).outcome).toBe('match');
    expect(matchRecord(indexRules([r]), record({ gradeHundredths: 7999 }))).toMatchObject({ outcome: 'no-match', reasons: [{ code: 'below-min-grade', minHundredths: 8000 }] });
    expect(matchRecord(indexRules([r]), record({ gradeHundredths: null }))).toMatchObject({ outcome: 'needs-review', reasons: [{ code: 'grade-needed' }] });
    // The public lookup does not know the grade yet: it counts, on a condition.
    expect(matchRecord(indexRules([r]), record({ gradeHundredths: undefined }))).toMatchObject({ outcome: 'match', reasons: [{ code: 'min-grade-applies', minHundredths: 8000 }] });
  });

  it('credits are capped by the source credits actually completed', () => {
    expect(matchRecord(indexRules([rule({ creditsTenths: 40 })]), record({ creditsTenths: 25 }))).toMatchObject({ creditsTenths: 25, reasons: [{ code: 'credits-capped', sourceTenths: 25 }] });
  });

  it('honours the requested target and prefers automatic decisions', () => {
    const rules = [rule({ id: 'manual', autoApprove: false, creditsTenths: 30 }), rule({ id: 'elective', targetKind: 'elective', targetCode: '', creditsTenths: 20 })];
    expect(matchRecord(indexRules(rules), record())).toMatchObject({ outcome: 'match', ruleId: 'elective' });
    expect(matchRecord(indexRules(rules), record(), [], { kind: 'course', code: 'MATH101' })).toMatchObject({ outcome: 'needs-review', ruleId: 'manual' });
    expect(matchRecord(indexRules(rules), record(), [], { kind: 'course', code: 'PHYS200' })).toMatchObject({ outcome: 'no-match', reasons: [{ code: 'different-target' }, { code: 'different-target' }] });
  });

  it('the naive baseline gives the same answers', () => {
    const rules = [rule(), rule({ id: 'r2', alternatives: [['calc']] }), rule({ id: 'r3', minGradeHundredths: 9000 })];
    for (const rec of [record(), record({ gradeHundredths: 9500 }), record({ courseId: 'calc' }), record({ courseId: 'none' })]) {
      expect(matchRecordNaive(rules, rec)).toEqual(matchRecord(indexRules(rules), rec));
    }
  });

  it('a rule may not award more than any alternative supplies', () => {
    const credits = new Map([['la', 30], ['calc', 20]]);
    expect(ruleCreditsWithinSources(50, [['la', 'calc']], credits)).toBe(true);
    expect(ruleCreditsWithinSources(50, [['la', 'calc'], ['la']], credits)).toBe(false);
    expect(ruleCreditsWithinSources(31, [['la']], credits)).toBe(false);
  });
});
