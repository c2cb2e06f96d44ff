import { createHmac, timingSafeEqual } from 'node:crypto';
import { getEnv } from '../../env.server.js';
import { MEDIA_PREFIX, mediaExpiry, mediaSigningPayload } from './media-urls.js';

function signature(videoId: string, expires: number, secret: string): string {
  return createHmac('sha256', secret).update(mediaSigningPayload(videoId, expires)).digest('base64url').slice(0, 32);
}

/** The signed folder URL for one video, handed only to people allowed to watch it. */
export function signedMediaBase(videoId: string, now = new Date()): string {
  const expires = mediaExpiry(now);
  return `${MEDIA_PREFIX}/${videoId}/${expires}/${signature(videoId, expires, getEnv().SESSION_SECRET)}/`;
}

export function verifyMediaSignature(videoId: string, expires: number, given: string, secret: string, now = Date.now()): boolean {
  if (!(expires * 1000 > now)) return false;
  const expected = Buffer.from(signature(videoId, expires, secret));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
