import type { Queue } from 'bullmq';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { videos } from '../db/schema/index.js';
import { enqueue, type QueueName } from './queues.js';

export interface UploadedVideo {
  lessonId: string;
  uploadId: string;
  uploadedBy: string | null;
  filename: string | null;
  bytes: number;
}

/**
 * A finished upload becomes the lesson's video in the works (probe → transcode → publish);
 * a newer upload supersedes one still in the works. Shared by the studio's tus uploads and
 * `npm start`'s demo lecture. `beforeProbe` runs after the commit and before the probe job
 * is enqueued, for what must be there when the pipeline starts (captions sent with the
 * file); if it fails, the video is cancelled rather than left queued with no job.
 * Idempotent per upload: a second call for the same upload returns null.
 */
export async function createVideoFromUpload(
  db: Database,
  queues: Partial<Record<QueueName, Queue>>,
  input: UploadedVideo,
  beforeProbe?: (videoId: string) => Promise<void>,
): Promise<{ id: string } | null> {
  const video = await db.transaction(async (tx) => {
    // A repeated call for an upload already taken changes nothing: it must not cancel a
    // newer upload's video in the works. (A concurrent repeat meets the unique upload id.)
    const [taken] = await tx.select({ id: videos.id }).from(videos).where(eq(videos.uploadId, input.uploadId));
    if (taken) return undefined;
    await tx
      .update(videos)
      .set({ status: 'cancelled', updatedAt: new Date() })
      .where(and(eq(videos.lessonId, input.lessonId), inArray(videos.status, ['queued', 'probing', 'processing'])));
    const [row] = await tx
      .insert(videos)
      .values({ lessonId: input.lessonId, uploadId: input.uploadId, uploadedBy: input.uploadedBy, originalFilename: input.filename, sourceBytes: input.bytes })
      .onConflictDoNothing({ target: videos.uploadId })
      .returning({ id: videos.id });
    return row;
  });
  if (!video) return null;
  if (beforeProbe) {
    try {
      await beforeProbe(video.id);
    } catch (error) {
      await db.update(videos).set({ status: 'cancelled', updatedAt: new Date() }).where(eq(videos.id, video.id));
      throw error;
    }
  }
  await enqueue(queues, 'probe-video', { videoId: video.id }, video.id);
  return video;
}
