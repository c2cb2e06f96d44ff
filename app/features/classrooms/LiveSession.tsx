import { useRef, type ReactNode } from 'react';
import { useT } from '../i18n/i18n.js';
import { LivePicture } from './LivePicture.js';
import { SyncedVideo, type ScreenFigures } from './SyncedVideo.js';
import type { SessionView } from './session-view.js';
import { useServerClock, type ServerClock } from './useServerClock.js';
import { useSessionStream } from './useSessionStream.js';
import { useStatusReports } from './useStatusReports.js';

/** The part console and screen share: the live stream, the server clock, the synchronised video. */
export function LiveSession({ sessionId, classroomId, initial, video, title, children }: { sessionId: string; classroomId: string | null; initial: SessionView; video: { base: string } | null; title: string; children: (view: SessionView, clock: ServerClock) => ReactNode }) {
  const t = useT();
  const query = classroomId ? `?classroom=${classroomId}` : '';
  const { view, connected } = useSessionStream(`/classroom/sessions/${sessionId}/events${query}`, initial);
  const clock = useServerClock();
  const figures = useRef<ScreenFigures>({ driftMs: null, bufferSeconds: null, rung: null, buffering: false });
  useStatusReports(sessionId, classroomId, clock, figures);
  return (
    <>
      <p className={connected ? 'pill ok' : 'pill'} role="status" data-testid="stream-status">
        {connected ? t('classroom.connected') : t('classroom.reconnecting')}
      </p>
      <div className="stage">
        {video ? <SyncedVideo base={video.base} title={title} state={view.state} previous={view.previous} clock={clock} figures={figures} prefetch={view.status === 'scheduled'} /> : <p>{t('classroom.noVideo')}</p>}
        {/* The teacher's live picture never replaces the synchronised video: it sits in its corner. The console plays it muted. */}
        {view.live ? <LivePicture key={view.live.broadcastId} sessionId={sessionId} live={view.live} muted={classroomId === null} /> : null}
      </div>
      {children(view, clock)}
    </>
  );
}
