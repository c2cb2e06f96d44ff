import { text } from 'node:stream/consumers';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { refreshCourseSearch } from '../db/course-search.js';
import { lessons, videos, type VideoCaption } from '../db/schema/index.js';
import { parseWebVtt, type CaptionCue } from '../media/captions.js';
import { CAPTION_TRACK_NAMES, subtitlePlaylist, withSubtitles } from '../media/hls-subtitles.js';
import { MASTER_PLAYLIST } from '../media/ladder-command.js';
import { videoKeys, type MediaStorage } from './storage/index.js';

/**
 * Captions beside a published ladder, shared by the studio (captions added to a ready
 * video) and the worker (captions a teacher added while the video was still encoding,
 * published with it). Every step overwrites, so publishing a language twice is harmless.
 */

type Deps = { db: Database; storage: MediaStorage };
type Language = VideoCaption['language'];

/** Where a checked WebVTT waits for its video to be published. */
export const pendingCaptionsPrefix = (videoId: string) => `${videoKeys.video(videoId)}captions-pending/`;

/**
 * Stores the WebVTT as an HLS subtitle rendition and re-announces every caption language in
 * the master playlist; the lesson's searchable caption text follows. `no-ladder` when the
 * video has no master playlist (not published, or its files are gone).
 */
export async function publishCaptions(deps: Deps, videoId: string, language: Language, vtt: string, cues: readonly CaptionCue[]): Promise<'ok' | 'no-ladder'> {
  const ladder = videoKeys.ladder(videoId);
  // The row lock keeps two publications (a teacher's, the worker's) from each rewriting
  // the master playlist and the caption list with only their own language.
  const done = await deps.db.transaction(async (tx) => {
    const [video] = await tx.select({ lessonId: videos.lessonId, captions: videos.captions, durationSeconds: videos.durationSeconds }).from(videos).where(eq(videos.id, videoId)).for('update');
    const master = video ? await deps.storage.read(`${ladder}${MASTER_PLAYLIST}`) : null;
    if (!video || !master) return null;
    const masterText = await text(master.body);
    await deps.storage.put(`${ladder}subs/${language}.vtt`, Buffer.from(vtt));
    await deps.storage.put(`${ladder}subs/${language}.m3u8`, Buffer.from(subtitlePlaylist(`${language}.vtt`, video.durationSeconds ?? 0)));
    const captions = [...video.captions.filter((c) => c.language !== language), { language, cues: cues.length }].sort((a, b) => a.language.localeCompare(b.language));
    const tracks = captions.map((c) => ({ language: c.language, name: CAPTION_TRACK_NAMES[c.language], uri: `subs/${c.language}.m3u8` }));
    await deps.storage.put(`${ladder}${MASTER_PLAYLIST}`, Buffer.from(withSubtitles(masterText, tracks)));
    await tx.update(videos).set({ captions, updatedAt: new Date() }).where(eq(videos.id, videoId));
    return { lessonId: video.lessonId, captions };
  });
  if (!done) return 'no-ladder';
  await indexCaptionText(deps.db, done.lessonId, language, cues, done.captions);
  return 'ok';
}

/** The languages of captions waiting for this video to be published. */
export async function pendingCaptionLanguages(storage: MediaStorage, videoId: string): Promise<Language[]> {
  const prefix = pendingCaptionsPrefix(videoId);
  return (await storage.list(prefix)).map((o) => languageOf(o.key.slice(prefix.length))).filter((l): l is Language => l !== null);
}

/** A pending file's language: one the player has a caption track name for. */
function languageOf(fileName: string): Language | null {
  const language = /^([\w-]+)\.vtt$/.exec(fileName)?.[1];
  return language !== undefined && Object.hasOwn(CAPTION_TRACK_NAMES, language) ? (language as Language) : null;
}

/** Captions added while the video was encoding: published now, then no longer pending. Returns their languages. */
export async function publishPendingCaptions(deps: Deps, videoId: string): Promise<Language[]> {
  const prefix = pendingCaptionsPrefix(videoId);
  const published: Language[] = [];
  for (const { key } of await deps.storage.list(prefix)) {
    const language = languageOf(key.slice(prefix.length));
    if (!language) continue;
    const file = await deps.storage.read(key);
    if (!file) continue;
    const parsed = parseWebVtt(await text(file.body));
    // Checked when the teacher sent it; a file that no longer parses is dropped, not published.
    if (parsed.ok && (await publishCaptions(deps, videoId, language, parsed.vtt, parsed.cues)) === 'ok') published.push(language);
    await deps.storage.remove([key]);
  }
  return published;
}

const maxIndexedCaptionChars = 200_000;

/**
 * What the lesson says becomes searchable: the Chinese captions' text (or the English
 * ones while there are no Chinese captions) is kept on the lesson and the course's search
 * tokens are rebuilt.
 */
async function indexCaptionText(db: Database, lessonId: string, language: Language, cues: readonly CaptionCue[], captions: readonly { language: string }[]) {
  if (language !== 'zh-CN' && captions.some((c) => c.language === 'zh-CN')) return;
  const spoken = cues
    .map((c) => c.text.replace(/<[^>]*>/g, ''))
    .join('\n')
    .slice(0, maxIndexedCaptionChars);
  const [lesson] = await db.update(lessons).set({ captionText: spoken }).where(eq(lessons.id, lessonId)).returning({ courseId: lessons.courseId });
  if (lesson) await refreshCourseSearch(db, lesson.courseId);
}
