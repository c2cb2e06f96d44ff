import { text } from 'node:stream/consumers';
import type { Job } from 'bullmq';
import { and, asc, eq, gt, isNotNull, sql } from 'drizzle-orm';
import { videos } from '../../db/schema/index.js';
import { damagedFiles, FILE_SIZES_NAME, isUnchangingMediaFile, missingLadderFiles, parseFileSizes, type LadderFilesReport, type PublishedFileSizes } from '../../media/ladder-files.js';
import type { JobPayloads } from '../queues.js';
import { videoKeys, type MediaStorage } from '../storage/index.js';
import type { VideoJobContext } from '../video-jobs.js';

/**
 * Published lectures whose files have gone from storage (a disk replaced without its media
 * folder, a bucket lifecycle rule, a copy cut short): students get "file not found" and
 * nobody else would know. Daily, and for one video as soon as a student's player gets a
 * 404 for it, every ready ladder is walked from its master playlist, and its segments and
 * stills are held to the sizes recorded when it was published; a video with missing or
 * damaged files is marked (files_missing_since) for its teachers' studio and the admins' list,
 * and unmarked when the files are back.
 */

const PAGE = 200;
const CHECKS_AT_ONCE = 4;

/**
 * What a student could not fetch: the ladder walked from its master playlist, and, for a
 * video published with a record of its file sizes, every segment, init segment and still
 * that is gone or has another size (cut short, overwritten). Names relative to the video's
 * folder (`hls/240p/seg_00001.m4s`, `poster.jpg`).
 */
export async function videoFilesReport(storage: MediaStorage, videoId: string): Promise<LadderFilesReport> {
  const folder = videoKeys.video(videoId);
  const ladder = videoKeys.ladder(videoId).slice(folder.length);
  const present = new Map((await storage.list(folder)).map((o) => [o.key.slice(folder.length), o.size]));
  const readText = async (name: string) => {
    const file = await storage.read(folder + name);
    return file ? text(file.body) : null;
  };
  const ladderNames = new Set([...present.keys()].filter((name) => name.startsWith(ladder)).map((name) => name.slice(ladder.length)));
  const walk = await missingLadderFiles(ladderNames, (name) => readText(ladder + name));
  const missing = walk.missing.map((name) => ladder + name);
  const record = present.has(FILE_SIZES_NAME) ? parseFileSizes((await readText(FILE_SIZES_NAME)) ?? '') : null;
  if (!record) return { referenced: walk.referenced, missing };
  const damaged = damagedFiles(record, present).filter((name) => !missing.includes(name));
  const outsideLadder = Object.keys(record).filter((name) => !name.startsWith(ladder)).length;
  return { referenced: walk.referenced + outsideLadder, missing: [...missing, ...damaged] };
}

/**
 * Called as a video is published, when every file is in place: records the size of each
 * segment, init segment and still as stored, for videoFilesReport to hold them to.
 */
export async function recordPublishedFileSizes(storage: MediaStorage, videoId: string): Promise<number> {
  const folder = videoKeys.video(videoId);
  const sizes: PublishedFileSizes = {};
  for (const { key, size } of await storage.list(folder)) {
    const name = key.slice(folder.length);
    if (isUnchangingMediaFile(name)) sizes[name] = size;
  }
  await storage.put(folder + FILE_SIZES_NAME, Buffer.from(JSON.stringify(sizes)));
  return Object.keys(sizes).length;
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
      const reports = await Promise.all(page.slice(i, i + CHECKS_AT_ONCE).map(async (v) => ({ id: v.id, report: await videoFilesReport(ctx.storage, v.id) })));
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
