// What the viewer picked, remembered per device: rural students on metered data should
// not have to choose "data saver" again on every lesson.
export const QUALITY_KEY = 'edu.player.quality';
export const BANDWIDTH_KEY = 'edu.player.bandwidth';
/** A cautious first guess (bit/s) for a device we know nothing about: a shared 2G/3G link. */
export const FIRST_BANDWIDTH_ESTIMATE = 150_000;
export const DATA_SAVER_MAX_HEIGHT = 240;

export type Quality = { kind: 'auto' } | { kind: 'saver' } | { kind: 'audio' } | { kind: 'rung'; height: number };

export function parseQuality(stored: string | null): Quality {
  if (stored === 'saver' || stored === 'audio') return { kind: stored };
  const rung = /^(\d{2,4})p$/.exec(stored ?? '');
  return rung ? { kind: 'rung', height: Number(rung[1]) } : { kind: 'auto' };
}

export function qualityValue(q: Quality): string {
  return q.kind === 'rung' ? `${q.height}p` : q.kind;
}

/** The highest level index a data-saver viewer may get (levels sorted by bitrate, low first). */
export function saverCap(levelHeights: number[]): number {
  let cap = 0;
  levelHeights.forEach((h, i) => {
    if (h <= DATA_SAVER_MAX_HEIGHT) cap = i;
  });
  return cap;
}

export function rememberedBandwidth(stored: string | null): number {
  const n = Number(stored);
  return Number.isFinite(n) && n > 10_000 ? n : FIRST_BANDWIDTH_ESTIMATE;
}

/**
 * Where a browser that plays HLS itself (Safari and iOS without MediaSource) starts,
 * relative to the ladder's `hls/` folder: its own player picks rungs from the master
 * playlist only, so a fixed choice, data saver and sound only are honoured by handing it
 * that one rung's playlist.
 */
export function nativePlaylist(quality: Quality, renditions: readonly { name: string; height: number | null }[]): string {
  const rungs = renditions.filter((r): r is { name: string; height: number } => r.height !== null).sort((a, b) => a.height - b.height);
  const rung = quality.kind === 'rung' ? rungs.find((r) => r.height === quality.height)
    : quality.kind === 'saver' ? rungs.filter((r) => r.height <= DATA_SAVER_MAX_HEIGHT).at(-1) ?? rungs[0]
      : quality.kind === 'audio' ? renditions.find((r) => r.name === 'audio') : undefined;
  return rung ? `${rung.name}/index.m3u8` : 'master.m3u8';
}
