import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { LecturePlayer } from '../components/player/LecturePlayer.js';
import { QuizSummary } from '../features/quizzes/QuizSummary.js';
import { quizSummaryFor } from '../features/quizzes/quiz-taking.server.js';
import { useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { refreshLessonCompletion } from '../features/learning/completion.server.js';
import { findLessonWithVideo, lessonPageExtras } from '../features/learning/lesson.server.js';
import { noteLessonVisit, requireLessonViewer } from '../features/learning/lesson-viewer.server.js';
import { signedMediaBase } from '../features/learning/media-urls.server.js';
import { getVideoProgress } from '../features/learning/progress.server.js';

// The only page that loads the player code.
export const handle = { hydrate: true };
export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'lesson.player');

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // Enrolled students of the published course, or its teachers as a preview.
  const viewer = await requireLessonViewer(request, context, params.lessonId);
  const user = viewer.user;
  const lesson = await findLessonWithVideo(viewer.lesson.id);
  if (!lesson) throw data({ reason: 'not-found' as const }, { status: 404 });
  const extras = await lessonPageExtras(lesson.id, viewer.lesson.courseId);
  let lessonComplete = false;
  const quiz = await quizSummaryFor(user.id, lesson.id);
  if (!viewer.preview) {
    await noteLessonVisit(user.id, viewer.lesson);
    // Opening the page shows its text: that part of the lesson is done.
    lessonComplete = (await refreshLessonCompletion(user.id, lesson.id, { viewed: true })).lessonComplete;
  }
  return {
    lesson: { titleZh: lesson.titleZh, titleEn: lesson.titleEn, courseTitleZh: lesson.courseTitleZh, courseTitleEn: lesson.courseTitleEn },
    course: { slug: viewer.courseSlug },
    extras,
    preview: viewer.preview,
    lessonComplete,
    quiz,
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
  const { lesson, video, lessonId, course, extras, preview, lessonComplete, quiz } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const title = locale === 'en' && lesson.titleEn ? lesson.titleEn : lesson.titleZh;
  const courseTitle = locale === 'en' && lesson.courseTitleEn ? lesson.courseTitleEn : lesson.courseTitleZh;
  const body = locale === 'en' && extras.bodyEn ? extras.bodyEn : extras.bodyZh;
  return (
    <article aria-labelledby="lesson-title">
      <p className="muted">
        <a href={`/courses/${course.slug}`}>{courseTitle}</a>
      </p>
      <h1 id="lesson-title">{title}</h1>
      {preview ? <p className="notice warn">{t('lesson.preview')}</p> : null}
      {video ? <LecturePlayer base={video.base} renditions={video.renditions} title={title} videoId={video.id} progressUrl={`/lessons/${lessonId}/progress`} resumeAt={video.resumeAt} /> : <p>{t('lesson.noVideo')}</p>}
      {body ? (
        <section aria-labelledby="lesson-text-title" className="lesson-text">
          <h2 id="lesson-text-title">{t('lesson.text')}</h2>
          {body.split(/\n{2,}/).map((paragraph, i) => (
            <p key={i}>{paragraph}</p>
          ))}
        </section>
      ) : null}
      {quiz ? <QuizSummary lessonId={lessonId} quiz={quiz} preview={preview} /> : null}
      {lessonComplete ? (
        <p className="notice ok" role="status">
          {t('lesson.complete')}
        </p>
      ) : null}
      <nav aria-label={t('lesson.nav')} className="lesson-nav">
        {extras.prev ? <a href={`/lessons/${extras.prev.id}`}>{t('lesson.prev', { title: locale === 'en' && extras.prev.titleEn ? extras.prev.titleEn : extras.prev.titleZh })}</a> : <span />}
        <a href={`/courses/${course.slug}`}>{t('lesson.backToCourse', { title: courseTitle })}</a>
        {extras.next ? <a href={`/lessons/${extras.next.id}`}>{t('lesson.next', { title: locale === 'en' && extras.next.titleEn ? extras.next.titleEn : extras.next.titleZh })}</a> : <span />}
      </nav>
    </article>
  );
}
