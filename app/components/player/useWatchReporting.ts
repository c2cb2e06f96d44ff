import { useRouteLoaderData } from '@remix-run/react';
import { useEffect, type RefObject } from 'react';
import { mergeRanges, type Range } from '../../features/learning/watched-ranges.js';
import { RANGES_PER_REPORT, unsentReports } from './unsent-reports.js';

const REPORT_EVERY_MS = 15_000;

function deviceStorage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}

/**
 * Collects the stretches actually played (not skipped over) and reports them with the
 * position every 15 s and when the page is hidden or closed (sendBeacon survives that),
 * each under the playback run the page was handed (`run`; null for a teacher's preview,
 * which reports nothing). Nothing played is lost to a dropped link: unanswered ranges are
 * kept on the device with their run and sent again, on this visit or the next, under that
 * same run, so the server can tell they were played back then (unsent-reports.ts).
 */
export function useWatchReporting(
  video: RefObject<HTMLVideoElement | null>,
  { videoId, viewerKey, url, run }: { videoId: string; viewerKey: string; url: string; run: string | null },
) {
  const root = useRouteLoaderData('root') as { csrfToken?: string } | undefined;
  const csrf = root?.csrfToken ?? '';
  useEffect(() => {
    const el = video.current;
    if (!el || !run) return;
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
    // Per viewer (a hash from the server): on a shared computer, nobody sends another student's ranges.
    const unsent = unsentReports(deviceStorage(), `edu.player.unsent.${viewerKey}.${videoId}`);
    const post = (reportRun: string, ranges: Range[], beacon: boolean) => {
      const body = new FormData();
      body.set('csrf', csrf);
      body.set('videoId', videoId);
      body.set('run', reportRun);
      body.set('positionSeconds', el.currentTime.toFixed(1));
      body.set('ranges', JSON.stringify(ranges.map(([s, e]) => [Number(s.toFixed(1)), Number(e.toFixed(1))])));
      if (beacon && navigator.sendBeacon) {
        unsent.keep(reportRun, ranges);
        navigator.sendBeacon(url, body);
        return;
      }
      const failed = () => {
        if (reportRun === run) pending = mergeRanges([...pending, ...ranges], Infinity);
        unsent.keep(reportRun, ranges);
        lastSentPosition = -1;
      };
      const answered = async (res: Response) => {
        if (res.status >= 500) return failed();
        // More than twice the run's time so far (a speed above 2x): the same ranges fit later.
        const answer = res.ok ? ((await res.json().catch(() => ({}))) as { overBudget?: boolean }) : {};
        // A refusal (4xx) would be refused again; only a lost, failed or early report is retried.
        if (answer.overBudget) unsent.keep(reportRun, ranges);
        else unsent.delivered(reportRun, ranges);
      };
      // An answer later than the next report counts as lost: the ranges go again with it
      // (the server merges ranges, so a report that did arrive is not counted twice).
      void fetch(url, { method: 'POST', body, keepalive: true, credentials: 'same-origin', signal: AbortSignal.timeout(REPORT_EVERY_MS) }).then(answered, failed);
    };
    const send = (beacon: boolean) => {
      const playing = !el.paused;
      closeRange();
      const stored = unsent.read();
      // Earlier pages' runs first, each in a report of its own.
      for (const [earlier, ranges] of stored) if (earlier !== run) post(earlier, ranges, beacon);
      const own = stored.find(([r]) => r === run)?.[1] ?? [];
      if (pending.length === 0 && own.length === 0 && Math.abs(el.currentTime - lastSentPosition) < 1) return void (playing && open());
      const all = mergeRanges([...own, ...pending], Infinity);
      pending = all.slice(RANGES_PER_REPORT);
      lastSentPosition = el.currentTime;
      post(run, all.slice(0, RANGES_PER_REPORT), beacon);
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
  }, [video, videoId, viewerKey, url, csrf, run]);
}
