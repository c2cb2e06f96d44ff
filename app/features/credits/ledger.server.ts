import { asc, desc, gt, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.js';
import { ledgerEntries, type LedgerEntryKind } from '../../../db/schema/ledger.js';
import { ChainVerifier, entryHash, genesisHash, type ChainHead, type ChainProblem } from './ledger-chain.js';

type Tx = Pick<Database, 'execute' | 'select' | 'insert'>;

// One advisory lock key for the chain: appends are serialised, each sees the true tail.
const ledgerLockKey = 61_060_006;

export type LedgerItem = { kind: LedgerEntryKind; payload: Record<string, unknown> };

/** Appends entries in the caller's transaction, so a rolled-back decision leaves no entry. */
export async function appendLedger(tx: Tx, items: readonly LedgerItem[]): Promise<string> {
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

/** Streams the chain in seq order in pages; `head` is a head hash published earlier. */
export async function verifyLedger(db: Pick<Database, 'select'>, head?: ChainHead, pageSize = 5000): Promise<LedgerReport> {
  const verifier = new ChainVerifier();
  const fetchAfter = (after: number) => db.select().from(ledgerEntries).where(gt(ledgerEntries.seq, after)).orderBy(asc(ledgerEntries.seq)).limit(pageSize);
  let page = await fetchAfter(-1);
  while (page.length > 0) {
    // Fetch the next page while this one is hashed.
    const next = page.length === pageSize ? fetchAfter(page[page.length - 1]!.seq) : Promise.resolve([]);
    for (const row of page) {
      if (!verifier.add(row)) {
        await next.catch(() => {});
        return verifier.finish();
      }
    }
    page = await next;
  }
  return verifier.finish(head);
}
