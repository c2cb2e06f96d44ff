import { and, eq } from 'drizzle-orm';
import { sessionClassrooms } from '../../../db/schema/index.js';
import { slidePageFile } from '../../../media/slide-files.js';
import { videoKeys } from '../../../workers/storage/index.js';
import { getServices } from '../../services.server.js';
import { findLessonWithVideo } from '../learning/lesson.server.js';
import { getMediaStorage } from '../learning/media-storage.server.js';
import { signedMediaBase, signedSlidesBase } from '../learning/media-urls.server.js';
import type { SessionForUser } from './access.server.js';
import { chooseRung, type PrefetchItem, type PrefetchManifest } from './prefetch.js';
import { sessionDecks } from './slide-decks.server.js';

/**
 * Everything a receiving screen needs to play the lesson with no network: the master
 * playlist, every file of one rung (sizes from the storage listing), the poster and each
 * slide page, as signed URLs for this screen.
 */
export async function prefetchManifest(s: SessionForUser, classroomId: string, askedRung: string | null): Promise<PrefetchManifest> {
  const items: PrefetchItem[] = [];
  const lesson = await findLessonWithVideo(s.session.lessonId);
  let rung: string | null = null;
  if (lesson?.videoId) {
    const prefix = videoKeys.ladder(lesson.videoId);
    const files = await getMediaStorage().list(prefix);
    const rel = files.map((f) => ({ rest: f.key.slice(prefix.length), bytes: f.size }));
    const rungs = [...new Set(rel.filter((f) => f.rest.includes('/')).map((f) => f.rest.split('/')[0]!))];
    const [seen] = await getServices()
      .db.select({ rung: sessionClassrooms.rung })
      .from(sessionClassrooms)
      .where(and(eq(sessionClassrooms.sessionId, s.session.id), eq(sessionClassrooms.classroomId, classroomId)));
    rung = chooseRung(rungs, seen?.rung ?? null, askedRung);
    const base = signedMediaBase(lesson.videoId);
    // Top-level playlists (master, subtitles) and the chosen rung's playlist, init and segments.
    for (const f of rel) if (!f.rest.includes('/') || f.rest.startsWith(`${rung}/`)) items.push({ url: `${base}hls/${f.rest}`, bytes: f.bytes });
    const poster = await getMediaStorage().list(videoKeys.video(lesson.videoId)).then((all) => all.find((f) => f.key.endsWith('/poster.jpg')));
    if (poster) items.push({ url: `${base}poster.jpg`, bytes: poster.size });
  }
  const { deck } = await sessionDecks(s.session.id, 'screen');
  if (deck?.pageCount) {
    const base = signedSlidesBase(s.session.id);
    deck.pageBytes.forEach((bytes, i) => items.push({ url: `${base}${deck.id}/${slidePageFile(i + 1)}`, bytes }));
  }
  return { rung, items, totalBytes: items.reduce((sum, i) => sum + i.bytes, 0) };
}
