import { asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { checkpointSignatureValid, type Ed25519Jwk, type SignedCheckpoint } from '../../../db/checkpoint-signature.js';
import { allCheckpoints, ledgerLockKey } from '../../../db/ledger-checkpoints.js';
import { creditRequests, issuedCredentials } from '../../../db/schema/index.js';
import { ledgerEntries, type LedgerEntryKind } from '../../../db/schema/ledger.js';
import { ChainVerifier, entryHash, genesisHash, type ChainCheckpoint, type ChainHead, type ChainProblem } from './ledger-chain.js';
import { collectFact, credentialDisagreement, emptyFacts, postedRowsDisagreement, unpostedDisagreement, type Disagreement, type LedgerFacts } from './ledger-reconcile.js';


export type LedgerItem = { kind: LedgerEntryKind; payload: Record<string, unknown> };

/**
 * Appends entries in the caller's transaction, so a rolled-back change leaves no entry. Given
 * the database itself it opens one (the chain's lock lasts only as long as a transaction).
 */
export async function appendLedger(db: Pick<Database, 'transaction'>, items: readonly LedgerItem[]): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ledgerLockKey})`);
    const [last] = await tx.select({ hash: ledgerEntries.hash }).from(ledgerEntries).orderBy(desc(ledgerEntries.seq)).limit(1);
    let prevHash = last?.hash ?? genesisHash;
    const rows = items.map((item) => {
      const content = { prevHash, kind: item.kind, payload: item.payload, occurredAt: new Date().toISOString() };
      const hash = entryHash(content);
      prevHash = hash;
      return { ...content, hash };
    });
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(ledgerEntries).values(rows.slice(i, i + 1000));
    return prevHash;
  });
}

export async function ledgerHead(db: Pick<Database, 'select'>): Promise<ChainHead & { seq: number | null }> {
  const [row] = await db
    .select({ hash: ledgerEntries.hash, seq: ledgerEntries.seq, count: sql<number>`(select count(*)::int from ledger_entries)` })
    .from(ledgerEntries)
    .orderBy(desc(ledgerEntries.seq))
    .limit(1);
  return row ? { hash: row.hash, seq: row.seq, count: row.count } : { hash: genesisHash, seq: null, count: 0 };
}

export type LedgerReport = { ok: boolean; count: number; headHash: string; problem: ChainProblem | null };

/**
 * Streams the chain in seq order in pages; `head` is a head hash published earlier,
 * `checkpoints` signed checkpoints the chain must still be consistent with; `facts`, when
 * given, collects what the entries say for reconcileLedger.
 */
export async function verifyLedger(
  db: Pick<Database, 'select'>,
  head?: ChainHead,
  pageSize = 5000,
  opts: { checkpoints?: readonly ChainCheckpoint[]; facts?: LedgerFacts } = {},
): Promise<LedgerReport> {
  const verifier = new ChainVerifier(opts.checkpoints);
  const facts = opts.facts;
  const fetchAfter = (after: number) => db.select().from(ledgerEntries).where(gt(ledgerEntries.seq, after)).orderBy(asc(ledgerEntries.seq)).limit(pageSize);
  let page = await fetchAfter(-1);
  while (page.length > 0) {
    // Fetch the next page while this one is hashed.
    const next = page.length === pageSize ? fetchAfter(page[page.length - 1]!.seq) : Promise.resolve([]);
    for (const row of page) {
      if (facts) collectFact(facts, row);
      if (!verifier.add(row)) {
        await next.catch(() => {});
        return verifier.finish();
      }
    }
    page = await next;
  }
  return verifier.finish(head);
}

const uuidShaped = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Do posted credits and credential statuses in their own tables agree with the ledger? The
 * first disagreement found (rows in the order they were posted or issued), or null.
 */
export async function reconcileLedger(db: Pick<Database, 'select'>, facts: LedgerFacts = emptyFacts()): Promise<Disagreement | null> {
  const posted = await db
    .select({ id: creditRequests.id, awardedCredits: creditRequests.awardedCredits })
    .from(creditRequests)
    .where(eq(creditRequests.status, 'posted'))
    .orderBy(asc(creditRequests.postedAt), asc(creditRequests.id));
  const credits = postedRowsDisagreement(facts, posted);
  if ('disagreement' in credits) return credits.disagreement;
  if (credits.unaccounted.length > 0) {
    const first = credits.unaccounted[0]!;
    // An entry may name something that never was a request id (a forged entry): no row then.
    const [row] = uuidShaped.test(first) ? await db.select({ status: creditRequests.status }).from(creditRequests).where(eq(creditRequests.id, first)) : [];
    return unpostedDisagreement(facts, first, row);
  }
  const credentials = await db.select({ id: issuedCredentials.id, revokedAt: issuedCredentials.revokedAt }).from(issuedCredentials).orderBy(asc(issuedCredentials.issuedAt), asc(issuedCredentials.id));
  return credentialDisagreement(facts, credentials);
}

export type LedgerAudit = {
  /** Null when a checkpoint's signature failed (nothing else was checked). */
  report: LedgerReport | null;
  invalidCheckpoint: { where: 'kept' | 'stored'; checkpoint: SignedCheckpoint } | null;
  disagreement: Disagreement | null;
  /** The checkpoints the chain was held against. */
  checkpoints: SignedCheckpoint[];
};

/**
 * Everything ledger:verify and the admin page check: the signatures of the kept and the
 * stored checkpoints (with the keys the verifier trusts; without any, stored ones are not
 * used), the chain against all of them and a published head, then the tables against the
 * ledger. Stops at the first problem.
 */
export async function auditLedger(
  db: Pick<Database, 'select'>,
  opts: { head?: ChainHead; kept?: readonly SignedCheckpoint[]; trusted: readonly Ed25519Jwk[] },
): Promise<LedgerAudit> {
  const stored = opts.trusted.length ? await allCheckpoints(db) : [];
  const candidates = [...(opts.kept ?? []).map((checkpoint) => ({ where: 'kept' as const, checkpoint })), ...stored.map((checkpoint) => ({ where: 'stored' as const, checkpoint }))];
  const checkpoints = candidates.map((c) => c.checkpoint);
  const invalid = candidates.find((c) => !checkpointSignatureValid(c.checkpoint, opts.trusted)) ?? null;
  if (invalid) return { report: null, invalidCheckpoint: invalid, disagreement: null, checkpoints };
  const facts = emptyFacts();
  const report = await verifyLedger(db, opts.head, 5000, { checkpoints, facts });
  const disagreement = report.ok ? await reconcileLedger(db, facts) : null;
  return { report, invalidCheckpoint: null, disagreement, checkpoints };
}
