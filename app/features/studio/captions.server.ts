import { and, eq, inArray } from 'drizzle-orm';
import { parseWebVtt, srtToWebVtt, type CaptionProblem } from '../../../media/captions.js';
import { videos, type VideoCaption } from '../../../db/schema/index.js';
import { pendingCaptionLanguages, pendingCaptionsPrefix, publishCaptions, publishPendingCaptions } from '../../../workers/captions.js';
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
