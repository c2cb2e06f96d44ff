import type { Database } from '../../db/client.js';
import type { PlatformKey } from '../../db/checkpoint-signature.js';
import { signLedgerCheckpoint } from '../../db/ledger-checkpoints.js';

/** The periodic checkpoint: signs the head unless it was signed unchanged within the day; harmless to run twice. */
export async function signLedgerCheckpointJob(db: Database, key: PlatformKey | null): Promise<{ created: boolean; treeSize?: number; skipped?: string }> {
  if (!key) return { created: false, skipped: 'LEDGER_SIGNING_KEY is not set' };
  const { created, checkpoint } = await signLedgerCheckpoint(db, key, { unlessUnchanged: true });
  return { created, treeSize: checkpoint.treeSize };
}
