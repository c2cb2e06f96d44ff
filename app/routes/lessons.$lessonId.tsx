import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { LecturePlayer } from '../components/player/LecturePlayer.js';
import { useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireUser } from '../features/identity/guards.server.js';
import { findLessonWithVideo } from '../features/learning/lesson.server.js';
import { signedMediaBase } from '../features/learning/media-urls.server.js';
import { getVideoProgress } from '../features/learning/progress.server.js';

// The only page that loads the player code.
export const handle = { hydrate: true };
export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'lesson.player');

export async function loader({ request, params }: LoaderFunctionArgs) {
  // Signed-in learners may watch; the catalog issue narrows this to those enrolled.
  const user = await requireUser(request);
  const id = z.string().uuid().safeParse(params.lessonId);
  const lesson = id.success ? await findLessonWithVideo(id.data) : null;
  if (!lesson) throw data({ reason: 'not-found' as const }, { status: 404 });
  return {
    lesson: { titleZh: lesson.titleZh, titleEn: lesson.titleEn, courseTitleZh: lesson.courseTitleZh, courseTitleEn: lesson.courseTitleEn },
    video: lesson.videoId
      ? {
          id: lesson.videoId,
          base: signedMediaBase(lesson.videoId),
          renditions: (lesson.renditions ?? []).map((r) => ({ name: r.name, height: r.height })),
          // Continue where they stopped, unless that was the very end.
          resumeAt: resumePosition((await getVideoProgress(user.id, lesson.id))?.positionSeconds ?? 0, lesson.durationSeconds ?? 0),
        }
      : null,
    lessonId: lesson.id,
  };
}

function resumePosition(position: number, duration: number): number {
  return position > 3 && position < duration - 3 ? position : 0;
}

export default function LessonPage() {
  const { lesson, video, lessonId } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const title = locale === 'en' && lesson.titleEn ? lesson.titleEn : lesson.titleZh;
  return (
    <article aria-labelledby="lesson-title">
      <p className="muted">{locale === 'en' && lesson.courseTitleEn ? lesson.courseTitleEn : lesson.courseTitleZh}</p>
      <h1 id="lesson-title">{title}</h1>
      {video ? <LecturePlayer base={video.base} renditions={video.renditions} title={title} videoId={video.id} progressUrl={`/lessons/${lessonId}/progress`} resumeAt={video.resumeAt} /> : <p>{t('lesson.noVideo')}</p>}
    </article>
  );
}
