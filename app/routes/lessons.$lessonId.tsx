import { createHash } from 'node:crypto';
import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { LecturePlayer } from '../components/player/LecturePlayer.js';
import { QuizSummary } from '../features/quizzes/QuizSummary.js';
import { renderLessonMarkdown } from '../features/learning/markdown.js';
import { MaterialList } from '../features/studio/MaterialList.js';
import { listLessonMaterials } from '../features/studio/materials.server.js';
import { quizSummaryFor } from '../features/quizzes/quiz-taking.server.js';
import { useLocale, useT } from '../features/i18n/i18n.js';
import { namedTitleMeta } from '../features/i18n/metaTitle.js';
import { refreshLessonCompletion } from '../features/learning/completion.server.js';
import { findLessonWithVideo, lessonPageExtras } from '../features/learning/lesson.server.js';
import { noteLessonVisit, requireLessonViewer } from '../features/learning/lesson-viewer.server.js';
import { signedMediaBase } from '../features/learning/media-urls.server.js';
import { findPlayerStart } from '../features/learning/player-start.server.js';
import { CAPTION_TRACK_NAMES } from '../../media/hls-subtitles.js';
import { getVideoProgress, startPlaybackRun } from '../features/learning/progress.server.js';

// The only page that loads the player code, and only after its first frame is on screen.
export const handle = { hydrate: 'after-first-frame' };
export const meta: MetaFunction<typeof loader> = ({ matches, data }) => {
  const start = data?.video?.start;
  // The first frame's media is fetched from the head, alongside the stylesheet.
  const preload = start ? [start.initUrl, start.segmentUrl].map((href) => ({ tagName: 'link', rel: 'preload', as: 'fetch', crossOrigin: 'anonymous', href })) : [];
  const lesson = data?.lesson;
  const names = lesson ? [{ zh: lesson.titleZh, en: lesson.titleEn }, { zh: lesson.courseTitleZh, en: lesson.courseTitleEn }] : [];
  return [...namedTitleMeta(matches, names, 'lesson.player'), ...preload];
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  // Enrolled students of the published course, or its teachers as a preview.
  const viewer = await requireLessonViewer(request, context, params.lessonId);
  const user = viewer.user;
  const lessonId = viewer.lesson.id;
  // Independent reads (and the visit's writes) at once: one round of database trips, not six.
  const [lesson, { bodyZh, bodyEn, ...extras }, materials, quiz, completion] = await Promise.all([
    findLessonWithVideo(lessonId),
    lessonPageExtras(lessonId, viewer.lesson.courseId),
    listLessonMaterials(lessonId),
    quizSummaryFor(user.id, lessonId),
    viewer.preview
      ? null
      : noteLessonVisit(user.id, viewer.lesson)
        // Opening the page shows its text: that part of the lesson is done.
        .then(() => refreshLessonCompletion(user.id, lessonId, { viewed: true })),
  ]);
  if (!lesson) throw data({ reason: 'not-found' as const }, { status: 404 });
  // The lesson text is rendered here, from a safe Markdown subset: no renderer in the browser.
  const text = { zh: bodyZh ? renderLessonMarkdown(bodyZh) : '', en: bodyEn ? renderLessonMarkdown(bodyEn) : null };
  return {
    lesson: { titleZh: lesson.titleZh, titleEn: lesson.titleEn, courseTitleZh: lesson.courseTitleZh, courseTitleEn: lesson.courseTitleEn },
    course: { slug: viewer.courseSlug },
    extras,
    text,
    materials: materials.map((m) => ({ id: m.id, fileName: m.fileName, sizeBytes: m.sizeBytes })),
    preview: viewer.preview,
    lessonComplete: completion?.lessonComplete ?? false,
    /** A student's lesson without a video, text or quiz: there is nothing to complete yet. */
    empty: completion ? !completion.completable : false,
    quiz,
    video: lesson.videoId ? await lessonVideo(user.id, { ...lesson, videoId: lesson.videoId }, !viewer.preview) : null,
    lessonId: lesson.id,
  };
}

async function lessonVideo(userId: string, lesson: NonNullable<Awaited<ReturnType<typeof findLessonWithVideo>>> & { videoId: string }, learning: boolean) {
  const base = signedMediaBase(lesson.videoId);
  const [run, progress] = await Promise.all([
    // A teacher's preview is not learning: no run, and the player reports nothing.
    learning ? startPlaybackRun(userId, lesson.id, lesson.videoId) : null,
    getVideoProgress(userId, lesson.id),
  ]);
  const renditions = (lesson.renditions ?? []).map((r) => ({ name: r.name, height: r.height }));
  // Continue where they stopped, unless that was the very end.
  const resumeAt = resumePosition(progress?.positionSeconds ?? 0, lesson.durationSeconds ?? 0);
  const captions = (lesson.captions ?? []).map((c) => ({ language: c.language, label: CAPTION_TRACK_NAMES[c.language], src: `${base}hls/subs/${c.language}.vtt` }));
  return { id: lesson.videoId, base, renditions, resumeAt, captions, start: await findPlayerStart(lesson.videoId, base, resumeAt), viewerKey: deviceKeyOf(userId), run };
}

/**
 * Names this viewer's unsent watch reports on the device (useWatchReporting), so that on a
 * shared classroom computer one student's ranges are never sent under another's login; a
 * hash, so the device does not list who used it.
 */
function deviceKeyOf(userId: string): string {
  return createHash('sha256').update(`watch-reports:${userId}`).digest('base64url').slice(0, 16);
}

function resumePosition(position: number, duration: number): number {
  return position > 3 && position < duration - 3 ? position : 0;
}

export default function LessonPage() {
  const { lesson, video, lessonId, course, extras, text, materials, preview, lessonComplete, empty, quiz } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const title = locale === 'en' && lesson.titleEn ? lesson.titleEn : lesson.titleZh;
  const courseTitle = locale === 'en' && lesson.courseTitleEn ? lesson.courseTitleEn : lesson.courseTitleZh;
  const bodyHtml = locale === 'en' && text.en ? text.en : text.zh;
  return (
    <article aria-labelledby="lesson-title">
      <p className="muted">
        <a href={`/courses/${course.slug}`}>{courseTitle}</a>
      </p>
      <h1 id="lesson-title">{title}</h1>
      {preview ? <p className="notice warn">{t('lesson.preview')}</p> : null}
      {video ? <LecturePlayer video={video} title={title} progressUrl={`/lessons/${lessonId}/progress`} /> : empty ? null : <p>{t('lesson.noVideo')}</p>}
      {empty ? <p className="notice">{t('lesson.empty')}</p> : null}
      {bodyHtml ? (
        <section aria-labelledby="lesson-text-title" className="lesson-text">
          <h2 id="lesson-text-title">{t('lesson.text')}</h2>
          <div dangerouslySetInnerHTML={{ __html: bodyHtml }} />
        </section>
      ) : null}
      {materials.length > 0 ? <MaterialList lessonId={lessonId} materials={materials} /> : null}
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
