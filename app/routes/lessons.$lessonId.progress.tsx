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
  positionSeconds: z.coerce.number().finite().min(0).max(14_400),
  ranges: rangesJson,
});

export async function loader() {
  throw data({ reason: 'not-found' as const }, { status: 404 });
}

/** The player's reports: the position to resume from and the ranges watched since the last one. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireLessonViewer(request, context, params.lessonId);
  // A beacon, not a form a person fills in: plain zod (conform's coercion would rebuild
  // the schema and drop the array's size limit), after the same CSRF check.
  const report = progressSchema.safeParse(Object.fromEntries(await requireCsrfForm(request)));
  // A resource route: a returned data() would lose its status under single fetch.
  if (!report.success) return Response.json({ ok: false }, { status: 400 });
  // A teacher's preview is not learning: nothing is recorded.
  if (viewer.preview) return Response.json({ ok: true, recorded: false });
  const result = await recordVideoProgress({ userId: viewer.user.id, lessonId: viewer.lesson.id, ...report.data });
  if (!result) throw data({ reason: 'not-found' as const }, { status: 404 });
  const completion = result.completed ? await refreshLessonCompletion(viewer.user.id, viewer.lesson.id) : null;
  return Response.json({ ok: true, ...result, lessonComplete: completion?.lessonComplete ?? false });
}
