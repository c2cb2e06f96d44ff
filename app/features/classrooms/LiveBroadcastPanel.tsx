import { useEffect, useState } from 'react';
import { useRouteLoaderData } from '@remix-run/react';
import { useT, type MessageKey } from '../i18n/i18n.js';
import { livePath, type LiveStatus } from './live-commands.js';
import type { SessionView } from './session-view.js';
import { LIVE_REQUEST_TIMEOUT_MS, useBroadcaster } from './useBroadcaster.js';

const RECORDING_POLL_MS = 3_000;

/** The recording's progress once the teacher is off air, until its lesson video is ready or failed. */
function useRecordingStatus(sessionId: string, watching: boolean) {
  const [latest, setLatest] = useState<LiveStatus['latest']>(null);
  useEffect(() => {
    if (!watching) return;
    let stop = false;
    const poll = async () => {
      // A poll that gets no answer is dropped, not waited on: the next one follows.
      const s = (await fetch(livePath(sessionId), { signal: AbortSignal.timeout(LIVE_REQUEST_TIMEOUT_MS) }).then((r) => r.json() as Promise<LiveStatus>).catch(() => undefined));
      if (stop) return;
      if (s !== undefined) setLatest(s?.latest ?? null);
      const done = s?.latest && (s.latest.videoStatus === 'ready' || s.latest.videoStatus === 'failed' || s.latest.status === 'failed');
      if (!done) setTimeout(() => void poll(), RECORDING_POLL_MS);
    };
    void poll();
    return () => {
      stop = true;
    };
  }, [sessionId, watching]);
  return latest;
}

/**
 * The teacher's on-air switch: microphone, optional camera, a clear live indicator, a
 * microphone level meter, errors in words, and afterwards where the recording went.
 */
export function LiveBroadcastPanel({ sessionId, view }: { sessionId: string; view: SessionView }) {
  const t = useT();
  const csrf = (useRouteLoaderData('root') as { csrfToken?: string } | undefined)?.csrfToken ?? '';
  const { phase, error, level, backlog, start, stop } = useBroadcaster(sessionId, csrf);
  const [camera, setCamera] = useState(true);
  const recording = useRecordingStatus(sessionId, phase === 'stopped');
  const onAir = phase === 'live';
  const ended = view.status === 'ended';

  useEffect(() => {
    if (ended && phase === 'live') void stop();
  }, [ended, phase, stop]);

  return (
    <section className="panel" aria-labelledby="live-title">
      <h2 id="live-title">{t('classroom.live.title')}</h2>
      <noscript>
        <p>{t('classroom.live.needsScript')}</p>
      </noscript>
      {onAir ? (
        <p className="pill on-air" role="status" data-testid="on-air">
          <span className="live-dot" aria-hidden="true" /> {t('classroom.live.onAir')}
          {backlog > 2 ? ` · ${t('classroom.live.backlog', { count: backlog })}` : ''}
        </p>
      ) : null}
      {onAir ? (
        <p>
          <label htmlFor="mic-level">{t('classroom.live.micLevel')}</label>{' '}
          <meter id="mic-level" min={0} max={1} low={0.05} high={0.9} optimum={0.4} value={level} data-testid="mic-level" />
        </p>
      ) : null}
      {error ? (
        <p className="live-error" role="alert" data-testid="live-error">
          {t(`classroom.live.error.${error}` as MessageKey)}
        </p>
      ) : null}
      <div className="row-form">
        {phase === 'idle' || phase === 'stopped' ? (
          <>
            <label>
              <input type="checkbox" checked={camera} onChange={(e) => setCamera(e.currentTarget.checked)} /> {t('classroom.live.withCamera')}
            </label>
            <button type="button" className="button" disabled={ended} onClick={() => void start(camera)}>
              {t('classroom.live.start')}
            </button>
          </>
        ) : (
          <button type="button" className="button danger" disabled={phase !== 'live'} onClick={() => void stop()}>
            {phase === 'starting' ? t('classroom.live.starting') : phase === 'stopping' ? t('classroom.live.stopping') : t('classroom.live.stop')}
          </button>
        )}
      </div>
      {phase === 'stopped' && recording ? (
        <p role="status" data-testid="recording-status">
          {recording.videoStatus === 'ready' && recording.recordingLessonId ? (
            <>
              {t('classroom.live.recordingReady')} <a href={`/studio/lessons/${recording.recordingLessonId}`}>{t('classroom.live.openRecording')}</a>
            </>
          ) : recording.status === 'failed' || recording.videoStatus === 'failed' ? (
            t('classroom.live.recordingFailed')
          ) : (
            t('classroom.live.recordingProcessing')
          )}
        </p>
      ) : null}
    </section>
  );
}
