// What a screen does when its video is off the shared timeline by `driftMs`
// (positive: the screen is behind). Thresholds, and where they come from:
// - below 60 ms nothing: Jellyfin SyncPlay's MaxAcceptedDelaySpeedToSync (60 ms); people
//   do not notice lip-sync offsets this small and the browser's own jitter is ~20-40 ms.
// - 60 ms up to 1 s: nudge the playback rate (Jellyfin's SpeedToSync; Syncplay slows to
//   0.95 for small desync), by drift / 2 s, capped at ±10 % so speech still sounds
//   natural (browsers keep the pitch); Jellyfin's speed is 1 + drift / SpeedToSyncTime.
// - from 1 s: seek. Syncplay rewinds at 4 s and Jellyfin switches method at 3 s; we seek
//   earlier because at the 10 % cap a 1 s gap already takes 10 s to close, and a
//   classroom of pupils is better served by one jump than by ten seconds of fast speech.
// - once nudging, keep on until within 20 ms (hysteresis, as Syncplay's slowdown reset
//   threshold stops slowing only well inside its start threshold), so measurement jitter
//   around 60 ms does not switch the rate on and off every few seconds.
// - while paused only a seek can help: from 40 ms.
// - after a seek, wait SEEK_COOLDOWN_MS before seeking again (HLS needs time to buffer the
//   new position; Jellyfin likewise waits between SkipToSync attempts).
export const DRIFT_IGNORE_MS = 60;
export const DRIFT_SETTLED_MS = 20;
export const DRIFT_SEEK_MS = 1_000;
export const PAUSED_SEEK_MS = 40;
export const RATE_CORRECTION_WINDOW_MS = 2_000;
export const MAX_RATE_DEVIATION = 0.1;
export const SEEK_COOLDOWN_MS = 2_000;

export type Correction = { kind: 'none' } | { kind: 'rate'; rate: number } | { kind: 'seek' };

export function decideCorrection(input: { driftMs: number; playing: boolean; buffering: boolean; msSinceLastSeek: number; correcting?: boolean }): Correction {
  const { driftMs, playing, buffering, msSinceLastSeek, correcting = false } = input;
  const size = Math.abs(driftMs);
  if (buffering) return { kind: 'none' };
  if (!playing) return size >= PAUSED_SEEK_MS ? { kind: 'seek' } : { kind: 'none' };
  if (size >= DRIFT_SEEK_MS) return msSinceLastSeek >= SEEK_COOLDOWN_MS ? { kind: 'seek' } : { kind: 'none' };
  if (size < (correcting ? DRIFT_SETTLED_MS : DRIFT_IGNORE_MS)) return { kind: 'none' };
  const deviation = Math.max(-MAX_RATE_DEVIATION, Math.min(MAX_RATE_DEVIATION, driftMs / RATE_CORRECTION_WINDOW_MS));
  return { kind: 'rate', rate: 1 + deviation };
}
