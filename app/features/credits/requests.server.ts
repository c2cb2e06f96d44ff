import { and, asc, desc, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { completionRecords, creditRequestEvents, creditRequests, equivalencyRules, memberships, users, type MembershipVerification, type RuleTargetKind } from '../../../db/schema/index.js';
import { isVerifiedMembership } from '../identity/verified-membership.js';
import { studentMembershipOfRequest } from './queue.server.js';
import { getServices } from '../../services.server.js';
import { formatCreditTenths, parseCreditTenths, parseHundredths } from './credit-units.js';
import { approveRequests, transitionRequest, type DecisionRefusal } from './decisions.server.js';
import { indexRules, matchRecord, type MatchRecord } from './matcher.js';
import { loadMatchRules } from './rules.server.js';

export type NewCreditRequest = { completionRecordId: string; institutionId: string; targetKind: RuleTargetKind; targetCode: string; targetTitle: string; note: string };
export type RequestRefusal = 'record-not-yours' | 'not-your-institution' | 'membership-unverified' | 'duplicate' | 'grade-out-of-range';

type CompletionRow = typeof completionRecords.$inferSelect;

export function toMatchRecord(r: Pick<CompletionRow, 'id' | 'courseId' | 'credits' | 'finalGrade' | 'completedOn'>): MatchRecord {
  return { id: r.id, courseId: r.courseId, creditsTenths: parseCreditTenths(r.credits) ?? 0, gradeHundredths: r.finalGrade === null ? null : parseHundredths(r.finalGrade), completedOn: r.completedOn };
}

/**
 * A student asks their home institution to recognise one completion record. The published
 * rules are matched at once: an auto-approved match is approved and posted in the same
 * transaction; anything else waits in review with the matcher's reasons.
 */
export async function submitCreditRequest(
  userId: string,
  studentAt: readonly { institutionId: string; verification: MembershipVerification }[],
  input: NewCreditRequest,
): Promise<{ id: string } | { refused: RequestRefusal }> {
  const { db } = getServices();
  const membership = studentAt.find((m) => m.institutionId === input.institutionId);
  if (!membership) return { refused: 'not-your-institution' };
  // Only a member the institution has verified may ask it to recognise credits.
  if (!isVerifiedMembership(membership)) return { refused: 'membership-unverified' };
  const mine = await db.select().from(completionRecords).where(eq(completionRecords.userId, userId));
  const record = mine.find((r) => r.id === input.completionRecordId);
  if (!record) return { refused: 'record-not-yours' };
  const grade = record.finalGrade === null ? null : parseHundredths(record.finalGrade);
  if (grade !== null && grade > 10000) return { refused: 'grade-out-of-range' };
  const rules = await loadMatchRules(input.institutionId, mine.map((r) => r.courseId));
  const match = matchRecord(
    indexRules(rules),
    toMatchRecord(record),
    mine.filter((r) => r.id !== record.id).map(toMatchRecord),
    input.targetKind === 'course' && input.targetCode ? { kind: 'course', code: input.targetCode } : input.targetKind === 'elective' ? { kind: 'elective' } : null,
  );
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(creditRequests)
      .values({
        userId,
        institutionId: input.institutionId,
        completionRecordId: record.id,
        sourceInstitutionId: record.institutionId,
        sourceCourseId: record.courseId,
        targetKind: input.targetKind,
        targetCode: input.targetCode,
        targetTitle: input.targetTitle,
        note: input.note,
        ruleId: match.ruleId,
        matchReasons: match.reasons,
        awardedCredits: match.creditsTenths === null ? null : formatCreditTenths(match.creditsTenths),
      })
      .onConflictDoNothing()
      .returning({ id: creditRequests.id });
    if (!created) return { refused: 'duplicate' as const };
    await tx.insert(creditRequestEvents).values({ requestId: created.id, fromStatus: null, toStatus: 'submitted', actorUserId: userId, note: input.note });
    if (match.outcome === 'match') {
      await transitionRequest(tx, { requestId: created.id, version: null }, 'auto-match', null, '');
      const result = await approveRequests(tx, input.institutionId, [{ requestId: created.id, version: null, creditsTenths: match.creditsTenths! }], null, 'auto-approved by rule');
      if (result.approved.length === 1) return { id: created.id };
    }
    await transitionRequest(tx, { requestId: created.id, version: null }, 'review', null, '');
    return { id: created.id };
  });
}

export async function listMyCompletionRecords(userId: string) {
  return getServices().db.select().from(completionRecords).where(eq(completionRecords.userId, userId)).orderBy(desc(completionRecords.completedOn));
}

export async function listMyRequests(userId: string) {
  return getServices()
    .db.select({
      id: creditRequests.id,
      status: creditRequests.status,
      submittedAt: creditRequests.submittedAt,
      courseTitleZh: completionRecords.courseTitleZh,
      courseTitleEn: completionRecords.courseTitleEn,
      sourceZh: completionRecords.institutionNameZh,
      sourceEn: completionRecords.institutionNameEn,
      targetKind: creditRequests.targetKind,
      targetTitle: creditRequests.targetTitle,
      awardedCredits: creditRequests.awardedCredits,
    })
    .from(creditRequests)
    .innerJoin(completionRecords, eq(completionRecords.id, creditRequests.completionRecordId))
    .where(eq(creditRequests.userId, userId))
    .orderBy(desc(creditRequests.submittedAt));
}

const verifier = alias(users, 'verifier');

/** One request with its record, matched rule and timeline; `scope` limits who may see it. */
export async function getRequestDetail(requestId: string, scope: { userId: string } | { institutionId: string }) {
  const { db } = getServices();
  const [row] = await db
    .select({
      request: creditRequests,
      record: completionRecords,
      student: { displayName: users.displayName, pseudonym: users.pseudonym },
      membership: { verification: memberships.verification, verifiedAt: memberships.verifiedAt, verifiedByName: verifier.displayName },
    })
    .from(creditRequests)
    .innerJoin(completionRecords, eq(completionRecords.id, creditRequests.completionRecordId))
    .innerJoin(users, eq(users.id, creditRequests.userId))
    .leftJoin(memberships, studentMembershipOfRequest)
    .leftJoin(verifier, eq(verifier.id, memberships.verifiedBy))
    .where(and(eq(creditRequests.id, requestId), 'userId' in scope ? eq(creditRequests.userId, scope.userId) : eq(creditRequests.institutionId, scope.institutionId)));
  if (!row) return null;
  const [rule] = row.request.ruleId ? await db.select().from(equivalencyRules).where(eq(equivalencyRules.id, row.request.ruleId)) : [];
  const timeline = await db
    .select({ id: creditRequestEvents.id, fromStatus: creditRequestEvents.fromStatus, toStatus: creditRequestEvents.toStatus, note: creditRequestEvents.note, occurredAt: creditRequestEvents.occurredAt, actor: users.displayName })
    .from(creditRequestEvents)
    .leftJoin(users, eq(users.id, creditRequestEvents.actorUserId))
    .where(eq(creditRequestEvents.requestId, requestId))
    .orderBy(asc(creditRequestEvents.id));
  return { ...row, rule: rule ?? null, timeline };
}

export async function answerMoreInfo(userId: string, requestId: string, answer: string): Promise<{ ok: true } | DecisionRefusal> {
  const result = await getServices().db.transaction((tx) => transitionRequest(tx, { requestId, userId, version: null }, 'answer-info', userId, answer));
  return 'ok' in result ? { ok: true } : result;
}

/** A denied request may be appealed once: the reason is kept and the request goes back to review. */
export async function appealDecision(userId: string, requestId: string, reason: string): Promise<{ ok: true } | DecisionRefusal | { kind: 'already-appealed' }> {
  const { db } = getServices();
  const [row] = await db.select({ appealedAt: creditRequests.appealedAt }).from(creditRequests).where(and(eq(creditRequests.id, requestId), eq(creditRequests.userId, userId)));
  if (!row) return { kind: 'not-found' };
  if (row.appealedAt) return { kind: 'already-appealed' };
  const result = await db.transaction((tx) => transitionRequest(tx, { requestId, userId, version: null }, 'appeal', userId, reason, { appealReason: reason, appealedAt: new Date() }));
  return 'ok' in result ? { ok: true } : result;
}

/** The transcript: posted requests, oldest first. */
export async function transcriptRows(userId: string) {
  return getServices()
    .db.select({
      id: creditRequests.id,
      postedAt: creditRequests.postedAt,
      courseTitleZh: completionRecords.courseTitleZh,
      courseTitleEn: completionRecords.courseTitleEn,
      sourceZh: completionRecords.institutionNameZh,
      sourceEn: completionRecords.institutionNameEn,
      sourceCredits: completionRecords.credits,
      finalGrade: completionRecords.finalGrade,
      completedOn: completionRecords.completedOn,
      targetKind: creditRequests.targetKind,
      targetCode: creditRequests.targetCode,
      targetTitle: creditRequests.targetTitle,
      ruleTargetCode: equivalencyRules.targetCode,
      ruleTargetTitleZh: equivalencyRules.targetTitleZh,
      ruleTargetTitleEn: equivalencyRules.targetTitleEn,
      credits: creditRequests.awardedCredits,
      convertedGrade: creditRequests.convertedGrade,
      convertedLabel: creditRequests.convertedLabel,
      tableVersion: creditRequests.conversionTableVersion,
      institutionId: creditRequests.institutionId,
    })
    .from(creditRequests)
    .innerJoin(completionRecords, eq(completionRecords.id, creditRequests.completionRecordId))
    .leftJoin(equivalencyRules, eq(equivalencyRules.id, creditRequests.ruleId))
    .where(and(eq(creditRequests.userId, userId), eq(creditRequests.status, 'posted')))
    .orderBy(asc(creditRequests.postedAt));
}

export async function requestedRecordIds(userId: string): Promise<Set<string>> {
  const rows = await getServices()
    .db.select({ id: creditRequests.completionRecordId })
    .from(creditRequests)
    .where(eq(creditRequests.userId, userId));
  return new Set(rows.map((r) => r.id));
}
