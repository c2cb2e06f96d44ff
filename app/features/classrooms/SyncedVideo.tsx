import { useEffect, useRef, useState } from 'react';
import type Hls from 'hls.js';
import { useT } from '../i18n/i18n.js';
import { decideCorrection } from './drift-correction.js';
import { preparedRung } from './prefetch.js';
import { effectiveState, positionAt, type PlaybackState } from './playback-state.js';
import type { ServerClock } from './useServerClock.js';
import { SoundButton } from './SoundButton.js';
import { keepLoading } from '../../components/player/keep-loading.js';
import { PlaybackNotice } from '../../components/player/PlaybackNotice.js';
import { usePlaybackRecovery } from '../../components/player/usePlaybackRecovery.js';

export type ScreenFigures = { driftMs: number | null; bufferSeconds: number | null; rung: string | null; buffering: boolean };

const TICK_MS = 250;
/** A screen reports buffering only after this long, so the brief stall after every seek does not pause the class. */
const BUFFERING_REPORT_MS = 1_000;

function bufferAhead(el: HTMLVideoElement): number {
  for (let i = 0; i < el.buffered.length; i++) if (el.buffered.start(i) <= el.currentTime && el.currentTime <= el.buffered.end(i)) return el.buffered.end(i) - el.currentTime;
  return 0;
}

/**
 * A lesson video that follows the session's shared timeline: every 250 ms it compares its
 * position with where the timeline says it should be (on the server's clock) and lets
 * decideCorrection choose between nothing, a rate nudge and a seek.
 */
/** Before the session starts a screen buffers this much of the lesson, so the start does not wait on a slow link. */
const PREFETCH_SECONDS = 600;
const PLAYING_BUFFER_SECONDS = 60;

export function SyncedVideo({ base, title, state, previous, clock, figures, prefetch }: { base: string; title: string; state: PlaybackState; previous: PlaybackState | null; clock: ServerClock; figures: React.MutableRefObject<ScreenFigures>; prefetch: boolean }) {
  const t = useT();
  const video = useRef<HTMLVideoElement>(null);
  const hls = useRef<Hls | null>(null);
  const timeline = useRef({ state, previous });
  timeline.current = { state, previous };
  const [needsSound, setNeedsSound] = useState(false);
  const bufferGoal = prefetch ? PREFETCH_SECONDS : PLAYING_BUFFER_SECONDS;
  const goal = useRef(bufferGoal);
  goal.current = bufferGoal;
  // A dropped link: the screen says so, keeps trying, and follows the class again once back.
  const { problem, setProblem, restart, failures, renewLinks, tryAgain } = usePlaybackRecovery(base);
  const problemRef = useRef(problem);
  problemRef.current = problem;

  useEffect(() => {
    const el = video.current;
    if (!el) return;
    let cancelled = false;
    let stopRecovery = () => {};
    const src = `${base}hls/master.m3u8`;
    void import('hls.js').then(({ default: HlsClass }) => {
      if (cancelled) return;
      if (!HlsClass.isSupported()) {
        if (el.canPlayType('application/vnd.apple.mpegurl')) el.src = src;
        return;
      }
      // A classroom screen: start low, keep a long buffer (a whole class watches one link).
      const player = new HlsClass({ capLevelToPlayerSize: true, startLevel: 0, maxBufferLength: goal.current, maxMaxBufferLength: PREFETCH_SECONDS, backBufferLength: 30 });
      // A screen prepared before class stays on the rung it stored (the service worker answers it).
      const prepared = preparedRung(base);
      if (prepared) player.once(HlsClass.Events.MANIFEST_PARSED, () => {
        const level = player.levels.findIndex((l) => l.url.some((u) => u.includes(`/hls/${prepared}/`)));
        if (level >= 0) player.currentLevel = level;
      });
      stopRecovery = keepLoading(player, HlsClass.Events, { src, resumeAt: () => el.currentTime, onProblem: setProblem, onRenewLinks: renewLinks, failures });
      player.loadSource(src);
      player.attachMedia(el);
      hls.current = player;
    });
    return () => {
      cancelled = true;
      stopRecovery();
      hls.current?.destroy();
      hls.current = null;
    };
    // renewLinks is a new function each render; it is only called from hls.js's events.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [base, restart]);

  // hls.js reads its buffer goal on every tick, so it can change while the page is open.
  useEffect(() => {
    if (hls.current) hls.current.config.maxBufferLength = bufferGoal;
  }, [bufferGoal]);

  useEffect(() => {
    const el = video.current;
    if (!el) return;
    let lastSeekAt = -Infinity;
    let waitingSince: number | null = null;
    const onWaiting = () => (waitingSince ??= performance.now());
    const onPlaying = () => (waitingSince = null);
    el.addEventListener('waiting', onWaiting);
    el.addEventListener('playing', onPlaying);
    el.addEventListener('seeked', onPlaying);
    const tick = () => {
      // No video while the link is down: the teacher's panel shows this room as buffering
      // (and, with "wait for buffering" on, the class waits for it).
      if (problemRef.current) {
        figures.current = { ...figures.current, buffering: true };
        return;
      }
      const now = clock.now();
      const s = effectiveState(timeline.current.state, timeline.current.previous, now);
      const expected = positionAt(s, now);
      if (el.readyState < 1) return;
      if (s.playing && el.paused) {
        el.play().catch((e: Error) => {
          // Browsers refuse sound without a click: follow muted and offer the button.
          if (e.name === 'NotAllowedError') {
            el.muted = true;
            setNeedsSound(true);
            void el.play().catch(() => {});
          }
        });
      } else if (!s.playing && !el.paused) el.pause();
      const driftMs = (expected - el.currentTime) * 1000;
      const buffering = waitingSince !== null;
      const c = decideCorrection({ driftMs, playing: s.playing, buffering, msSinceLastSeek: performance.now() - lastSeekAt, correcting: el.playbackRate !== 1 });
      if (c.kind === 'seek') {
        el.playbackRate = 1;
        el.currentTime = expected;
        lastSeekAt = performance.now();
      } else el.playbackRate = c.kind === 'rate' ? c.rate : 1;
      const level = hls.current?.levels[hls.current.currentLevel];
      figures.current = { driftMs: Math.round(driftMs), bufferSeconds: Math.round(bufferAhead(el) * 10) / 10, rung: level?.height ? `${level.height}p` : null, buffering: waitingSince !== null && performance.now() - waitingSince > BUFFERING_REPORT_MS };
      el.dataset.driftMs = String(Math.round(driftMs));
    };
    const timer = setInterval(tick, TICK_MS);
    return () => {
      clearInterval(timer);
      el.removeEventListener('waiting', onWaiting);
      el.removeEventListener('playing', onPlaying);
      el.removeEventListener('seeked', onPlaying);
    };
  }, [clock, figures]);

  return (
    <figure className="player">
      {/* Captions come as HLS subtitle renditions, which hls.js adds as text tracks. */}
      {/* eslint-disable-next-line jsx-a11y/media-has-caption */}
      <video ref={video} playsInline preload="auto" poster={`${base}poster.jpg`} aria-label={`${t('classroom.video')}: ${title}`} data-testid="synced-video" />
      {needsSound ? <SoundButton video={video} onSound={() => setNeedsSound(false)} /> : null}
      <PlaybackNotice problem={problem} onRetry={tryAgain} />
    </figure>
  );
}
