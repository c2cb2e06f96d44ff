import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { parseWebVtt, srtToWebVtt, type CaptionCue, type CaptionProblem } from '../../../media/captions.js';
import { refreshCourseSearch } from '../../../db/course-search.js';
import { subtitlePlaylist, withSubtitles } from '../../../media/hls-subtitles.js';
import { lessons, videos, type VideoCaption } from '../../../db/schema/index.js';
import { mediaPaths } from '../../../workers/runtime/media-paths.js';
import { getEnv } from '../../env.server.js';
import { getServices } from '../../services.server.js';

const trackNames: Record<VideoCaption['language'], string> = { 'zh-CN': '中文', en: 'English' };

export type AttachOutcome = { kind: 'ok'; cues: number } | { kind: 'bad-file'; problem: CaptionProblem } | { kind: 'no-video' };

async function writeAtomically(file: string, text: string) {
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}

/**
 * Checks a WebVTT or SubRip file (SubRip is converted), stores it beside the ladder as an
 * HLS subtitle rendition and re-announces every caption language in the master playlist.
 * A bad file changes nothing and names its first wrong line.
 */
export async function attachCaptions(lessonId: string, videoId: string, language: VideoCaption['language'], text: string): Promise<AttachOutcome> {
  const { db } = getServices();
  const [video] = await db
    .select({ captions: videos.captions, durationSeconds: videos.durationSeconds })
    .from(videos)
    .where(and(eq(videos.id, videoId), eq(videos.lessonId, lessonId), eq(videos.status, 'ready')));
  if (!video) return { kind: 'no-video' };
  const body = text.replace(/^\uFEFF/, '');
  const parsed = /^WEBVTT/.test(body) ? parseWebVtt(body) : srtToWebVtt(body);
  if (!parsed.ok) return { kind: 'bad-file', problem: parsed.problem };

  const ladder = mediaPaths(getEnv().MEDIA_ROOT).ladder(videoId);
  await mkdir(path.join(ladder, 'subs'), { recursive: true });
  await writeAtomically(path.join(ladder, 'subs', `${language}.vtt`), parsed.vtt);
  await writeAtomically(path.join(ladder, 'subs', `${language}.m3u8`), subtitlePlaylist(`${language}.vtt`, video.durationSeconds ?? 0));
  const captions = [...video.captions.filter((c) => c.language !== language), { language, cues: parsed.cues.length }].sort((a, b) =>
    a.language.localeCompare(b.language),
  );
  const masterFile = path.join(ladder, 'master.m3u8');
  const tracks = captions.map((c) => ({ language: c.language, name: trackNames[c.language], uri: `subs/${c.language}.m3u8` }));
  await writeAtomically(masterFile, withSubtitles(await readFile(masterFile, 'utf8'), tracks));
  await db.update(videos).set({ captions, updatedAt: new Date() }).where(eq(videos.id, videoId));
  await indexCaptionText(lessonId, language, parsed.cues, captions);
  return { kind: 'ok', cues: parsed.cues.length };
}

const maxIndexedCaptionChars = 200_000;

/**
 * What the lesson says becomes searchable: the Chinese captions' text (or the English
 * ones while there are no Chinese captions) is kept on the lesson and the course's search
 * tokens are rebuilt.
 */
async function indexCaptionText(lessonId: string, language: VideoCaption['language'], cues: readonly CaptionCue[], captions: readonly { language: string }[]) {
  if (language !== 'zh-CN' && captions.some((c) => c.language === 'zh-CN')) return;
  const { db } = getServices();
  const text = cues
    .map((c) => c.text.replace(/<[^>]*>/g, ''))
    .join('\n')
    .slice(0, maxIndexedCaptionChars);
  const [lesson] = await db.update(lessons).set({ captionText: text }).where(eq(lessons.id, lessonId)).returning({ courseId: lessons.courseId });
  if (lesson) await refreshCourseSearch(db, lesson.courseId);
}
