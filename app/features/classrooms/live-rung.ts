// Which live rung a classroom plays (decision 021): the 240p picture when the link carries
// it, the audio-only rung when it does not. The teacher's voice matters more than their
// face, so a screen that stalls drops to audio at once and climbs back only after a
// minute of clear playback with room to spare.

/** Declared bandwidth of the 240p rung (video 150k + audio 32k + fMP4 overhead), bits/s. */
export const VIDEO_RUNG_BPS = 200_000;
/** Stalls within STALL_WINDOW_MS that send a screen to audio only. */
export const STALLS_FOR_AUDIO = 2;
export const STALL_WINDOW_MS = 30_000;
/** Clear playback needed before trying the picture again. */
export const RECOVERY_MS = 60_000;

export type LiveRungChoice = 'audio' | '240p';

export type LinkFigures = {
  hasVideo: boolean;
  current: LiveRungChoice;
  /** Measured throughput (hls.js estimate, or the browser's downlink) in bits/s; null before any. */
  bandwidthBps: number | null;
  /** When playback stalled, most recent last (ms on the page clock). */
  stallsAt: readonly number[];
  /** When the current rung started playing. */
  since: number;
  now: number;
};

export function chooseLiveRung(f: LinkFigures): LiveRungChoice {
  if (!f.hasVideo) return 'audio';
  const recentStalls = f.stallsAt.filter((t) => f.now - t < STALL_WINDOW_MS).length;
  if (f.current === '240p') {
    if (recentStalls >= STALLS_FOR_AUDIO) return 'audio';
    // Under 1.2x the rung's rate the buffer drains on every busy moment.
    if (f.bandwidthBps !== null && f.bandwidthBps < VIDEO_RUNG_BPS * 1.2) return 'audio';
    return '240p';
  }
  const calm = f.now - f.since >= RECOVERY_MS && recentStalls === 0;
  return calm && f.bandwidthBps !== null && f.bandwidthBps >= VIDEO_RUNG_BPS * 2 ? '240p' : 'audio';
}

/** The first rung, from what the browser knows of its link before anything loads. */
export function initialLiveRung(hasVideo: boolean, downlinkMbps: number | undefined): LiveRungChoice {
  if (!hasVideo) return 'audio';
  return downlinkMbps !== undefined && downlinkMbps * 1e6 < VIDEO_RUNG_BPS * 1.2 ? 'audio' : '240p';
}
