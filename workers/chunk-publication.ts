import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { eq, sql } from 'drizzle-orm';
import { appendChunkToPlaylist } from '../media/chunk-playlist.js';
import { readTrackTimescales, shiftSegmentTimes } from '../media/fmp4-timeline.js';
import { MASTER_PLAYLIST, RUNG_PLAYLIST } from '../media/hls.js';
import { chunkedVideoPublications, type VideoRendition } from '../db/schema/index.js';
import { jobId, type JobPayloads } from './queues.js';
import { inBatches, PUT_CONCURRENCY, videoKeys, type PublishMemory } from './storage/index.js';
import type { VideoJobContext } from './video-jobs.js';
import { markPlayable } from './video-publishing.js';

// Early playback of a lecture encoded in chunks (decision 014): chunk 0 is published while
// it encodes, as a short lecture is; then each finished chunk is appended, in order, to the
// published EVENT playlists, its segments shifted into place exactly as the join shifts
// them. Whichever worker finishes a chunk extends the publication as far as the finished
// chunks allow, holding the lecture's row in chunked_video_publications locked meanwhile.

/** A lecture's chunks, as its join job was given them. */
export type LectureChunks = JobPayloads['join-chunks']['chunks'];

/** One file of a chunk's ladder (`240p/index.m3u8`), or null when it is not there. */
type ChunkFiles = (file: string) => Promise<Buffer | null>;

/** The chunk this node has just encoded, still in its staging folder. */
export const chunkFilesIn = (dir: string): ChunkFiles => (file) =>
  readFile(path.join(dir, file)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });

/** A chunk another node encoded, from the media storage. */
function chunkFilesStored(ctx: VideoJobContext, prefix: string): ChunkFiles {
  return async (file) => {
    const object = await ctx.storage.read(prefix + file);
    return object ? buffer(object.body) : null;
  };
}

async function need(files: ChunkFiles, file: string): Promise<Buffer> {
  const data = await files(file);
  if (!data) throw new Error(`${file} is missing from the chunk`);
  return data;
}

/** The chunks of the lecture, from its join job; null when the job is gone (cancelled). */
export async function lectureChunks(ctx: VideoJobContext, videoId: string): Promise<LectureChunks | null> {
  const join = await ctx.queues.video.getJob(jobId('join-chunks', videoId));
  return join ? (join.data as JobPayloads['join-chunks']).chunks : null;
}

/**
 * Runs `write` with the lecture's publication row locked (created on first use) and
 * stores the count it returns. A worker that finds the row locked waits for the holder
 * (at most LOCK_WAIT) rather than skipping: the holder may have looked for this worker's
 * chunk before it was there.
 */
const LOCK_WAIT = '180s';

export async function underPublicationLock(ctx: VideoJobContext, videoId: string, write: (publishedChunks: number) => Promise<number>): Promise<number> {
  const table = chunkedVideoPublications;
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql.raw(`set local lock_timeout = '${LOCK_WAIT}'`));
    await tx.insert(table).values({ videoId }).onConflictDoNothing();
    const [row] = await tx.select({ publishedChunks: table.publishedChunks }).from(table).where(eq(table.videoId, videoId)).for('update');
    const published = await write(row!.publishedChunks);
    if (published !== row!.publishedChunks) await tx.update(table).set({ publishedChunks: published, updatedAt: new Date() }).where(eq(table.videoId, videoId));
    return published;
  });
}

/** A new split of the lecture starts its publication from nothing. */
export async function resetChunkedPublication(ctx: VideoJobContext, videoId: string): Promise<void> {
  await ctx.db.delete(chunkedVideoPublications).where(eq(chunkedVideoPublications.videoId, videoId));
}

/**
 * Writes chunk `index`'s segments (times shifted by its start) and the rung playlists
 * extended by them; for chunk 0 also the init segments and, last, the master playlist.
 * The caller holds the lock. `memory` skips what this publisher already stored.
 */
async function appendChunk(ctx: VideoJobContext, videoId: string, rungs: readonly string[], chunk: { index: number; startSeconds: number; last: boolean }, files: ChunkFiles, memory: PublishMemory) {
  const prefix = videoKeys.ladder(videoId);
  const playlists: { file: string; text: string }[] = [];
  for (const rung of rungs) {
    const file = `${rung}/${RUNG_PLAYLIST}`;
    const lecture = chunk.index === 0 ? null : await chunkFilesStored(ctx, prefix)(file);
    if (chunk.index > 0 && !lecture) throw new Error(`the published ${file} is missing`);
    const appended = appendChunkToPlaylist(lecture?.toString('utf8') ?? null, (await need(files, file)).toString('utf8'), { lastChunk: chunk.last });
    const init = await need(files, `${rung}/${appended.initUri}`);
    const timescales = readTrackTimescales(init);
    const writes = [
      ...(chunk.index === 0 ? [{ to: `${rung}/${appended.initUri}`, data: async () => init }] : []),
      ...appended.segments.map((s) => ({ to: `${rung}/${s.to}`, data: async () => shiftSegmentTimes(await need(files, `${rung}/${s.from}`), timescales, chunk.startSeconds) })),
    ].filter((w) => !memory.has(w.to));
    await inBatches(writes, PUT_CONCURRENCY, async (w) => {
      await ctx.storage.put(prefix + w.to, await w.data());
      memory.set(w.to, 'stored');
    });
    playlists.push({ file, text: appended.playlist });
  }
  // Playlists after what they list, and the master after the rungs it names.
  if (chunk.index === 0) playlists.push({ file: MASTER_PLAYLIST, text: (await need(files, MASTER_PLAYLIST)).toString('utf8') });
  for (const { file, text } of playlists) {
    if (memory.get(file) === text) continue;
    await ctx.storage.put(prefix + file, Buffer.from(text));
    memory.set(file, text);
  }
}

/**
 * Chunk 0 while it encodes: what ffmpeg has written so far, published as the lecture's
 * first EVENT playlists (no shift: chunk 0 starts at 0). Nothing is written once chunk 0
 * is complete in the publication (a stalled duplicate of this job).
 */
export async function publishFirstChunkSoFar(ctx: VideoJobContext, videoId: string, rungs: readonly string[], dir: string, memory: PublishMemory): Promise<boolean> {
  let wrote = false;
  await underPublicationLock(ctx, videoId, async (published) => {
    if (published > 0) return published;
    await appendChunk(ctx, videoId, rungs, { index: 0, startSeconds: 0, last: false }, chunkFilesIn(dir), memory);
    wrote = true;
    return 0;
  });
  return wrote;
}

/**
 * After a chunk is encoded and stored: appends to the publication every chunk from the
 * first unpublished one on that is finished, in order (this node's own chunk from its
 * staging folder, others from the storage), and offers the lecture to students once it
 * has begun. A chunk already published is never appended again; a chunk whose
 * predecessors are not finished waits for the worker that finishes them. Returns how many
 * chunks are published.
 */
export async function extendChunkedPublication(
  ctx: VideoJobContext,
  video: { id: string; lessonId: string },
  options: { chunks: LectureChunks; rungs: readonly string[]; renditions: VideoRendition[]; own: { index: number; dir: string; memory?: PublishMemory } },
): Promise<number> {
  const { chunks, rungs, own } = options;
  let appended = 0;
  const published = await underPublicationLock(ctx, video.id, async (from) => {
    let next = from;
    while (next < chunks.length) {
      const mine = next === own.index;
      const files = mine ? chunkFilesIn(own.dir) : chunkFilesStored(ctx, videoKeys.chunk(video.id, next));
      // A chunk's master playlist is stored after everything else of it: there means finished.
      if (!mine && !(await files(MASTER_PLAYLIST))) break;
      const chunk = chunks[next]!;
      await appendChunk(ctx, video.id, rungs, { ...chunk, last: next === chunks.length - 1 }, files, (mine && own.memory) || new Map());
      next += 1;
      appended += 1;
    }
    return next;
  });
  if (appended > 0) await markPlayable(ctx, video.id, video.lessonId, options.renditions);
  ctx.log.info({ videoId: video.id, chunk: own.index, appended, published, of: chunks.length }, 'chunked publication extended');
  return published;
}
