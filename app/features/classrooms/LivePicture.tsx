import { useEffect, useRef, useState } from 'react';
import type Hls from 'hls.js';
import { useT } from '../i18n/i18n.js';
import { livePath, type LiveStatus } from './live-commands.js';
import { LIVE_HLS_CONFIG } from './live-player-config.js';
import { chooseLiveRung, initialLiveRung, type LiveRungChoice } from './live-rung.js';
import type { LiveView } from './session-view.js';
import { SoundButton } from './SoundButton.js';
import { reconnectDelay } from './backoff.js';

type Playlists = NonNullable<LiveStatus['live']>['playlists'];
const RUNG_CHECK_MS = 2_000;
const RETRY_MS = 1_000;
const STALL_MS = 1_000;
/** A status answer (a few hundred bytes) that takes longer has been lost. */
const STATUS_TIMEOUT_MS = 10_000;

/**
 * The teacher's live voice and picture beside the lesson video (picture-in-picture over
 * its corner on wide screens). The signed playlists come from the session's live route,
 * which only the teacher and the scheduled classrooms may read; a slow link gets the
 * audio-only rung. `muted` for the teacher's own console.
 */
export function LivePicture({ sessionId, live, muted }: { sessionId: string; live: LiveView; muted: boolean }) {
  const t = useT();
  const video = useRef<HTMLVideoElement>(null);
  const [playlists, setPlaylists] = useState<Playlists | null>(null);
  const [rung, setRung] = useState<LiveRungChoice>(() => initialLiveRung(live.withVideo, typeof navigator === 'undefined' ? undefined : (navigator as Navigator & { connection?: { downlink?: number } }).connection?.downlink));
  const [needsSound, setNeedsSound] = useState(false);
  const [ended, setEnded] = useState(false);
  // A fatal player error (the first segment not published yet, a web process restarting) starts a fresh player shortly.
  const [attempt, setAttempt] = useState(0);

  // The signed playlists, asked for until they come: one lost answer on a classroom's
  // link must not leave the screen without the teacher's voice for the whole broadcast.
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = async (attempt: number) => {
      const status = await fetch(livePath(sessionId), { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(STATUS_TIMEOUT_MS) })
        .then((r) => (r.ok ? (r.json() as Promise<LiveStatus>) : null))
        .catch(() => null);
      if (cancelled) return;
      if (status?.live?.broadcastId === live.broadcastId) return setPlaylists(status.live.playlists);
      // Not on air (yet) by this answer, or no answer: the session stream says it is.
      timer = setTimeout(() => void ask(attempt + 1), reconnectDelay(attempt));
    };
    void ask(0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [sessionId, live.broadcastId]);

  useEffect(() => {
    const el = video.current;
    const src = playlists ? (rung === '240p' && playlists.video ? playlists.video : playlists.audio) : null;
    if (!el || !src) return;
    let player: Hls | null = null;
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const stallsAt: number[] = [];
    const since = performance.now();
    // A stall is a wait of over a second once playing; the start and a brief wait at the live edge are not.
    let waitingSince: number | null = null;
    let started = false;
    const onWaiting = () => {
      if (started) waitingSince ??= performance.now();
    };
    const onPlaying = () => {
      started = true;
      if (waitingSince !== null && performance.now() - waitingSince >= STALL_MS) stallsAt.push(performance.now());
      waitingSince = null;
    };
    el.addEventListener('waiting', onWaiting);
    el.addEventListener('playing', onPlaying);
    const play = () =>
      el.play().catch((e: Error) => {
        if (e.name !== 'NotAllowedError' || muted) return;
        // Browsers refuse sound without a click: play muted and offer the button.
        el.muted = true;
        setNeedsSound(true);
        void el.play().catch(() => {});
      });
    void import('hls.js').then(({ default: HlsClass }) => {
      if (cancelled) return;
      if (!HlsClass.isSupported()) {
        el.src = src;
        void play();
        return;
      }
      player = new HlsClass(LIVE_HLS_CONFIG);
      player.on(HlsClass.Events.MANIFEST_PARSED, () => void play());
      player.on(HlsClass.Events.ERROR, (_e, data) => {
        if (!data.fatal || cancelled) return;
        player?.destroy();
        player = null;
        retry = setTimeout(() => setAttempt((n) => n + 1), RETRY_MS);
      });
      player.loadSource(src);
      player.attachMedia(el);
    });
    const onEnded = () => setEnded(true);
    el.addEventListener('ended', onEnded);
    const check = setInterval(() => {
      if (waitingSince !== null && performance.now() - waitingSince >= STALL_MS && (stallsAt.at(-1) ?? -Infinity) < waitingSince) stallsAt.push(performance.now());
      const estimate = player?.bandwidthEstimate;
      const next = chooseLiveRung({ hasVideo: Boolean(playlists?.video), current: rung, bandwidthBps: Number.isFinite(estimate) ? (estimate ?? null) : null, stallsAt, since, now: performance.now() });
      if (next !== rung) setRung(next);
    }, RUNG_CHECK_MS);
    return () => {
      cancelled = true;
      clearTimeout(retry);
      clearInterval(check);
      el.removeEventListener('waiting', onWaiting);
      el.removeEventListener('playing', onPlaying);
      el.removeEventListener('ended', onEnded);
      player?.destroy();
    };
  }, [playlists, rung, muted, attempt]);

  if (ended) return null;
  const audioOnly = rung === 'audio';
  return (
    <figure className={audioOnly ? 'live-picture audio-only' : 'live-picture'} aria-label={t('classroom.live.picture')}>
      {/* The teacher speaks live: there is no caption track to offer. */}
      {/* eslint-disable-next-line jsx-a11y/media-has-caption */}
      <video ref={video} playsInline autoPlay muted={muted} data-testid="live-video" data-rung={rung} aria-hidden={audioOnly} />
      <figcaption>
        <span className="live-dot" aria-hidden="true" /> {audioOnly ? t('classroom.live.audioOnly') : t('classroom.live.teacherLive')}
        {needsSound ? <SoundButton video={video} onSound={() => setNeedsSound(false)} /> : null}
      </figcaption>
    </figure>
  );
}
