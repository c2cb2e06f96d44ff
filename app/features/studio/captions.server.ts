import { text } from 'node:stream/consumers';
import { and, eq } from 'drizzle-orm';
import { parseWebVtt, srtToWebVtt, type CaptionCue, type CaptionProblem } from '../../../media/captions.js';
import { refreshCourseSearch } from '../../../db/course-search.js';
import { subtitlePlaylist, withSubtitles } from '../../../media/hls-subtitles.js';
import { lessons, videos, type VideoCaption } from '../../../db/schema/index.js';
import { MASTER_PLAYLIST } from '../../../media/ladder-command.js';
import { videoKeys } from '../../../workers/storage/index.js';
import { getMediaStorage } from '../learning/media-storage.server.js';
import { getServices } from '../../services.server.js';
import { CAPTION_TRACK_NAMES } from '../learning/caption-tracks.js';


export type AttachOutcome = { kind: 'ok'; cues: number } | { kind: 'bad-file'; problem: CaptionProblem } | { kind: 'no-video' };

/**
 * Checks a WebVTT or SubRip file (SubRip is converted), stores it beside the ladder as an
 * HLS subtitle rendition and re-announces every caption language in the master playlist.
 * A bad file changes nothing and names its first wrong line.
 */
export async function attachCaptions(lessonId: string, videoId: string, language: VideoCaption['language'], fileText: string): Promise<AttachOutcome> {
  const { db } = getServices();
  const [video] = await db
    .select({ captions: videos.captions, durationSeconds: videos.durationSeconds })
    .from(videos)
    .where(and(eq(videos.id, videoId), eq(videos.lessonId, lessonId), eq(videos.status, 'ready')));
  if (!video) return { kind: 'no-video' };
  const body = fileText.replace(/^\uFEFF/, '');
  const parsed = /^WEBVTT/.test(body) ? parseWebVtt(body) : srtToWebVtt(body);
  if (!parsed.ok) return { kind: 'bad-file', problem: parsed.problem };

  const storage = getMediaStorage();
  const ladder = videoKeys.ladder(videoId);
  await storage.put(`${ladder}subs/${language}.vtt`, Buffer.from(parsed.vtt));
  await storage.put(`${ladder}subs/${language}.m3u8`, Buffer.from(subtitlePlaylist(`${language}.vtt`, video.durationSeconds ?? 0)));
  const captions = [...video.captions.filter((c) => c.language !== language), { language, cues: parsed.cues.length }].sort((a, b) =>
    a.language.localeCompare(b.language),
  );
  const master = await storage.read(`${ladder}${MASTER_PLAYLIST}`);
  if (!master) return { kind: 'no-video' };
  const tracks = captions.map((c) => ({ language: c.language, name: CAPTION_TRACK_NAMES[c.language], uri: `subs/${c.language}.m3u8` }));
  await storage.put(`${ladder}${MASTER_PLAYLIST}`, Buffer.from(withSubtitles(await text(master.body), tracks)));
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
  const spoken = cues
    .map((c) => c.text.replace(/<[^>]*>/g, ''))
    .join('\n')
    .slice(0, maxIndexedCaptionChars);
  const [lesson] = await db.update(lessons).set({ captionText: spoken }).where(eq(lessons.id, lessonId)).returning({ courseId: lessons.courseId });
  if (lesson) await refreshCourseSearch(db, lesson.courseId);
}
