// Signed media paths: /media/<videoId>/<expires>/<signature>/<file>. The token sits in
// the path, so every relative URL inside a playlist (rungs, init segments, segments)
// resolves under it and hls.js needs no request rewriting.
export const MEDIA_PREFIX = '/media';
export const MEDIA_URL_TTL_HOURS = 6;

/** What a signature covers: a lesson video's folder, a live broadcast's or a session's slides (never one for another). */
export type MediaScope = 'media' | 'live' | 'slides';
export const LIVE_MEDIA_PREFIX = '/media/live';

/** A live session's slide images: /slides/<sessionId>/<expires>/<signature>/<deckId>/<file>. */
export const SLIDES_PREFIX = '/slides';

export function mediaSigningPayload(id: string, expires: number, scope: MediaScope = 'media'): string {
  return `${scope}:v1:${id}:${expires}`;
}

/** Expiry rounded up to the hour: the same URL all hour long, so caches can reuse segments. */
export function mediaExpiry(now: Date, ttlHours = MEDIA_URL_TTL_HOURS): number {
  const hour = 3600;
  return (Math.ceil(now.getTime() / 1000 / hour) + ttlHours) * hour;
}

/** Only ladder, poster and thumbnail files, with no way out of the video's folder. */
export function isServableMediaPath(rest: string): boolean {
  return /^(hls\/([\w-]+\/)?[\w.-]+\.(m3u8|m4s|mp4|vtt)|poster\.jpg|thumbnails\/[\w.-]+\.(jpg|vtt))$/.test(rest) && !rest.includes('..');
}

/** A live broadcast's rung playlists, init segments and segments (decision 021). */
export function isServableLivePath(rest: string): boolean {
  return /^(audio|240p)\/[\w-]+\.(m3u8|m4s|mp4)$/.test(rest);
}
