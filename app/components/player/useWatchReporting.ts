import { useRouteLoaderData } from '@remix-run/react';
import { useEffect, type RefObject } from 'react';
import { mergeRanges, type Range } from '../../features/learning/watched-ranges.js';

const REPORT_EVERY_MS = 15_000;
/** The server takes at most this many ranges per report; the rest go with the next. */
const RANGES_PER_REPORT = 200;

/**
 * Ranges not known to have reached the server, kept on the device: a report that failed
 * (the link dropped while the buffer played on) or a beacon, whose fate is never known.
 * Every later report carries them again (the server merges ranges, so a repeat is
 * harmless) until one is answered, on this visit or the next. Kept per viewer (a hash
 * from the server): on a shared computer, nobody sends another student's ranges.
 */
function unsentStore(viewerKey: string, videoId: string) {
  const key = `edu.player.unsent.${viewerKey}.${videoId}`;
  const read = (): Range[] => {
    try {
      const value = JSON.parse(localStorage.getItem(key) ?? '[]') as unknown;
      return Array.isArray(value) ? value.filter((r): r is Range => Array.isArray(r) && r.length === 2 && r.every((n) => typeof n === 'number')) : [];
    } catch {
      return [];
    }
  };
  return {
    read,
    keep(ranges: Range[]) {
      try {
        localStorage.setItem(key, JSON.stringify(mergeRanges([...read(), ...ranges], Infinity).slice(0, RANGES_PER_REPORT)));
      } catch {
        // Storage full or blocked: the ranges stay in memory for this visit only.
      }
    },
    clear() {
      try {
        localStorage.removeItem(key);
      } catch {
        // Blocked storage has nothing to clear.
      }
    },
  };
}

/**
 * Collects the stretches actually played (not skipped over) and reports them with the
 * position every 15 s and when the page is hidden or closed (sendBeacon survives that).
 * Nothing played is lost to a dropped link: unanswered ranges are sent again (unsentStore).
 */
export function useWatchReporting(video: RefObject<HTMLVideoElement | null>, { videoId, viewerKey, url }: { videoId: string; viewerKey: string; url: string }) {
  const root = useRouteLoaderData('root') as { csrfToken?: string } | undefined;
  const csrf = root?.csrfToken ?? '';
  useEffect(() => {
    const el = video.current;
    if (!el) return;
    let pending: Range[] = [];
    let start: number | null = null;
    let lastSentPosition = -1;
    const closeRange = () => {
      if (start !== null && el.currentTime > start) pending.push([start, el.currentTime]);
      start = null;
    };
    const open = () => {
      if (!el.paused && !el.seeking) start = el.currentTime;
    };
    const unsent = unsentStore(viewerKey, videoId);
    const send = (beacon: boolean) => {
      const playing = !el.paused;
      closeRange();
      const stored = unsent.read();
      if (pending.length === 0 && stored.length === 0 && Math.abs(el.currentTime - lastSentPosition) < 1) return void (playing && open());
      const all = mergeRanges([...stored, ...pending], Infinity);
      const ranges = all.slice(0, RANGES_PER_REPORT);
      pending = all.slice(RANGES_PER_REPORT);
      const body = new FormData();
      body.set('csrf', csrf);
      body.set('videoId', videoId);
      body.set('positionSeconds', el.currentTime.toFixed(1));
      body.set('ranges', JSON.stringify(ranges.map(([s, e]) => [Number(s.toFixed(1)), Number(e.toFixed(1))])));
      lastSentPosition = el.currentTime;
      if (beacon && navigator.sendBeacon) {
        unsent.keep(ranges);
        navigator.sendBeacon(url, body);
      } else {
        const failed = () => {
          pending = mergeRanges([...pending, ...ranges], Infinity);
          unsent.keep(ranges);
          lastSentPosition = -1;
        };
        // An answer later than the next report counts as lost: the ranges go again with it
        // (the server merges ranges, so a report that did arrive is not counted twice).
        void fetch(url, { method: 'POST', body, keepalive: true, credentials: 'same-origin', signal: AbortSignal.timeout(REPORT_EVERY_MS) }).then(
          // A refusal (4xx) would be refused again; only a lost or failed answer is retried.
          (res) => (res.status >= 500 ? failed() : unsent.clear()),
          failed,
        );
      }
      if (playing) open();
    };
    const onHidden = () => document.visibilityState === 'hidden' && send(true);
    const onPageHide = () => send(true);
    const events: [string, () => void][] = [
      ['playing', open],
      ['seeked', open],
      ['pause', closeRange],
      ['seeking', closeRange],
      ['ended', () => send(false)],
    ];
    for (const [name, fn] of events) el.addEventListener(name, fn);
    document.addEventListener('visibilitychange', onHidden);
    window.addEventListener('pagehide', onPageHide);
    // The page starts playing before React arrives (first-frame.ts), and on a slow device
    // may have played a while (even to the end): what the element itself says it played
    // so far is counted, then tracking continues from here.
    for (let i = 0; i < el.played.length; i++) {
      if (el.played.end(i) > el.played.start(i)) pending.push([el.played.start(i), el.played.end(i)]);
    }
    open();
    const timer = setInterval(() => send(false), REPORT_EVERY_MS);
    return () => {
      clearInterval(timer);
      for (const [name, fn] of events) el.removeEventListener(name, fn);
      document.removeEventListener('visibilitychange', onHidden);
      window.removeEventListener('pagehide', onPageHide);
      send(true);
    };
  }, [video, videoId, viewerKey, url, csrf]);
}
