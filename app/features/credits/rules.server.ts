import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { courses, equivalencyRules, equivalencyRuleSources, institutions, type RuleTargetKind } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { parseCreditTenths, parseHundredths } from './credit-units.js';
import { appendLedger } from './ledger.server.js';
import { indexRules, matchRecord, ruleCreditsWithinSources, type MatchRule, type MatchResult } from './matcher.js';

type Reader = Pick<Database, 'select' | 'selectDistinct'>;

export type RuleInput = {
  institutionId: string;
  targetKind: RuleTargetKind;
  targetCode: string;
  targetTitleZh: string;
  targetTitleEn: string;
  credits: string;
  minGrade: string | null;
  effectiveFrom: string;
  effectiveUntil: string | null;
  autoApprove: boolean;
  publicNote: string;
  privateNote: string;
  /** Alternatives of course slugs, each an AND group. */
  alternatives: string[][];
  fromRequestId?: string | null;
};

export type RuleRefusal = { reason: 'unknown-course'; slugs: string[] } | { reason: 'credits-exceed-source' } | { reason: 'bad-number' };

/** "a + b" per line: each line an alternative, `+` joining courses all needed. */
export function parseAlternatives(text: string): string[][] {
  return text
    .split(/\r?\n|\|/)
    .map((line) => line.split('+').map((s) => s.trim()).filter(Boolean))
    .filter((alt) => alt.length > 0);
}

/** A new equivalency rule and its sources, ledgered in the same transaction. */
export async function createRule(input: RuleInput, userId: string, db: Pick<Database, 'select' | 'insert' | 'transaction'> = getServices().db): Promise<{ id: string } | RuleRefusal> {
  const creditsTenths = parseCreditTenths(input.credits);
  const minGrade = input.minGrade ? parseHundredths(input.minGrade) : null;
  if (creditsTenths === null || creditsTenths <= 0 || (input.minGrade && (minGrade === null || minGrade > 10000))) return { reason: 'bad-number' };
  const slugs = [...new Set(input.alternatives.flat())];
  const found = slugs.length ? await db.select({ id: courses.id, slug: courses.slug, credits: courses.credits }).from(courses).where(inArray(courses.slug, slugs)) : [];
  const bySlug = new Map(found.map((c) => [c.slug, c]));
  const unknown = slugs.filter((s) => !bySlug.has(s));
  if (unknown.length || slugs.length === 0) return { reason: 'unknown-course', slugs: unknown };
  const alternatives = input.alternatives.map((alt) => [...new Set(alt.map((s) => bySlug.get(s)!.id))]);
  const sourceCredits = new Map(found.map((c) => [c.id, parseCreditTenths(c.credits) ?? 0]));
  if (!ruleCreditsWithinSources(creditsTenths, alternatives, sourceCredits)) return { reason: 'credits-exceed-source' };
  return db.transaction(async (tx) => {
    const [rule] = await tx
      .insert(equivalencyRules)
      .values({
        institutionId: input.institutionId,
        targetKind: input.targetKind,
        targetCode: input.targetKind === 'course' ? input.targetCode : '',
        targetTitleZh: input.targetTitleZh,
        targetTitleEn: input.targetTitleEn,
        credits: input.credits,
        minGrade: input.minGrade || null,
        effectiveFrom: input.effectiveFrom,
        effectiveUntil: input.effectiveUntil || null,
        autoApprove: input.autoApprove,
        publicNote: input.publicNote,
        privateNote: input.privateNote,
        createdBy: userId,
        fromRequestId: input.fromRequestId ?? null,
      })
      .returning({ id: equivalencyRules.id });
    await tx.insert(equivalencyRuleSources).values(alternatives.flatMap((alt, i) => alt.map((courseId) => ({ ruleId: rule!.id, alternative: i + 1, courseId }))));
    await appendLedger(tx, [
      {
        kind: 'rule.created',
        payload: {
          ruleId: rule!.id,
          institutionId: input.institutionId,
          target: { kind: input.targetKind, code: input.targetKind === 'course' ? input.targetCode : '' },
          credits: input.credits,
          minGrade: input.minGrade || null,
          effectiveFrom: input.effectiveFrom,
          effectiveUntil: input.effectiveUntil || null,
          autoApprove: input.autoApprove,
          alternatives,
          createdBy: userId,
          fromRequestId: input.fromRequestId ?? null,
        },
      },
    ]);
    return { id: rule!.id };
  });
}

type RuleRow = typeof equivalencyRules.$inferSelect;

export function toMatchRule(rule: RuleRow, sources: { alternative: number; courseId: string }[]): MatchRule {
  const alternatives = new Map<number, string[]>();
  for (const s of sources) alternatives.set(s.alternative, [...(alternatives.get(s.alternative) ?? []), s.courseId]);
  return {
    id: rule.id,
    targetKind: rule.targetKind,
    targetCode: rule.targetCode,
    creditsTenths: parseCreditTenths(rule.credits)!,
    minGradeHundredths: rule.minGrade === null ? null : parseHundredths(rule.minGrade),
    effectiveFrom: rule.effectiveFrom,
    effectiveUntil: rule.effectiveUntil,
    autoApprove: rule.autoApprove,
    alternatives: [...alternatives.entries()].sort(([a], [b]) => a - b).map(([, c]) => c),
  };
}

/** Active rules of `institutionId` naming any of `courseIds`, with all their sources. */
export async function loadMatchRules(institutionId: string, courseIds: string[], db: Reader = getServices().db): Promise<MatchRule[]> {
  if (courseIds.length === 0) return [];
  const rules = await db
    .select()
    .from(equivalencyRules)
    .where(
      and(
        eq(equivalencyRules.institutionId, institutionId),
        eq(equivalencyRules.active, true),
        inArray(equivalencyRules.id, db.selectDistinct({ id: equivalencyRuleSources.ruleId }).from(equivalencyRuleSources).where(inArray(equivalencyRuleSources.courseId, courseIds))),
      ),
    );
  if (rules.length === 0) return [];
  const sources = await db.select().from(equivalencyRuleSources).where(inArray(equivalencyRuleSources.ruleId, rules.map((r) => r.id)));
  return rules.map((r) => toMatchRule(r, sources.filter((s) => s.ruleId === r.id)));
}

export async function listRules(institutionId: string) {
  const { db } = getServices();
  const rules = await db.select().from(equivalencyRules).where(eq(equivalencyRules.institutionId, institutionId)).orderBy(desc(equivalencyRules.createdAt)).limit(200);
  const sources = rules.length
    ? await db
        .select({ ruleId: equivalencyRuleSources.ruleId, alternative: equivalencyRuleSources.alternative, slug: courses.slug, titleZh: courses.titleZh, titleEn: courses.titleEn, institutionZh: institutions.nameZh, institutionEn: institutions.nameEn })
        .from(equivalencyRuleSources)
        .innerJoin(courses, eq(courses.id, equivalencyRuleSources.courseId))
        .innerJoin(institutions, eq(institutions.id, courses.institutionId))
        .where(inArray(equivalencyRuleSources.ruleId, rules.map((r) => r.id)))
        .orderBy(asc(equivalencyRuleSources.alternative))
    : [];
  return rules.map((r) => ({ ...r, sources: sources.filter((s) => s.ruleId === r.id) }));
}

/** Withdraws or restores a rule of the institution, ledgered with who did it. */
export async function setRuleActive(institutionId: string, ruleId: string, active: boolean, actorUserId: string | null = null): Promise<boolean> {
  return getServices().db.transaction(async (tx) => {
    const rows = await tx
      .update(equivalencyRules)
      .set({ active })
      .where(and(eq(equivalencyRules.id, ruleId), eq(equivalencyRules.institutionId, institutionId)))
      .returning({ id: equivalencyRules.id });
    if (rows.length === 0) return false;
    await appendLedger(tx, [{ kind: 'rule.changed', payload: { ruleId, institutionId, active, changedBy: actorUserId } }]);
    return true;
  });
}

/** The public "will this course count at my university?" answer, with the published notes only. */
export async function lookupCourse(homeInstitutionId: string, courseSlug: string, gradeHundredths: number | undefined, completedOn: string) {
  const { db } = getServices();
  const [course] = await db.select({ id: courses.id, credits: courses.credits, titleZh: courses.titleZh, titleEn: courses.titleEn }).from(courses).where(eq(courses.slug, courseSlug));
  if (!course) return null;
  const rules = await loadMatchRules(homeInstitutionId, [course.id], db);
  const result: MatchResult = matchRecord(indexRules(rules), { id: 'lookup', courseId: course.id, creditsTenths: parseCreditTenths(course.credits) ?? 0, gradeHundredths, completedOn });
  const [rule] = result.ruleId ? await db.select().from(equivalencyRules).where(eq(equivalencyRules.id, result.ruleId)) : [];
  return { course, result, rule: rule ? { targetKind: rule.targetKind, targetCode: rule.targetCode, targetTitleZh: rule.targetTitleZh, targetTitleEn: rule.targetTitleEn, publicNote: rule.publicNote } : null };
}

/** Credit-bearing courses for the lookup's choice (the one asked about always among them, e.g. from a course page link). */
export async function listCoursesForLookup(selectedSlug?: string) {
  const rows = await getServices()
    .db.select({ slug: courses.slug, titleZh: courses.titleZh, titleEn: courses.titleEn, institutionZh: institutions.nameZh, institutionEn: institutions.nameEn })
    .from(courses)
    .innerJoin(institutions, eq(institutions.id, courses.institutionId))
    .where(sql`${courses.credits} > 0 and (${courses.publishedAt} is not null or ${courses.slug} = ${selectedSlug ?? ''})`)
    .orderBy(sql`${courses.slug} = ${selectedSlug ?? ''} desc`, asc(institutions.slug), asc(courses.titleZh))
    .limit(500);
  return rows;
}
