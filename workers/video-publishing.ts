import { and, eq, sql } from 'drizzle-orm';
import { videos, type VideoRendition } from '../db/schema/index.js';
import { mediaPaths } from './runtime/media-paths.js';
import { publishFolder, videoKeys, type PublishMemory } from './storage/index.js';
import { publishVideoEvent, type VideoJobContext } from './video-jobs.js';

// Early playback (issue 3): once the lowest rungs are playable, what ffmpeg has written
// so far is published and the video row lets students start; a loop keeps the published
// copy in step with ffmpeg until the whole ladder is published at the end.

const REPUBLISH_EVERY_MS = 2_000;

export type EarlyPublisher = {
  /** Called from transcodeLadder's onPlayable: first publication, then the loop. */
  start(): void;
  /** Stops the loop and waits for a publication in flight. */
  stop(): Promise<void>;
};

/**
 * Only a lesson with no ready video gets an early one: where a complete video is already
 * published, students keep it until the new one is complete (it then replaces it).
 */
export async function markPlayable(ctx: VideoJobContext, videoId: string, lessonId: string, renditions: VideoRendition[]): Promise<boolean> {
  const [row] = await ctx.db
    .update(videos)
    .set({ storagePrefix: mediaPaths(ctx.mediaRoot).ladderPrefix(videoId), renditions, updatedAt: new Date() })
    .where(
      and(
        eq(videos.id, videoId),
        eq(videos.status, 'processing'),
        sql`not exists (select 1 from ${videos} v where v.lesson_id = ${lessonId} and v.status = 'ready')`,
      ),
    )
    .returning({ progressPercent: videos.progressPercent });
  if (row) await publishVideoEvent(ctx, { videoId, lessonId, status: 'processing', progressPercent: row.progressPercent, playable: true });
  return row !== undefined;
}

/**
 * `publishSoFar` publishes what the encoder has written so far (safe to repeat); it
 * resolves false when it wrote nothing (the lecture is no longer offered early).
 */
export function earlyPublisher(ctx: VideoJobContext, video: { id: string; lessonId: string }, renditions: VideoRendition[], publishSoFar: () => Promise<boolean>): EarlyPublisher {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let inFlight: Promise<unknown> = Promise.resolve();

  const republish = () => {
    inFlight = publishSoFar()
      .catch((error: Error) => ctx.log.warn({ videoId: video.id, err: error.message }, 'early republish failed; next round retries'))
      .finally(() => {
        if (!stopped) timer = setTimeout(republish, REPUBLISH_EVERY_MS);
      });
  };
  return {
    start() {
      inFlight = publishSoFar()
        .then((wrote) => wrote && markPlayable(ctx, video.id, video.lessonId, renditions))
        .then((playable) => {
          ctx.log.info({ videoId: video.id, playable }, 'lowest rungs published while encoding');
          if (playable && !stopped) timer = setTimeout(republish, REPUBLISH_EVERY_MS);
        })
        // Early playback is a head start, not a promise: the final publication decides.
        .catch((error: Error) => ctx.log.warn({ videoId: video.id, err: error.message }, 'early publication failed; the video is published when complete'));
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}

/** A single transcode's ladder folder, mirrored as ffmpeg writes it (only what its playlists list). */
export function publishLadderSoFar(ctx: VideoJobContext, videoId: string, ladderDir: string): () => Promise<boolean> {
  const memory: PublishMemory = new Map();
  return async () => {
    await publishFolder(ctx.storage, ladderDir, videoKeys.ladder(videoId), { final: false, memory });
    return true;
  };
}

/** The finished ladder, every file; stale objects of an earlier attempt go. */
export async function publishLadder(ctx: VideoJobContext, videoId: string, ladderDir: string): Promise<void> {
  await publishFolder(ctx.storage, ladderDir, videoKeys.ladder(videoId), { final: true });
}

/**
 * A transcode that failed, was cancelled or is handed back stops offering its half-made
 * ladder: an EVENT playlist that never grows again would leave students waiting.
 */
export async function withdrawEarlyPublication(ctx: VideoJobContext, videoId: string): Promise<void> {
  await ctx.db
    .update(videos)
    .set({ storagePrefix: null, updatedAt: new Date() })
    .where(and(eq(videos.id, videoId), eq(videos.status, 'processing')));
}
