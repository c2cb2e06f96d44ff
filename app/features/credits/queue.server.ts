import { and, asc, desc, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { completionRecords, courses, creditRequests, equivalencyRules, institutions, memberships, users, type CreditRequestStatus } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';

export const queuePageSize = 25;

export type QueueFilter = {
  status?: CreditRequestStatus | undefined;
  sourceInstitutionId?: string | undefined;
  sourceCourseId?: string | undefined;
  /** Only requests waiting at least this many days. */
  minAgeDays?: number | undefined;
  page: number;
};

const verifier = alias(users, 'verifier');

/** The requesting student's membership at the institution asked: registrars see how it was verified. */
export const studentMembershipOfRequest = and(
  eq(memberships.userId, creditRequests.userId),
  eq(memberships.institutionId, creditRequests.institutionId),
  eq(memberships.role, 'student'),
);

/** One page of an institution's queue, oldest first; one extra row tells whether a next page exists. */
export async function listQueue(institutionId: string, filter: QueueFilter) {
  const { db } = getServices();
  const where = and(
    eq(creditRequests.institutionId, institutionId),
    filter.status ? eq(creditRequests.status, filter.status) : undefined,
    filter.sourceInstitutionId ? eq(creditRequests.sourceInstitutionId, filter.sourceInstitutionId) : undefined,
    filter.sourceCourseId ? eq(creditRequests.sourceCourseId, filter.sourceCourseId) : undefined,
    filter.minAgeDays ? lte(creditRequests.submittedAt, new Date(Date.now() - filter.minAgeDays * 86_400_000)) : undefined,
  );
  const rows = await db
    .select({
      id: creditRequests.id,
      status: creditRequests.status,
      submittedAt: creditRequests.submittedAt,
      version: creditRequests.version,
      student: users.displayName,
      pseudonym: users.pseudonym,
      courseTitleZh: completionRecords.courseTitleZh,
      courseTitleEn: completionRecords.courseTitleEn,
      sourceZh: completionRecords.institutionNameZh,
      sourceEn: completionRecords.institutionNameEn,
      grade: completionRecords.finalGrade,
      credits: completionRecords.credits,
      ruleId: creditRequests.ruleId,
      suggestedCredits: creditRequests.awardedCredits,
      verification: memberships.verification,
      verifiedAt: memberships.verifiedAt,
      verifiedByName: verifier.displayName,
    })
    .from(creditRequests)
    .innerJoin(completionRecords, eq(completionRecords.id, creditRequests.completionRecordId))
    .innerJoin(users, eq(users.id, creditRequests.userId))
    .leftJoin(memberships, studentMembershipOfRequest)
    .leftJoin(verifier, eq(verifier.id, memberships.verifiedBy))
    .where(where)
    .orderBy(asc(creditRequests.submittedAt), asc(creditRequests.id))
    .limit(queuePageSize + 1)
    .offset((filter.page - 1) * queuePageSize);
  return { rows: rows.slice(0, queuePageSize), hasNext: rows.length > queuePageSize };
}

/** Filter choices: the source institutions and courses that appear in this queue. */
export async function queueFacets(institutionId: string) {
  const { db } = getServices();
  const sources = await db
    .selectDistinct({ id: institutions.id, nameZh: institutions.nameZh, nameEn: institutions.nameEn })
    .from(creditRequests)
    .innerJoin(institutions, eq(institutions.id, creditRequests.sourceInstitutionId))
    .where(eq(creditRequests.institutionId, institutionId))
    .limit(200);
  // From the request's own copy of the course id: joining every completion record was the slow part.
  const courseRows = await db
    .select({ id: courses.id, titleZh: courses.titleZh, titleEn: courses.titleEn })
    .from(courses)
    .where(inArray(courses.id, db.selectDistinct({ id: creditRequests.sourceCourseId }).from(creditRequests).where(eq(creditRequests.institutionId, institutionId))))
    .orderBy(asc(courses.titleZh))
    .limit(200);
  return { sources, courses: courseRows };
}

/** Median days from submission to decision, and how many decisions it is over. */
export async function turnaround(institutionId: string) {
  const [row] = await getServices()
    .db.select({
      medianDays: sql<string | null>`round((percentile_cont(0.5) within group (order by extract(epoch from ${creditRequests.decidedAt} - ${creditRequests.submittedAt})) / 86400)::numeric, 1)::text`,
      decided: sql<number>`count(*)::int`,
    })
    .from(creditRequests)
    .where(and(eq(creditRequests.institutionId, institutionId), isNotNull(creditRequests.decidedAt)));
  return { medianDays: row?.medianDays ?? null, decided: row?.decided ?? 0 };
}

/** Rules with requests waiting in review: the candidates for bulk approval. */
export async function rulesWithPendingRequests(institutionId: string) {
  return getServices()
    .db.select({ ruleId: equivalencyRules.id, targetCode: equivalencyRules.targetCode, targetTitleZh: equivalencyRules.targetTitleZh, targetTitleEn: equivalencyRules.targetTitleEn, targetKind: equivalencyRules.targetKind, pending: sql<number>`count(*)::int` })
    .from(creditRequests)
    .innerJoin(equivalencyRules, eq(equivalencyRules.id, creditRequests.ruleId))
    .where(and(eq(creditRequests.institutionId, institutionId), eq(creditRequests.status, 'in-review')))
    .groupBy(equivalencyRules.id)
    .orderBy(desc(sql`count(*)`))
    .limit(50);
}
