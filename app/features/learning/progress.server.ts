import { and, eq } from 'drizzle-orm';
import { lessonVideoProgress, videos } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { isWatchableVideo } from './lesson.server.js';
import { COMPLETION_FRACTION, mergeRanges, watchedFraction, type Range } from './watched-ranges.js';

export async function getVideoProgress(userId: string, lessonId: string) {
  const [row] = await getServices().db.select().from(lessonVideoProgress).where(and(eq(lessonVideoProgress.userId, userId), eq(lessonVideoProgress.lessonId, lessonId)));
  return row ?? null;
}

/**
 * Adds what the player reports to what was already watched. Completion is reached once
 * and never taken back; ranges of a replaced video still count for the lesson.
 */
export async function recordVideoProgress(input: { userId: string; lessonId: string; videoId: string; positionSeconds: number; ranges: Range[] }) {
  const { db } = getServices();
  const [video] = await db
    .select({ durationSeconds: videos.durationSeconds })
    .from(videos)
    .where(and(eq(videos.id, input.videoId), eq(videos.lessonId, input.lessonId), isWatchableVideo));
  if (!video?.durationSeconds) return null;
  const duration = video.durationSeconds;
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(lessonVideoProgress)
      .where(and(eq(lessonVideoProgress.userId, input.userId), eq(lessonVideoProgress.lessonId, input.lessonId)))
      .for('update');
    const ranges = mergeRanges([...(current?.watchedRanges ?? []), ...input.ranges], duration);
    const fraction = watchedFraction(ranges, duration);
    const values = {
      userId: input.userId,
      lessonId: input.lessonId,
      videoId: input.videoId,
      watchedRanges: ranges,
      positionSeconds: Math.min(Math.max(0, input.positionSeconds), duration),
      watchedFraction: fraction,
      completedAt: current?.completedAt ?? (fraction >= COMPLETION_FRACTION ? new Date() : null),
      updatedAt: new Date(),
    };
    await tx.insert(lessonVideoProgress).values(values).onConflictDoUpdate({ target: [lessonVideoProgress.userId, lessonVideoProgress.lessonId], set: values });
    return { fraction, completed: values.completedAt !== null };
  });
}
