import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Transaction as Tx } from '../../../db/client.js';
import { completionRecords, creditRequestEvents, creditRequests, users, type CreditRequestStatus } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { convertGrade, type Conversion } from './conversion.js';
import { formatCreditTenths, formatHundredths, parseCreditTenths, parseHundredths } from './credit-units.js';
import { appendLedger, type LedgerItem } from './ledger.server.js';
import { getPolicies, type PolicyView } from './policy.server.js';
import { allowedFrom, nextStatus, type CreditRequestAction } from './request-states.js';


export type Approval = { requestId: string; version: number | null; creditsTenths: number };
export type DecisionConflict = { kind: 'conflict'; status: CreditRequestStatus; decidedBy: string | null };
export type DecisionRefusal = { kind: 'not-found' } | DecisionConflict | { kind: 'credits-exceed-source'; sourceCredits: string } | { kind: 'grade-out-of-range' };

/** A grade the table cannot convert because the course was pass-only is recorded as a pass. */
function conversionColumns(conversion: Conversion, policy: PolicyView) {
  const passed = conversion.ok ? conversion : { passed: true, pointsHundredths: null, label: 'P' };
  return {
    convertedGrade: passed.pointsHundredths === null ? null : formatHundredths(passed.pointsHundredths),
    convertedLabel: passed.label,
    conversionTableId: policy.table.id,
    conversionTableVersion: policy.table.version,
  };
}

/**
 * Approves and posts requests of one institution in the caller's transaction. Each row is
 * updated only if it is still in a status approval is allowed from (and at the version the
 * registrar saw, when given): of two registrars deciding at once exactly one wins.
 */
export async function approveRequests(tx: Tx, institutionId: string, approvals: readonly Approval[], actorUserId: string | null, reason: string): Promise<{ approved: string[]; refused: Map<string, DecisionRefusal> }> {
  return approveAcrossInstitutions(tx, approvals.map((a) => ({ ...a, institutionId })), actorUserId, reason);
}

/**
 * approveRequests for approvals that each name their institution: one set of statements
 * for the lot, whatever the number of institutions (a bulk auto-match spans all of them).
 * A request is approved only by the institution it was made to; any other is `not-found`.
 */
export async function approveAcrossInstitutions(
  tx: Tx,
  approvals: readonly (Approval & { institutionId: string })[],
  actorUserId: string | null,
  reason: string,
): Promise<{ approved: string[]; refused: Map<string, DecisionRefusal> }> {
  const refused = new Map<string, DecisionRefusal>();
  if (approvals.length === 0) return { approved: [], refused };
  const policies = await getPolicies([...new Set(approvals.map((a) => a.institutionId))], tx);
  const rows = await tx
    .select({ id: creditRequests.id, institutionId: creditRequests.institutionId, grade: completionRecords.finalGrade, sourceCredits: completionRecords.credits, ruleId: creditRequests.ruleId, pseudonym: users.pseudonym, status: creditRequests.status })
    .from(creditRequests)
    .innerJoin(completionRecords, eq(completionRecords.id, creditRequests.completionRecordId))
    .innerJoin(users, eq(users.id, creditRequests.userId))
    .where(inArray(creditRequests.id, approvals.map((a) => a.requestId)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const now = new Date();
  const updates: { approval: Approval & { institutionId: string }; columns: ReturnType<typeof conversionColumns> }[] = [];
  for (const a of approvals) {
    const row = byId.get(a.requestId);
    if (!row || row.institutionId !== a.institutionId) {
      refused.set(a.requestId, { kind: 'not-found' });
      continue;
    }
    if (a.creditsTenths > (parseCreditTenths(row.sourceCredits) ?? 0)) {
      refused.set(a.requestId, { kind: 'credits-exceed-source', sourceCredits: row.sourceCredits });
      continue;
    }
    const policy = policies.get(a.institutionId)!;
    const conversion = convertGrade(policy.table.definition, row.grade === null ? null : parseHundredths(row.grade));
    if (!conversion.ok && conversion.reason === 'grade-out-of-range') {
      refused.set(a.requestId, { kind: 'grade-out-of-range' });
      continue;
    }
    updates.push({ approval: a, columns: conversionColumns(conversion, policy) });
  }
  if (updates.length === 0) return { approved: [], refused };
  // One JSON parameter for every row: a fixed number of parameters, however many requests.
  const values = JSON.stringify(
    updates.map((u) => ({
      id: u.approval.requestId,
      institution_id: u.approval.institutionId,
      version: u.approval.version,
      credits: formatCreditTenths(u.approval.creditsTenths),
      grade: u.columns.convertedGrade,
      label: u.columns.convertedLabel,
      table_id: u.columns.conversionTableId,
      table_version: u.columns.conversionTableVersion,
    })),
  );
  const from = allowedFrom('approve');
  const result = await tx.execute<{ id: string }>(sql`
    update credit_requests r set
      status = 'posted', version = r.version + 1, awarded_credits = v.credits, converted_grade = v.grade,
      converted_label = v.label, conversion_table_id = v.table_id, conversion_table_version = v.table_version,
      decision_reason = ${reason}, decided_by = ${actorUserId}::uuid, decided_at = ${now.toISOString()}::timestamptz, posted_at = ${now.toISOString()}::timestamptz, updated_at = ${now.toISOString()}::timestamptz
    from jsonb_to_recordset(${values}::jsonb)
      as v(id uuid, institution_id uuid, version int, credits numeric, grade numeric, label text, table_id uuid, table_version int)
    where r.id = v.id and r.institution_id = v.institution_id
      and r.status in (${sql.join(from.map((s) => sql`${s}`), sql`, `)})
      and (v.version is null or r.version = v.version)
    returning r.id`);
  const approved = new Set(result.map((r) => r.id));
  const events: (typeof creditRequestEvents.$inferInsert)[] = [];
  const ledger: LedgerItem[] = [];
  for (const u of updates) {
    const id = u.approval.requestId;
    const row = byId.get(id)!;
    if (!approved.has(id)) {
      refused.set(id, await conflictOf(tx, id));
      continue;
    }
    events.push({ requestId: id, fromStatus: row.status, toStatus: 'approved', actorUserId, note: reason, occurredAt: now });
    events.push({ requestId: id, fromStatus: 'approved', toStatus: 'posted', actorUserId, note: '', occurredAt: now });
    const payload = {
      requestId: id,
      institutionId: u.approval.institutionId,
      student: row.pseudonym,
      decision: 'approved',
      credits: formatCreditTenths(u.approval.creditsTenths),
      grade: u.columns.convertedGrade,
      label: u.columns.convertedLabel,
      conversionTable: `${u.columns.conversionTableId}@${u.columns.conversionTableVersion}`,
      ruleId: row.ruleId,
      decidedBy: actorUserId,
    };
    ledger.push({ kind: 'credit.decided', payload }, { kind: 'credit.posted', payload: { requestId: id, institutionId: u.approval.institutionId, credits: payload.credits } });
  }
  if (events.length) {
    for (let i = 0; i < events.length; i += 2000) await tx.insert(creditRequestEvents).values(events.slice(i, i + 2000));
    await appendLedger(tx, ledger);
  }
  return { approved: [...approved], refused };
}

async function conflictOf(tx: Tx, requestId: string): Promise<DecisionRefusal> {
  const [row] = await tx
    .select({ status: creditRequests.status, decidedBy: users.displayName })
    .from(creditRequests)
    .leftJoin(users, eq(users.id, creditRequests.decidedBy))
    .where(eq(creditRequests.id, requestId));
  return row ? { kind: 'conflict', status: row.status, decidedBy: row.decidedBy } : { kind: 'not-found' };
}

/** Deny, ask for information, or any other single step: a conditional UPDATE on status and version. */
export async function transitionRequest(
  tx: Tx,
  where: { requestId: string; institutionId?: string; userId?: string; version: number | null },
  action: Exclude<CreditRequestAction, 'approve' | 'post'>,
  actorUserId: string | null,
  note: string,
  extra: Partial<typeof creditRequests.$inferInsert> = {},
): Promise<{ ok: true; to: CreditRequestStatus } | DecisionRefusal> {
  const from = allowedFrom(action);
  const [current] = await tx.select({ status: creditRequests.status }).from(creditRequests).where(eq(creditRequests.id, where.requestId));
  if (!current) return { kind: 'not-found' };
  const to = nextStatus(from[0]!, action)!; // every allowed status of an action leads to the same one
  const now = new Date();
  const updated = await tx
    .update(creditRequests)
    .set({ ...extra, status: to, version: sql`${creditRequests.version} + 1`, updatedAt: now })
    .where(
      and(
        eq(creditRequests.id, where.requestId),
        inArray(creditRequests.status, [...from]),
        where.institutionId ? eq(creditRequests.institutionId, where.institutionId) : undefined,
        where.userId ? eq(creditRequests.userId, where.userId) : undefined,
        where.version !== null ? eq(creditRequests.version, where.version) : undefined,
      ),
    )
    .returning({ id: creditRequests.id, institutionId: creditRequests.institutionId });
  if (updated.length === 0) {
    const owned = await tx
      .select({ id: creditRequests.id })
      .from(creditRequests)
      .where(
        and(
          eq(creditRequests.id, where.requestId),
          where.institutionId ? eq(creditRequests.institutionId, where.institutionId) : undefined,
          where.userId ? eq(creditRequests.userId, where.userId) : undefined,
        ),
      );
    return owned.length ? conflictOf(tx, where.requestId) : { kind: 'not-found' };
  }
  await tx.insert(creditRequestEvents).values({ requestId: where.requestId, fromStatus: current!.status, toStatus: to, actorUserId, note, occurredAt: now });
  if (action === 'deny') {
    await appendLedger(tx, [{ kind: 'credit.decided', payload: { requestId: where.requestId, institutionId: updated[0]!.institutionId, decision: 'denied', reason: note, decidedBy: actorUserId } }]);
  }
  return { ok: true, to };
}

export async function denyRequest(institutionId: string, requestId: string, version: number, actorUserId: string, reason: string) {
  return getServices().db.transaction((tx) =>
    transitionRequest(tx, { requestId, institutionId, version }, 'deny', actorUserId, reason, { decisionReason: reason, decidedBy: actorUserId, decidedAt: new Date() }),
  );
}

export async function askForInformation(institutionId: string, requestId: string, version: number, actorUserId: string, question: string) {
  return getServices().db.transaction((tx) => transitionRequest(tx, { requestId, institutionId, version }, 'ask-info', actorUserId, question));
}

export async function approveRequest(institutionId: string, approval: Approval, actorUserId: string, reason: string) {
  return getServices().db.transaction((tx) => approveRequests(tx, institutionId, [approval], actorUserId, reason));
}

/** Every request in review that one rule matched, approved with the credits the match suggested. */
export async function bulkApproveByRule(institutionId: string, ruleId: string, actorUserId: string, limit = 1000) {
  const { db } = getServices();
  return db.transaction(async (tx) => {
    const pending = await tx
      .select({ id: creditRequests.id, credits: creditRequests.awardedCredits })
      .from(creditRequests)
      .where(and(eq(creditRequests.institutionId, institutionId), eq(creditRequests.ruleId, ruleId), eq(creditRequests.status, 'in-review')))
      .limit(limit);
    const approvals = pending.filter((p) => p.credits !== null).map((p) => ({ requestId: p.id, version: null, creditsTenths: parseCreditTenths(p.credits!)! }));
    return approveRequests(tx, institutionId, approvals, actorUserId, 'bulk approval by rule');
  });
}
