import { text } from 'node:stream/consumers';
import { and, eq, inArray } from 'drizzle-orm';
import { parseWebVtt, srtToWebVtt, type CaptionProblem } from '../../../media/captions.js';
import { videos, type VideoCaption } from '../../../db/schema/index.js';
import { pendingCaptionLanguages, pendingCaptionsPrefix, publishCaptions, publishPendingCaptions } from '../../../workers/captions.js';
import { videoKeys } from '../../../workers/storage/index.js';
import { getMediaStorage } from '../learning/media-storage.server.js';
import { getServices } from '../../services.server.js';

export type AttachOutcome = { kind: 'ok'; cues: number; pending: boolean } | { kind: 'bad-file'; problem: CaptionProblem } | { kind: 'no-video' };

/**
 * Checks a WebVTT or SubRip file (SubRip is converted). A ready video gets it at once as an
 * HLS subtitle rendition; a video still in the works keeps it until the worker publishes
 * the video, so a teacher can send the captions in the same sitting as the upload. A bad
 * file changes nothing and names its first wrong line.
 */
export async function attachCaptions(lessonId: string, videoId: string, language: VideoCaption['language'], fileText: string): Promise<AttachOutcome> {
  const { db } = getServices();
  const status = async () =>
    (await db.select({ status: videos.status }).from(videos).where(and(eq(videos.id, videoId), eq(videos.lessonId, lessonId), inArray(videos.status, ['queued', 'probing', 'processing', 'ready']))))[0]?.status;
  const before = await status();
  if (!before) return { kind: 'no-video' };
  const body = fileText.replace(/^\uFEFF/, '');
  const parsed = /^WEBVTT/.test(body) ? parseWebVtt(body) : srtToWebVtt(body);
  if (!parsed.ok) return { kind: 'bad-file', problem: parsed.problem };

  const deps = { db, storage: getMediaStorage() };
  if (before === 'ready') {
    return (await publishCaptions(deps, videoId, language, parsed.vtt, parsed.cues)) === 'ok' ? { kind: 'ok', cues: parsed.cues.length, pending: false } : { kind: 'no-video' };
  }
  await deps.storage.put(`${pendingCaptionsPrefix(videoId)}${language}.vtt`, Buffer.from(parsed.vtt));
  // The worker publishes pending captions before and again after it marks the video ready;
  // if that happened while this file was being checked or stored, publish it here.
  const now = await status();
  if (now === 'ready') await publishPendingCaptions(deps, videoId);
  if (!now) return { kind: 'no-video' };
  return { kind: 'ok', cues: parsed.cues.length, pending: now !== 'ready' };
}

/** Captions sent for a video still in the works, waiting to be published with it. */
export function pendingCaptions(videoId: string): Promise<VideoCaption['language'][]> {
  return pendingCaptionLanguages(getMediaStorage(), videoId);
}

/** Videos whose captions can be carried over: published, or replaced and not yet swept (a day). */
export const CAPTION_SOURCE_STATUSES = ['ready', 'replaced'] as const;

export type CopyOutcome = { kind: 'ok'; languages: VideoCaption['language'][]; pending: boolean } | { kind: 'no-source' } | { kind: 'no-video' };

/**
 * Carries the captions of an earlier video of the same lesson over to `videoId` (a new
 * upload of the same recording, after a files-missing notice say): each language goes
 * through attachCaptions, checked again, published now or with the video. Only when the
 * teacher asks: a new cut usually has other timings. `no-source` when the earlier
 * video's caption files are gone from storage.
 */
export async function copyCaptions(lessonId: string, videoId: string, fromVideoId: string): Promise<CopyOutcome> {
  const { db } = getServices();
  if (fromVideoId === videoId) return { kind: 'no-source' };
  const [from] = await db
    .select({ captions: videos.captions })
    .from(videos)
    .where(and(eq(videos.id, fromVideoId), eq(videos.lessonId, lessonId), inArray(videos.status, [...CAPTION_SOURCE_STATUSES])));
  if (!from || from.captions.length === 0) return { kind: 'no-source' };
  const storage = getMediaStorage();
  const files: { language: VideoCaption['language']; vtt: string }[] = [];
  for (const { language } of from.captions) {
    const file = await storage.read(`${videoKeys.ladder(fromVideoId)}subs/${language}.vtt`);
    if (!file) return { kind: 'no-source' };
    files.push({ language, vtt: await text(file.body) });
  }
  let pending = false;
  for (const { language, vtt } of files) {
    const outcome = await attachCaptions(lessonId, videoId, language, vtt);
    if (outcome.kind === 'no-video') return outcome;
    // Published by us: it parsed then, and the parser has not changed its mind since.
    if (outcome.kind === 'bad-file') return { kind: 'no-source' };
    pending ||= outcome.pending;
  }
  return { kind: 'ok', languages: files.map((f) => f.language), pending };
}
