import { data, type ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { requireCsrfForm } from '../features/forms.server.js';
import { refreshLessonCompletion } from '../features/learning/completion.server.js';
import { requireLessonViewer } from '../features/learning/lesson-viewer.server.js';
import { recordVideoProgress } from '../features/learning/progress.server.js';

const rangesJson = z
  .string()
  .max(20_000)
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'ranges must be JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.array(z.tuple([z.number().finite(), z.number().finite()])).max(200));

const progressSchema = z.object({
  videoId: z.string().uuid(),
  /** The playback run the page was handed (the lesson page's loader records its start). */
  run: z.string().uuid(),
  positionSeconds: z.coerce.number().finite().min(0).max(14_400),
  ranges: rangesJson,
});

export async function loader() {
  throw data({ reason: 'not-found' as const }, { status: 404 });
}

/**
 * The player's reports: the position to resume from and the ranges watched since the last
 * one, in a playback run. What exceeds the run's wall-clock budget or the video is clipped
 * (and audited); `overBudget` tells the player to keep the ranges and send them again later.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireLessonViewer(request, context, params.lessonId);
  // A beacon, not a form a person fills in: plain zod (conform's coercion would rebuild
  // the schema and drop the array's size limit), after the same CSRF check.
  const report = progressSchema.safeParse(Object.fromEntries(await requireCsrfForm(request)));
  // A resource route: a returned data() would lose its status under single fetch.
  if (!report.success) return Response.json({ ok: false }, { status: 400 });
  // A teacher's preview is not learning: nothing is recorded.
  if (viewer.preview) return Response.json({ ok: true, recorded: false });
  const { run, ...fields } = report.data;
  const result = await recordVideoProgress({ ...fields, runId: run, userId: viewer.user.id, lessonId: viewer.lesson.id, institutionId: viewer.lesson.institutionId, ip: context.clientIp });
  if (result.kind === 'no-video') throw data({ reason: 'not-found' as const }, { status: 404 });
  // Not a run of this viewer, lesson and video: nothing it says can be placed in time.
  if (result.kind === 'unknown-run') return Response.json({ ok: false, reason: 'unknown-run' }, { status: 422 });
  const completion = result.completed ? await refreshLessonCompletion(viewer.user.id, viewer.lesson.id) : null;
  return Response.json({
    ok: true,
    fraction: result.fraction,
    completed: result.completed,
    lessonComplete: completion?.lessonComplete ?? false,
    clipped: result.clipped.length > 0,
    overBudget: result.clipped.includes('over-budget'),
  });
}
