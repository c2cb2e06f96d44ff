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
