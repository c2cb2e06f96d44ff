// What the lesson player does when hls.js gives up (a fatal error, after its own retries).
// Rural links drop for minutes at a time: playback must pick up again by itself when the
// link returns, without a reload that would cost the student the page and its position.

/** The parts of hls.js's ErrorData the policy reads (kept apart so it is testable). */
export type PlayerError = {
  type: 'networkError' | 'mediaError' | 'keySystemError' | 'muxError' | 'otherError';
  /** HTTP status of the failed request; 0 or absent when no answer came (offline, timeout). */
  httpStatus?: number;
};

export type Recovery =
  /** The signed links expired (403): fetch the page's data again for new ones, then restart. */
  | { action: 'renew-links'; delayMs: 0; problem: 'retrying' }
  /** Wait, then ask hls.js to load again from where playback stands. */
  | { action: 'reload'; delayMs: number; problem: 'retrying' }
  /** The decoder choked on a segment: hls.js's own media recovery. */
  | { action: 'recover-media'; delayMs: 0; problem: null }
  /** Nothing will come by waiting: say so and offer a button. */
  | { action: 'give-up'; problem: 'missing' | 'failed' };

/** Retries wait 2, 4, 8, 16 and then 30 s each, for as long as the page is open. */
export const MAX_RETRY_DELAY_MS = 30_000;
/** Media errors recovered in a row before the player gives up. */
export const MAX_MEDIA_RECOVERIES = 2;

/**
 * `attempt` counts the failures since playback last made progress (1 for the first).
 * Network failures are retried for ever, since a link that comes back is the common case;
 * a missing file (404) or an expired link that renewing did not cure is not.
 */
export function recoveryFor(error: PlayerError, attempt: number): Recovery {
  if (error.type === 'networkError') {
    if (error.httpStatus === 404 || error.httpStatus === 410) return { action: 'give-up', problem: 'missing' };
    if (error.httpStatus === 403) return attempt <= 1 ? { action: 'renew-links', delayMs: 0, problem: 'retrying' } : { action: 'give-up', problem: 'failed' };
    return { action: 'reload', delayMs: Math.min(MAX_RETRY_DELAY_MS, 1000 * 2 ** Math.max(1, attempt)), problem: 'retrying' };
  }
  if (error.type === 'mediaError' && attempt <= MAX_MEDIA_RECOVERIES) return { action: 'recover-media', delayMs: 0, problem: null };
  return { action: 'give-up', problem: 'failed' };
}
