import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { parseWebVtt, srtToWebVtt, type CaptionProblem } from '../../../media/captions.js';
import { subtitlePlaylist, withSubtitles } from '../../../media/hls-subtitles.js';
import { videos, type VideoCaption } from '../../../db/schema/index.js';
import { mediaPaths } from '../../../workers/runtime/media-paths.js';
import { getEnv } from '../../env.server.js';
import { getServices } from '../../services.server.js';
import { CAPTION_TRACK_NAMES } from '../learning/caption-tracks.js';


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
  const tracks = captions.map((c) => ({ language: c.language, name: CAPTION_TRACK_NAMES[c.language], uri: `subs/${c.language}.m3u8` }));
  await writeAtomically(masterFile, withSubtitles(await readFile(masterFile, 'utf8'), tracks));
  await db.update(videos).set({ captions, updatedAt: new Date() }).where(eq(videos.id, videoId));
  return { kind: 'ok', cues: parsed.cues.length };
}
