// Before-class prefetch (decision 023): a receiving screen stores the whole lesson video at
// its rung and every slide page in the Cache API; a small service worker answers from it.
// Signed URLs change every hour (expiry) and per page load, so entries are keyed by the URL
// with its expiry and signature taken out: what the signature protects was checked when
// the entry was fetched, by a screen of this session.

export const PREFETCH_CACHE = 'edu-classroom-prefetch-v1';
export const SERVICE_WORKER_PATH = '/classroom/sw.js';
export const SERVICE_WORKER_SCOPE = '/classroom/';

/** `/media/<id>/<expires>/<sig>/<rest>` → `/media/<id>/-/<rest>` (same for /slides); null for anything else. */
export function cacheKeyOf(url: string): string | null {
  const u = new URL(url, 'http://x');
  const m = /^\/(media|slides)\/([0-9a-f-]{36})\/\d+\/[\w-]+\/(.+)$/.exec(u.pathname);
  return m ? `/${m[1]}/${m[2]}/-/${m[3]}` : null;
}

export type PrefetchItem = { url: string; bytes: number };
export type PrefetchManifest = { rung: string | null; items: PrefetchItem[]; totalBytes: number };

const RUNG_KEY = 'edu-prefetch-rung:';
const videoIdOf = (url: string) => /^\/media\/([0-9a-f-]{36})\//.exec(new URL(url, 'http://x').pathname)?.[1] ?? null;

/** Remembers which rung of a video this machine prepared, so the player stays on it (and on the cache). */
export function rememberPreparedRung(manifest: PrefetchManifest) {
  const videoId = manifest.items.map((i) => videoIdOf(i.url)).find(Boolean);
  if (videoId && manifest.rung) localStorage.setItem(RUNG_KEY + videoId, manifest.rung);
}

export function preparedRung(videoBase: string): string | null {
  const videoId = videoIdOf(videoBase);
  return videoId && typeof localStorage !== 'undefined' ? localStorage.getItem(RUNG_KEY + videoId) : null;
}

/** "38.2" MB with one decimal, as the indicator shows it. */
export const megabytes = (bytes: number) => (Math.round((bytes / 1024 / 1024) * 10) / 10).toFixed(1);

/** The rung a screen prefetches: the one it last played, else the lowest picture rung (the audio-only rung is a last resort). */
export function chooseRung(available: string[], lastPlayed: string | null, asked: string | null): string | null {
  if (asked && available.includes(asked)) return asked;
  if (lastPlayed && available.includes(lastPlayed)) return lastPlayed;
  const picture = available.filter((r) => /^\d+p$/.test(r)).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
  return picture[0] ?? available[0] ?? null;
}
