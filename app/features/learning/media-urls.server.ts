import { createHmac, timingSafeEqual } from 'node:crypto';
import { getEnv } from '../../env.server.js';
import { LIVE_MEDIA_PREFIX, MEDIA_PREFIX, mediaExpiry, mediaSigningPayload, type MediaScope } from './media-urls.js';

function signature(id: string, expires: number, secret: string, scope: MediaScope): string {
  return createHmac('sha256', secret).update(mediaSigningPayload(id, expires, scope)).digest('base64url').slice(0, 32);
}

/** The signed folder URL for one video, handed only to people allowed to watch it. */
export function signedMediaBase(videoId: string, now = new Date()): string {
  const expires = mediaExpiry(now);
  return `${MEDIA_PREFIX}/${videoId}/${expires}/${signature(videoId, expires, getEnv().SESSION_SECRET, 'media')}/`;
}

/** The signed folder URL of a live broadcast, handed only to its session's teacher and scheduled classrooms. */
export function signedLiveBase(broadcastId: string, now = new Date()): string {
  const expires = mediaExpiry(now);
  return `${LIVE_MEDIA_PREFIX}/${broadcastId}/${expires}/${signature(broadcastId, expires, getEnv().SESSION_SECRET, 'live')}/`;
}

export function verifyMediaSignature(id: string, expires: number, given: string, secret: string, now = Date.now(), scope: MediaScope = 'media'): boolean {
  if (!(expires * 1000 > now)) return false;
  const expected = Buffer.from(signature(id, expires, secret, scope));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
