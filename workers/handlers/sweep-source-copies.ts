import { inArray } from 'drizzle-orm';
import { videos } from '../../db/schema/index.js';
import type { VideoJobContext } from '../video-jobs.js';

// A copy is still wanted while some job of its video may read it.
const READING = ['queued', 'probing', 'processing'] as const;

/**
 * The copies this node made of bucket uploads whose videos are published, refused,
 * cancelled or gone: publishing removes the copy on the node that published, this
 * removes the others (a chunk encoded on this node, a probe that was retried elsewhere).
 */
export async function sweepSourceCopies(ctx: VideoJobContext): Promise<{ removed: number }> {
  const removed = await ctx.uploads.sweepSources(async (uploadIds) => {
    const ids = uploadIds.filter((id) => /^[0-9a-f-]{36}$/.test(id));
    if (ids.length === 0) return new Set();
    const rows = await ctx.db.select({ uploadId: videos.uploadId, status: videos.status }).from(videos).where(inArray(videos.uploadId, ids));
    return new Set(rows.filter((r) => (READING as readonly string[]).includes(r.status)).map((r) => r.uploadId));
  });
  if (removed > 0) ctx.log.info({ removed }, 'removed copies of uploads no longer needed');
  return { removed };
}
