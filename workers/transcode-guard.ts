import { eq } from 'drizzle-orm';
import { videos } from '../db/schema/index.js';
import type { VideoJobContext } from './video-jobs.js';

const CANCEL_CHECK_EVERY_MS = 2_000;

/**
 * An AbortSignal for one transcode (a whole lecture or one chunk of it): aborted when the
 * teacher cancels the video (ffmpeg is killed, its temp folder removed) or when this
 * worker is asked to stop (the job is then handed back).
 */
export function guardTranscode(ctx: VideoJobContext, videoId: string): { signal: AbortSignal; dispose: () => void } {
  const abort = new AbortController();
  const onShutdown = () => abort.abort(new Error('worker shutting down'));
  ctx.shutdown.addEventListener('abort', onShutdown);
  const cancelWatch = setInterval(async () => {
    const [row] = await ctx.db.select({ status: videos.status }).from(videos).where(eq(videos.id, videoId)).catch(() => []);
    if (!row || row.status === 'cancelled') abort.abort(new Error('video cancelled'));
  }, CANCEL_CHECK_EVERY_MS);
  return {
    signal: abort.signal,
    dispose() {
      clearInterval(cancelWatch);
      ctx.shutdown.removeEventListener('abort', onShutdown);
    },
  };
}
