import { and, eq, sql } from 'drizzle-orm';
import { lessonVideoProgress, playbackRuns, videos } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';
import { isWatchableVideo } from './lesson.server.js';
import { assessReport, remainingBudget, type ClipReason } from './watch-budget.js';
import { COMPLETION_FRACTION, watchedFraction, type Range } from './watched-ranges.js';

type Tx = Parameters<Parameters<ReturnType<typeof getServices>['db']['transaction']>[0]>[0];

export async function getVideoProgress(userId: string, lessonId: string) {
  const [row] = await getServices().db.select().from(lessonVideoProgress).where(and(eq(lessonVideoProgress.userId, userId), eq(lessonVideoProgress.lessonId, lessonId)));
  return row ?? null;
}

/**
 * Records that the server is handing a student the lesson's video now: the start of a
 * playback run, whose id the player sends with every report of what it played.
 */
export async function startPlaybackRun(userId: string, lessonId: string, videoId: string): Promise<string> {
  const [run] = await getServices().db.insert(playbackRuns).values({ userId, lessonId, videoId }).returning({ id: playbackRuns.id });
  return run!.id;
}

export type ProgressReport = {
  userId: string;
  lessonId: string;
  videoId: string;
  runId: string;
  positionSeconds: number;
  ranges: Range[];
  /** For the audit entry of a clipped report. */
  institutionId: string;
  ip: string | null;
};

export type ProgressOutcome =
  | { kind: 'no-video' }
  | { kind: 'unknown-run' }
  | { kind: 'recorded'; fraction: number; completed: boolean; clipped: ClipReason[] };

/**
 * Adds what the player reports to what was already watched, within what the run's
 * wall-clock time allows (watch-budget.ts). Completion is reached once and never taken
 * back; ranges of a replaced video still count for the lesson.
 */
export async function recordVideoProgress(input: ProgressReport): Promise<ProgressOutcome> {
  const { db } = getServices();
  const [video] = await db
    .select({ durationSeconds: videos.durationSeconds })
    .from(videos)
    .where(and(eq(videos.id, input.videoId), eq(videos.lessonId, input.lessonId), isWatchableVideo));
  if (!video?.durationSeconds) return { kind: 'no-video' };
  const duration = video.durationSeconds;
  const runOf = and(eq(playbackRuns.id, input.runId), eq(playbackRuns.userId, input.userId), eq(playbackRuns.lessonId, input.lessonId), eq(playbackRuns.videoId, input.videoId));
  const [known] = await db.select({ id: playbackRuns.id }).from(playbackRuns).where(runOf);
  if (!known) return { kind: 'unknown-run' };

  return db.transaction(async (tx) => {
    // The viewer's progress row is the lock: budgets of all their runs of the lesson are
    // read and spent by one report at a time.
    await tx.insert(lessonVideoProgress).values({ userId: input.userId, lessonId: input.lessonId, videoId: input.videoId }).onConflictDoNothing();
    const [current] = await tx
      .select()
      .from(lessonVideoProgress)
      .where(and(eq(lessonVideoProgress.userId, input.userId), eq(lessonVideoProgress.lessonId, input.lessonId)))
      .for('update');
    const elapsed = (since: unknown) => sql<number>`extract(epoch from now() - ${since})::float8`;
    const [run] = await tx
      .select({ elapsedSeconds: elapsed(playbackRuns.startedAt), acceptedSeconds: playbackRuns.acceptedSeconds, auditedAt: playbackRuns.auditedAt })
      .from(playbackRuns)
      .where(runOf);
    const [pool] = await tx
      .select({ elapsedSeconds: elapsed(sql`min(${playbackRuns.startedAt})`), acceptedSeconds: sql<number>`coalesce(sum(${playbackRuns.acceptedSeconds}), 0)::float8` })
      .from(playbackRuns)
      .where(and(eq(playbackRuns.userId, input.userId), eq(playbackRuns.lessonId, input.lessonId)));
    const result = assessReport({ watched: current!.watchedRanges, claimed: input.ranges, duration, budgetSeconds: remainingBudget(run!, pool!) });
    const fraction = watchedFraction(result.ranges, duration);
    const completedAt = current!.completedAt ?? (fraction >= COMPLETION_FRACTION ? new Date() : null);
    await tx
      .update(lessonVideoProgress)
      .set({
        videoId: input.videoId,
        watchedRanges: result.ranges,
        positionSeconds: Math.min(Math.max(0, input.positionSeconds), duration),
        watchedFraction: fraction,
        completedAt,
        updatedAt: new Date(),
      })
      .where(and(eq(lessonVideoProgress.userId, input.userId), eq(lessonVideoProgress.lessonId, input.lessonId)));
    await spendRun(tx, input, { acceptedSeconds: result.acceptedSeconds, refusedSeconds: result.refusedSeconds, reasons: result.reasons, alreadyAudited: run!.auditedAt !== null });
    return { kind: 'recorded', fraction, completed: completedAt !== null, clipped: result.reasons };
  });
}

/**
 * Adds the report to its run's sums. A clipped report is audited once per run: a script
 * posting in a loop fills no table, and the run's sums still say how much it tried.
 */
async function spendRun(tx: Tx, input: ProgressReport, spent: { acceptedSeconds: number; refusedSeconds: number; reasons: ClipReason[]; alreadyAudited: boolean }) {
  const clipped = spent.reasons.length > 0;
  await tx
    .update(playbackRuns)
    .set({
      acceptedSeconds: sql`${playbackRuns.acceptedSeconds} + ${spent.acceptedSeconds}`,
      clippedSeconds: sql`${playbackRuns.clippedSeconds} + ${spent.refusedSeconds}`,
      clippedReports: sql`${playbackRuns.clippedReports} + ${clipped ? 1 : 0}`,
      ...(clipped ? { auditedAt: sql`coalesce(${playbackRuns.auditedAt}, now())` } : {}),
    })
    .where(eq(playbackRuns.id, input.runId));
  if (!clipped || spent.alreadyAudited) return;
  await recordAudit(tx, {
    action: 'progress.clipped',
    actorUserId: input.userId,
    subjectUserId: input.userId,
    institutionId: input.institutionId,
    ip: input.ip,
    details: {
      lessonId: input.lessonId,
      videoId: input.videoId,
      runId: input.runId,
      reasons: spent.reasons,
      acceptedSeconds: round1(spent.acceptedSeconds),
      refusedSeconds: round1(spent.refusedSeconds),
    },
  });
}

const round1 = (n: number) => Math.round(n * 10) / 10;
