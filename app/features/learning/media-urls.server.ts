import { createHmac, timingSafeEqual } from 'node:crypto';
import { getEnv } from '../../env.server.js';
import { LIVE_MEDIA_PREFIX, MEDIA_PREFIX, mediaExpiry, mediaSigningPayload, SLIDES_PREFIX, slidesSigningPayload } from './media-urls.js';

function signature(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 32);
}

function verify(payload: string, expires: number, given: string, secret: string, now: number): boolean {
  if (!(expires * 1000 > now)) return false;
  const expected = Buffer.from(signature(payload, secret));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The signed folder URL for one video, handed only to people allowed to watch it. */
export function signedMediaBase(videoId: string, now = new Date()): string {
  const expires = mediaExpiry(now);
  return `${MEDIA_PREFIX}/${videoId}/${expires}/${signature(mediaSigningPayload(videoId, expires), getEnv().SESSION_SECRET)}/`;
}

export function verifyMediaSignature(videoId: string, expires: number, given: string, secret: string, now = Date.now()): boolean {
  return verify(mediaSigningPayload(videoId, expires), expires, given, secret, now);
}

/** The signed folder of a live session's slide images, handed only to its teacher and its classrooms' screens. */
export function signedSlidesBase(sessionId: string, now = new Date()): string {
  const expires = mediaExpiry(now);
  return `${SLIDES_PREFIX}/${sessionId}/${expires}/${signature(slidesSigningPayload(sessionId, expires), getEnv().SESSION_SECRET)}/`;
}

export function verifySlidesSignature(sessionId: string, expires: number, given: string, secret: string, now = Date.now()): boolean {
  return verify(slidesSigningPayload(sessionId, expires), expires, given, secret, now);
}

/** The signed folder URL of a live broadcast, handed only to its session's teacher and scheduled classrooms (decision 021). */
export function signedLiveBase(broadcastId: string, now = new Date()): string {
  const expires = mediaExpiry(now);
  return `${LIVE_MEDIA_PREFIX}/${broadcastId}/${expires}/${signature(mediaSigningPayload(broadcastId, expires, 'live'), getEnv().SESSION_SECRET)}/`;
}

export function verifyLiveSignature(broadcastId: string, expires: number, given: string, secret: string, now = Date.now()): boolean {
  return verify(mediaSigningPayload(broadcastId, expires, 'live'), expires, given, secret, now);
}
