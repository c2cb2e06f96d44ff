import { lt } from 'drizzle-orm';
import type { Job } from 'bullmq';
import type { Database } from '../../db/client.js';
import { sessions } from '../../db/schema/index.js';
import type { JobPayloads } from '../queues.js';

/** Deletes sessions that expired more than `olderThanHours` ago; harmless to run twice. */
export async function purgeExpiredSessions(db: Database, job: Job<JobPayloads['purge-expired-sessions']>): Promise<{ deleted: number }> {
  const cutoff = new Date(Date.now() - job.data.olderThanHours * 3600_000);
  const deleted = await db.delete(sessions).where(lt(sessions.expiresAt, cutoff)).returning({ idHash: sessions.idHash });
  return { deleted: deleted.length };
}
