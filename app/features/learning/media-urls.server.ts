import { createHmac, timingSafeEqual } from 'node:crypto';
import { getEnv } from '../../env.server.js';
import { LIVE_MEDIA_PREFIX, MEDIA_PREFIX, mediaExpiry, mediaSigningPayload, SLIDES_PREFIX, type MediaScope } from './media-urls.js';

function signature(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 32);
}

const PREFIXES: Record<MediaScope, string> = { media: MEDIA_PREFIX, live: LIVE_MEDIA_PREFIX, slides: SLIDES_PREFIX };

/** `<prefix>/<id>/<expires>/<signature>/`: every relative URL below it is covered. */
function signedBase(scope: MediaScope, id: string, now: Date): string {
  const expires = mediaExpiry(now);
  return `${PREFIXES[scope]}/${id}/${expires}/${signature(mediaSigningPayload(id, expires, scope), getEnv().SESSION_SECRET)}/`;
}

function verify(scope: MediaScope, id: string, expires: number, given: string, secret: string, now: number): boolean {
  if (!(expires * 1000 > now)) return false;
  const expected = Buffer.from(signature(mediaSigningPayload(id, expires, scope), secret));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The signed folder URL for one video, handed only to people allowed to watch it. */
export function signedMediaBase(videoId: string, now = new Date()): string {
  return signedBase('media', videoId, now);
}

export function verifyMediaSignature(videoId: string, expires: number, given: string, secret: string, now = Date.now()): boolean {
  return verify('media', videoId, expires, given, secret, now);
}

/** The signed folder of a live session's slide images, handed only to its teacher and its classrooms' screens. */
export function signedSlidesBase(sessionId: string, now = new Date()): string {
  return signedBase('slides', sessionId, now);
}

export function verifySlidesSignature(sessionId: string, expires: number, given: string, secret: string, now = Date.now()): boolean {
  return verify('slides', sessionId, expires, given, secret, now);
}

/** The signed folder URL of a live broadcast, handed only to its session's teacher and scheduled classrooms (decision 021). */
export function signedLiveBase(broadcastId: string, now = new Date()): string {
  return signedBase('live', broadcastId, now);
}

export function verifyLiveSignature(broadcastId: string, expires: number, given: string, secret: string, now = Date.now()): boolean {
  return verify('live', broadcastId, expires, given, secret, now);
}
