import { useEffect, useRef } from 'react';
import { useRouteLoaderData } from '@remix-run/react';
import type { ScreenFigures } from './SyncedVideo.js';
import type { ServerClock } from './useServerClock.js';

/** How often a screen tells the teacher's panel its round trip, buffer, rung and drift. */
export const STATUS_REPORT_MS = 10_000;

/** A receiving screen's figures for the teacher's connection panel: every 10 s, and at once when buffering starts or ends. */
export function useStatusReports(sessionId: string, classroomId: string | null, clock: ServerClock, figures: React.MutableRefObject<ScreenFigures>) {
  const csrf = (useRouteLoaderData('root') as { csrfToken?: string } | undefined)?.csrfToken ?? '';
  const lastBuffering = useRef(false);
  useEffect(() => {
    if (!classroomId) return;
    let last = 0;
    const send = () => {
      const f = figures.current;
      const body = new FormData();
      body.set('csrf', csrf);
      body.set('intent', 'status');
      body.set('classroom', classroomId);
      body.set('buffering', f.buffering ? '1' : '0');
      const rtt = clock.rttMs();
      if (rtt !== null) body.set('rttMs', String(Math.round(rtt)));
      if (f.bufferSeconds !== null) body.set('bufferSeconds', String(f.bufferSeconds));
      if (f.driftMs !== null) body.set('driftMs', String(f.driftMs));
      if (f.rung) body.set('rung', f.rung);
      last = Date.now();
      lastBuffering.current = f.buffering;
      void fetch(`/classroom/sessions/${sessionId}/commands`, { method: 'POST', body }).catch(() => {});
    };
    const timer = setInterval(() => {
      if (figures.current.buffering !== lastBuffering.current || Date.now() - last >= STATUS_REPORT_MS) send();
    }, 500);
    return () => clearInterval(timer);
  }, [sessionId, classroomId, clock, figures, csrf]);
}
