import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { creditPolicies, gradeConversionTables, type ConversionDefinition, type GradingScale } from '../../../db/schema/credits.js';
import { getServices } from '../../services.server.js';
import { standardBands } from './conversion.js';
import { appendLedger } from './ledger.server.js';
import { hash } from 'node:crypto';

type Tx = Pick<Database, 'select' | 'insert' | 'update' | 'execute' | 'transaction'>;

export type PolicyView = {
  institutionId: string;
  hoursPerCredit: number;
  gradingScale: GradingScale;
  table: { id: string; version: number; nameZh: string; nameEn: string; definition: ConversionDefinition };
};

/** The institution's policy; one with the standard five-band table is created the first time. */
export async function getPolicy(institutionId: string, db: Tx = getServices().db): Promise<PolicyView> {
  return (await getPolicies([institutionId], db)).get(institutionId)!;
}

/** getPolicy for several institutions: two queries when every one has a policy already. */
export async function getPolicies(institutionIds: readonly string[], db: Tx = getServices().db): Promise<Map<string, PolicyView>> {
  const out = new Map<string, PolicyView>();
  if (institutionIds.length === 0) return out;
  const existing = await db.select().from(creditPolicies).where(inArray(creditPolicies.institutionId, [...institutionIds]));
  const tableIds = existing.flatMap((p) => (p.currentTableId ? [p.currentTableId] : []));
  const tables = new Map((tableIds.length ? await db.select().from(gradeConversionTables).where(inArray(gradeConversionTables.id, tableIds)) : []).map((t) => [t.id, t]));
  for (const p of existing) {
    const table = p.currentTableId ? tables.get(p.currentTableId) : undefined;
    if (table) out.set(p.institutionId, { institutionId: p.institutionId, hoursPerCredit: p.hoursPerCredit, gradingScale: p.gradingScale, table });
  }
  const missing = [...new Set(institutionIds.filter((id) => !out.has(id)))];
  if (missing.length === 0) return out;
  for (const id of missing) await addTableVersion(id, { nameZh: '五级制（4.0）', nameEn: 'Five bands (4.0)', definition: standardBands }, null, db);
  for (const [id, policy] of await getPolicies(missing, db)) out.set(id, policy);
  return out;
}

/** A new version of the conversion table, made current; older versions stay for the decisions that cite them. */
export async function addTableVersion(
  institutionId: string,
  table: { nameZh: string; nameEn: string; definition: ConversionDefinition },
  userId: string | null,
  db: Tx = getServices().db,
): Promise<{ id: string; version: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`credit-policy:${institutionId}`}))`);
    const [last] = await tx
      .select({ version: gradeConversionTables.version })
      .from(gradeConversionTables)
      .where(eq(gradeConversionTables.institutionId, institutionId))
      .orderBy(desc(gradeConversionTables.version))
      .limit(1);
    const version = (last?.version ?? 0) + 1;
    const [row] = await tx.insert(gradeConversionTables).values({ institutionId, version, ...table, createdBy: userId }).returning({ id: gradeConversionTables.id });
    await tx
      .insert(creditPolicies)
      .values({ institutionId, currentTableId: row!.id })
      .onConflictDoUpdate({ target: creditPolicies.institutionId, set: { currentTableId: row!.id, updatedAt: new Date() } });
    // The definition by its digest: its bands may hold decimals, which ledger payloads never do.
    const definitionSha256 = hash('sha256', JSON.stringify(table.definition), 'hex');
    await appendLedger(tx, [{ kind: 'conversion-table.added', payload: { institutionId, tableId: row!.id, version, definitionSha256, createdBy: userId } }]);
    return { id: row!.id, version };
  });
}

export async function savePolicy(institutionId: string, input: { hoursPerCredit: number; gradingScale: GradingScale }): Promise<void> {
  const { db } = getServices();
  await getPolicy(institutionId);
  await db.update(creditPolicies).set({ ...input, updatedAt: new Date() }).where(eq(creditPolicies.institutionId, institutionId));
}

export async function listTableVersions(institutionId: string) {
  return getServices()
    .db.select()
    .from(gradeConversionTables)
    .where(and(eq(gradeConversionTables.institutionId, institutionId)))
    .orderBy(desc(gradeConversionTables.version));
}
