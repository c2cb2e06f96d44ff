import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Transaction as Tx } from '../../../db/client.js';
import { completionRecords, creditRequests, equivalencyRules, equivalencyRuleSources } from '../../../db/schema/index.js';
import { formatCreditTenths } from './credit-units.js';
import { approveAcrossInstitutions } from './decisions.server.js';
import { indexRules, matchRecord, type MatchResult, type RuleIndex } from './matcher.js';
import { toMatchRecord } from './requests.server.js';
import { toMatchRule } from './rules.server.js';

/** Every active rule of the institutions, indexed by source course: loaded once per batch. */
async function ruleIndexes(db: Pick<Database, 'select'>, institutionIds: string[]): Promise<Map<string, RuleIndex>> {
  const rules = await db.select().from(equivalencyRules).where(and(inArray(equivalencyRules.institutionId, institutionIds), eq(equivalencyRules.active, true)));
  const sources = rules.length ? await db.select().from(equivalencyRuleSources).where(inArray(equivalencyRuleSources.ruleId, rules.map((r) => r.id))) : [];
  const byRule = new Map<string, { alternative: number; courseId: string }[]>();
  for (const s of sources) byRule.set(s.ruleId, [...(byRule.get(s.ruleId) ?? []), s]);
  const out = new Map<string, RuleIndex>();
  for (const id of institutionIds) out.set(id, indexRules(rules.filter((r) => r.institutionId === id).map((r) => toMatchRule(r, byRule.get(r.id) ?? []))));
  return out;
}

/** From this many submitted requests in one run, refresh the table's statistics first. */
const ANALYZE_FROM_REQUESTS = 500;

/**
 * Matches requests still `submitted` (imported in bulk, or waiting after a rule change)
 * against the published rules, a batch at a time: auto-approved matches are approved and
 * posted, the rest go to review with the matcher's reasons.
 */
export async function autoMatchSubmitted(db: Database, batchSize = 5000): Promise<{ matched: number; review: number }> {
  let matched = 0;
  let review = 0;
  let analysed = false;
  for (;;) {
    const pending = await db
      .select({ id: creditRequests.id, userId: creditRequests.userId, institutionId: creditRequests.institutionId, recordId: creditRequests.completionRecordId, targetKind: creditRequests.targetKind, targetCode: creditRequests.targetCode })
      .from(creditRequests)
      .where(eq(creditRequests.status, 'submitted'))
      .limit(batchSize);
    if (pending.length === 0) break;
    // After a bulk import the planner's statistics still say almost nothing is `submitted`
    // (autovacuum analyses only after 10 % of the table changed). markMatched's update, when
    // it joined a VALUES list, then ran as a nested loop of every submitted row against the
    // list: 5-10 s per 2,000 rows in bench:credits (seen with auto_explain). Its JSON list now
    // drives primary-key lookups, and two bench runs without this ANALYZE were as fast; it
    // stays as a guard for this and the batch query, for 0.1 s (the whole table: 0.4-0.5 s).
    if (!analysed && pending.length >= ANALYZE_FROM_REQUESTS) {
      await db.execute(sql`analyze credit_requests (status)`);
      analysed = true;
    }
    const institutions = [...new Set(pending.map((p) => p.institutionId))];
    const [indexes, records] = await Promise.all([
      ruleIndexes(db, institutions),
      db.select().from(completionRecords).where(inArray(completionRecords.userId, [...new Set(pending.map((p) => p.userId))])),
    ]);
    const recordsByUser = new Map<string, (typeof records)[number][]>();
    for (const r of records) recordsByUser.set(r.userId, [...(recordsByUser.get(r.userId) ?? []), r]);
    const results = pending.map((p) => {
      const mine = recordsByUser.get(p.userId) ?? [];
      const record = mine.find((r) => r.id === p.recordId)!;
      const target = p.targetKind === 'course' && p.targetCode ? { kind: 'course' as const, code: p.targetCode } : p.targetKind === 'elective' ? { kind: 'elective' as const } : null;
      return { p, result: matchRecord(indexes.get(p.institutionId)!, toMatchRecord(record), mine.filter((r) => r.id !== record.id).map(toMatchRecord), target) };
    });
    await db.transaction(async (tx) => {
      const marked = await markMatched(tx, results);
      // Only requests this run moved out of `submitted`: one a registrar took meanwhile is theirs.
      const auto = results.filter((r) => r.result.outcome === 'match' && marked.has(r.p.id));
      const approved = await approveAcrossInstitutions(
        tx,
        auto.map((a) => ({ requestId: a.p.id, institutionId: a.p.institutionId, version: null, creditsTenths: a.result.creditsTenths! })),
        null,
        'auto-approved by rule',
      );
      matched += approved.approved.length;
      review += results.filter((r) => r.result.outcome !== 'match' && marked.has(r.p.id)).length;
    });
  }
  return { matched, review };
}

/**
 * Moves the batch out of `submitted` (to auto-matched or in-review, with the matcher's
 * rule, reasons and credits) and records an event for each row it moved, in one statement
 * per 2,000 rows. Returns the ids it moved.
 */
async function markMatched(tx: Tx, results: { p: { id: string }; result: MatchResult }[]): Promise<Set<string>> {
  const now = new Date().toISOString();
  const moved = new Set<string>();
  for (let i = 0; i < results.length; i += 2000) {
    const values = JSON.stringify(
      results.slice(i, i + 2000).map(({ p, result }) => ({
        id: p.id,
        status: result.outcome === 'match' ? 'auto-matched' : 'in-review',
        rule_id: result.ruleId,
        reasons: result.reasons,
        credits: result.creditsTenths === null ? null : formatCreditTenths(result.creditsTenths),
      })),
    );
    const rows = await tx.execute<{ id: string }>(sql`
      with moved as (
        update credit_requests r set status = v.status, rule_id = v.rule_id, match_reasons = v.reasons, awarded_credits = v.credits, version = r.version + 1, updated_at = ${now}::timestamptz
        from jsonb_to_recordset(${values}::jsonb) as v(id uuid, status text, rule_id uuid, reasons jsonb, credits numeric)
        where r.id = v.id and r.status = 'submitted'
        returning r.id, r.status
      ), events as (
        insert into credit_request_events (request_id, from_status, to_status, note, occurred_at)
        select id, 'submitted', status, '', ${now}::timestamptz from moved
      )
      select id from moved`);
    for (const r of rows) moved.add(r.id);
  }
  return moved;
}
