import { desc, sql } from 'drizzle-orm';
import type { Database } from './client.js';
import { signCheckpoint, type PlatformKey, type SignedCheckpoint } from './checkpoint-signature.js';
import { ledgerCheckpoints, type LedgerCheckpointRow } from './schema/ledger.js';

// Shared by the site (on demand, the public routes) and the worker (periodically).

/** One advisory lock for the chain: appends are serialised, and a checkpoint sees a true tail. */
export const ledgerLockKey = 61_060_006;
const genesisHash = '0'.repeat(64);

type Db = Pick<Database, 'transaction' | 'select'>;

export function toSignedCheckpoint(row: LedgerCheckpointRow): SignedCheckpoint {
  return { treeSize: row.treeSize, headHash: row.headHash, signedAt: row.signedAt, keyId: row.keyId, publicJwk: row.publicJwk, signature: row.signature };
}

/**
 * Signs the chain's current size and head and stores the checkpoint. With `unlessUnchanged`
 * (the periodic job), a head already checkpointed within `freshForMs` is not signed again.
 */
export async function signLedgerCheckpoint(
  db: Db,
  key: PlatformKey,
  opts: { unlessUnchanged?: boolean; freshForMs?: number; now?: Date } = {},
): Promise<{ created: boolean; checkpoint: SignedCheckpoint }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ledgerLockKey})`);
    const [head] = await tx.execute<{ size: number; hash: string | null }>(
      sql`select count(*)::int as size, (select hash from ledger_entries order by seq desc limit 1) as hash from ledger_entries`,
    );
    const treeSize = head!.size;
    const headHash = head!.hash ?? genesisHash;
    const now = opts.now ?? new Date();
    if (opts.unlessUnchanged) {
      const [last] = await tx.select().from(ledgerCheckpoints).orderBy(desc(ledgerCheckpoints.id)).limit(1);
      const fresh = last && now.getTime() - new Date(last.signedAt).getTime() < (opts.freshForMs ?? 24 * 3600_000);
      if (last && fresh && last.treeSize === treeSize && last.headHash === headHash && last.keyId === key.keyId) return { created: false, checkpoint: toSignedCheckpoint(last) };
    }
    const checkpoint = signCheckpoint(key, { treeSize, headHash, signedAt: now.toISOString() });
    await tx.insert(ledgerCheckpoints).values(checkpoint);
    return { created: true, checkpoint };
  });
}

export async function latestCheckpoint(db: Pick<Database, 'select'>): Promise<SignedCheckpoint | null> {
  const [row] = await db.select().from(ledgerCheckpoints).orderBy(desc(ledgerCheckpoints.id)).limit(1);
  return row ? toSignedCheckpoint(row) : null;
}

/** Newest first. */
export async function listCheckpoints(db: Pick<Database, 'select'>, limit = 100): Promise<SignedCheckpoint[]> {
  const rows = await db.select().from(ledgerCheckpoints).orderBy(desc(ledgerCheckpoints.id)).limit(limit);
  return rows.map(toSignedCheckpoint);
}

/** Every stored checkpoint, oldest first, for the verifier. */
export async function allCheckpoints(db: Pick<Database, 'select'>): Promise<SignedCheckpoint[]> {
  const rows = await db.select().from(ledgerCheckpoints).orderBy(ledgerCheckpoints.id);
  return rows.map(toSignedCheckpoint);
}
