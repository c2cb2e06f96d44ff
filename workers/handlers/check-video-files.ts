import { text } from 'node:stream/consumers';
import type { Job } from 'bullmq';
import { and, asc, eq, gt, isNotNull, sql } from 'drizzle-orm';
import { videos } from '../../db/schema/index.js';
import { missingLadderFiles, type LadderFilesReport } from '../../media/ladder-files.js';
import type { JobPayloads } from '../queues.js';
import { videoKeys, type MediaStorage } from '../storage/index.js';
import type { VideoJobContext } from '../video-jobs.js';

/**
 * Published lectures whose files have gone from storage (a disk replaced without its media
 * folder, a bucket lifecycle rule, a copy cut short): students get "file not found" and
 * nobody else would know. Daily, and for one video as soon as a student's player gets a
 * 404 for it, every ready ladder is walked from its master playlist; a video with missing
 * files is marked (files_missing_since) for its teachers' studio and the admins' list,
 * and unmarked when the files are back.
 */

const PAGE = 200;
const CHECKS_AT_ONCE = 4;

export async function ladderReport(storage: MediaStorage, videoId: string): Promise<LadderFilesReport> {
  const prefix = videoKeys.ladder(videoId);
  const present = new Set((await storage.list(prefix)).map((o) => o.key.slice(prefix.length)));
  return missingLadderFiles(present, async (name) => {
    const file = await storage.read(prefix + name);
    return file ? text(file.body) : null;
  });
}

export async function checkVideoFiles(ctx: Pick<VideoJobContext, 'db' | 'storage' | 'log'>, job: Pick<Job<JobPayloads['check-video-files']>, 'data'>) {
  let checked = 0;
  let missing = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const page = await ctx.db
      .select({ id: videos.id })
      .from(videos)
      .where(and(eq(videos.status, 'ready'), job.data.videoId ? eq(videos.id, job.data.videoId) : gt(videos.id, after)))
      .orderBy(asc(videos.id))
      .limit(PAGE);
    for (let i = 0; i < page.length; i += CHECKS_AT_ONCE) {
      const reports = await Promise.all(page.slice(i, i + CHECKS_AT_ONCE).map(async (v) => ({ id: v.id, report: await ladderReport(ctx.storage, v.id) })));
      for (const { id, report } of reports) {
        checked++;
        if (report.missing.length > 0) {
          missing++;
          ctx.log.warn({ videoId: id, missing: report.missing.length, of: report.referenced, first: report.missing[0] }, 'published video has files missing from storage');
          await ctx.db
            .update(videos)
            .set({ filesMissingSince: sql`coalesce(${videos.filesMissingSince}, now())`, filesMissingCount: report.missing.length })
            .where(and(eq(videos.id, id), eq(videos.status, 'ready')));
        } else {
          await ctx.db.update(videos).set({ filesMissingSince: null, filesMissingCount: 0 }).where(and(eq(videos.id, id), isNotNull(videos.filesMissingSince)));
        }
      }
    }
    if (job.data.videoId || page.length < PAGE) break;
    after = page.at(-1)!.id;
  }
  return { checked, missing };
}
