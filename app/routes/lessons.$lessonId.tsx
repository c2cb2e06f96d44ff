import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { LecturePlayer } from '../components/player/LecturePlayer.js';
import { useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireUser } from '../features/identity/guards.server.js';
import { findLessonWithVideo } from '../features/learning/lesson.server.js';
import { signedMediaBase } from '../features/learning/media-urls.server.js';
import { findPlayerStart } from '../features/learning/player-start.server.js';
import { CAPTION_TRACK_NAMES } from '../features/learning/caption-tracks.js';
import { getVideoProgress } from '../features/learning/progress.server.js';

// The only page that loads the player code, and only after its first frame is on screen.
export const handle = { hydrate: 'after-first-frame' };
export const meta: MetaFunction<typeof loader> = ({ matches, data }) => {
  const start = data?.video?.start;
  // The first frame's media is fetched from the head, alongside the stylesheet.
  const preload = start ? [start.initUrl, start.segmentUrl].map((href) => ({ tagName: 'link', rel: 'preload', as: 'fetch', crossOrigin: 'anonymous', href })) : [];
  return [...titleMeta(matches, 'lesson.player'), ...preload];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  // Signed-in learners may watch; the catalog issue narrows this to those enrolled.
  const user = await requireUser(request);
  const id = z.string().uuid().safeParse(params.lessonId);
  const lesson = id.success ? await findLessonWithVideo(id.data) : null;
  if (!lesson) throw data({ reason: 'not-found' as const }, { status: 404 });
  return {
    lesson: { titleZh: lesson.titleZh, titleEn: lesson.titleEn, courseTitleZh: lesson.courseTitleZh, courseTitleEn: lesson.courseTitleEn },
    video: lesson.videoId ? await lessonVideo(user.id, { ...lesson, videoId: lesson.videoId }) : null,
    lessonId: lesson.id,
  };
}

async function lessonVideo(userId: string, lesson: NonNullable<Awaited<ReturnType<typeof findLessonWithVideo>>> & { videoId: string }) {
  const base = signedMediaBase(lesson.videoId);
  const renditions = (lesson.renditions ?? []).map((r) => ({ name: r.name, height: r.height }));
  // Continue where they stopped, unless that was the very end.
  const resumeAt = resumePosition((await getVideoProgress(userId, lesson.id))?.positionSeconds ?? 0, lesson.durationSeconds ?? 0);
  const captions = (lesson.captions ?? []).map((c) => ({ language: c.language, label: CAPTION_TRACK_NAMES[c.language], src: `${base}hls/subs/${c.language}.vtt` }));
  return { id: lesson.videoId, base, renditions, resumeAt, captions, start: await findPlayerStart(lesson.videoId, base, resumeAt) };
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
      {video ? <LecturePlayer video={video} title={title} progressUrl={`/lessons/${lessonId}/progress`} /> : <p>{t('lesson.noVideo')}</p>}
    </article>
  );
}
