import { useRouteLoaderData } from '@remix-run/react';
import { useEffect, type RefObject } from 'react';
import type { Range } from '../../features/learning/watched-ranges.js';

const REPORT_EVERY_MS = 15_000;

/**
 * Collects the stretches actually played (not skipped over) and reports them with the
 * position every 15 s and when the page is hidden or closed (sendBeacon survives that).
 */
export function useWatchReporting(video: RefObject<HTMLVideoElement | null>, { videoId, url }: { videoId: string; url: string }) {
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
    const send = (beacon: boolean) => {
      const playing = !el.paused;
      closeRange();
      if (pending.length === 0 && Math.abs(el.currentTime - lastSentPosition) < 1) return void (playing && open());
      const body = new FormData();
      body.set('csrf', csrf);
      body.set('videoId', videoId);
      body.set('positionSeconds', el.currentTime.toFixed(1));
      body.set('ranges', JSON.stringify(pending.map(([s, e]) => [Number(s.toFixed(1)), Number(e.toFixed(1))])));
      pending = [];
      lastSentPosition = el.currentTime;
      if (beacon && navigator.sendBeacon) navigator.sendBeacon(url, body);
      else void fetch(url, { method: 'POST', body, keepalive: true, credentials: 'same-origin' }).catch(() => {});
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
  }, [video, videoId, url, csrf]);
}
