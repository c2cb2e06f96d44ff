import type { RuleTargetKind } from '../../../db/schema/credits.js';

// Pure rule matching: which published equivalency rule (if any) turns a student's
// completion record into credit at their home institution, and why (or why not).

export type MatchRule = {
  id: string;
  targetKind: RuleTargetKind;
  targetCode: string;
  creditsTenths: number;
  minGradeHundredths: number | null;
  effectiveFrom: string; // YYYY-MM-DD, inclusive
  effectiveUntil: string | null; // inclusive
  autoApprove: boolean;
  /** Each alternative is a set of source course ids that are all needed. */
  alternatives: string[][];
};

export type MatchRecord = {
  id: string;
  courseId: string;
  creditsTenths: number;
  /** Percent in hundredths; null = pass-only completion; undefined = not known yet (lookup). */
  gradeHundredths: number | null | undefined;
  completedOn: string;
};

export type MatchTarget = { kind: RuleTargetKind; code?: string | undefined } | null;

export type MatchReason =
  | { code: 'no-rule-for-course' }
  | { code: 'different-target'; ruleId: string }
  | { code: 'missing-course'; ruleId: string; courseIds: string[] }
  | { code: 'outside-window'; ruleId: string; from: string; until: string | null }
  | { code: 'below-min-grade'; ruleId: string; minHundredths: number }
  | { code: 'grade-needed'; ruleId: string; minHundredths: number }
  | { code: 'min-grade-applies'; ruleId: string; minHundredths: number }
  | { code: 'credits-capped'; ruleId: string; sourceTenths: number }
  | { code: 'not-auto-approved'; ruleId: string };

export type MatchOutcome = 'match' | 'needs-review' | 'no-match';

export type MatchResult = {
  outcome: MatchOutcome;
  ruleId: string | null;
  creditsTenths: number | null;
  usedRecordIds: string[];
  reasons: MatchReason[];
};

export type RuleIndex = Map<string, MatchRule[]>;

/** Rules by source course id: a request looks at the few rules naming its course, not all. */
export function indexRules(rules: readonly MatchRule[]): RuleIndex {
  const index: RuleIndex = new Map();
  for (const rule of rules) {
    for (const courseId of new Set(rule.alternatives.flat())) {
      const list = index.get(courseId);
      if (list) list.push(rule);
      else index.set(courseId, [rule]);
    }
  }
  return index;
}

type Candidate = { rule: MatchRule; creditsTenths: number; usedRecordIds: string[]; review: boolean; reasons: MatchReason[] };

function withinWindow(rule: MatchRule, day: string): boolean {
  return day >= rule.effectiveFrom && (rule.effectiveUntil === null || day <= rule.effectiveUntil);
}

function evaluateAlternative(rule: MatchRule, courses: string[], byCourse: Map<string, MatchRecord>): Candidate | MatchReason {
  const missing = courses.filter((c) => !byCourse.has(c));
  if (missing.length) return { code: 'missing-course', ruleId: rule.id, courseIds: missing };
  const used = courses.map((c) => byCourse.get(c)!);
  if (used.some((r) => !withinWindow(rule, r.completedOn))) return { code: 'outside-window', ruleId: rule.id, from: rule.effectiveFrom, until: rule.effectiveUntil };
  const reasons: MatchReason[] = [];
  let review = false;
  if (rule.minGradeHundredths !== null) {
    const min = rule.minGradeHundredths;
    if (used.some((r) => typeof r.gradeHundredths === 'number' && r.gradeHundredths < min)) return { code: 'below-min-grade', ruleId: rule.id, minHundredths: min };
    if (used.some((r) => r.gradeHundredths === null)) {
      reasons.push({ code: 'grade-needed', ruleId: rule.id, minHundredths: min });
      review = true;
    } else if (used.some((r) => r.gradeHundredths === undefined)) {
      reasons.push({ code: 'min-grade-applies', ruleId: rule.id, minHundredths: min });
    }
  }
  const sourceTenths = used.reduce((sum, r) => sum + r.creditsTenths, 0);
  const creditsTenths = Math.min(rule.creditsTenths, sourceTenths);
  if (creditsTenths < rule.creditsTenths) reasons.push({ code: 'credits-capped', ruleId: rule.id, sourceTenths });
  if (!rule.autoApprove) {
    reasons.push({ code: 'not-auto-approved', ruleId: rule.id });
    review = true;
  }
  return { rule, creditsTenths, usedRecordIds: used.map((r) => r.id), review, reasons };
}

function evaluateRules(rules: readonly MatchRule[], record: MatchRecord, others: readonly MatchRecord[], target: MatchTarget): MatchResult {
  if (rules.length === 0) return { outcome: 'no-match', ruleId: null, creditsTenths: null, usedRecordIds: [], reasons: [{ code: 'no-rule-for-course' }] };
  const byCourse = new Map<string, MatchRecord>(others.map((r) => [r.courseId, r]));
  byCourse.set(record.courseId, record);
  const failures: MatchReason[] = [];
  const candidates: Candidate[] = [];
  for (const rule of rules) {
    if (target && (target.kind !== rule.targetKind || (target.kind === 'course' && target.code && target.code !== rule.targetCode))) {
      failures.push({ code: 'different-target', ruleId: rule.id });
      continue;
    }
    for (const alternative of rule.alternatives) {
      if (!alternative.includes(record.courseId)) continue;
      const outcome = evaluateAlternative(rule, alternative, byCourse);
      if ('rule' in outcome) candidates.push(outcome);
      else failures.push(outcome);
    }
  }
  // Prefer what can be decided without a person, then the most credit, then the fewest courses used.
  candidates.sort((a, b) => Number(a.review) - Number(b.review) || b.creditsTenths - a.creditsTenths || a.usedRecordIds.length - b.usedRecordIds.length);
  const best = candidates[0];
  if (!best) return { outcome: 'no-match', ruleId: null, creditsTenths: null, usedRecordIds: [], reasons: failures };
  return { outcome: best.review ? 'needs-review' : 'match', ruleId: best.rule.id, creditsTenths: best.creditsTenths, usedRecordIds: best.usedRecordIds, reasons: best.reasons };
}

/** Matches one completion record (with the student's other records, for AND groups). */
export function matchRecord(index: RuleIndex, record: MatchRecord, others: readonly MatchRecord[] = [], target: MatchTarget = null): MatchResult {
  return evaluateRules(index.get(record.courseId) ?? [], record, others, target);
}

/** The baseline the benchmark compares with: every rule scanned for every request. */
export function matchRecordNaive(rules: readonly MatchRule[], record: MatchRecord, others: readonly MatchRecord[] = [], target: MatchTarget = null): MatchResult {
  return evaluateRules(
    rules.filter((r) => r.alternatives.some((a) => a.includes(record.courseId))),
    record,
    others,
    target,
  );
}

/** A rule may not award more credit than the least credit-bearing alternative supplies. */
export function ruleCreditsWithinSources(creditsTenths: number, alternatives: string[][], sourceCreditsTenths: ReadonlyMap<string, number>): boolean {
  return alternatives.every((alt) => creditsTenths <= alt.reduce((sum, c) => sum + (sourceCreditsTenths.get(c) ?? 0), 0));
}
