import { useEffect, useRef, useState } from 'react';
import type Hls from 'hls.js/light';
import { useT } from '../../features/i18n/i18n.js';
import { useNonce } from '../nonce.js';
import { firstFrameScript, takeFirstFrame, type FirstFrameHandover } from './first-frame.js';
import { usePlaybackRecovery } from './usePlaybackRecovery.js';
import { useWatchReporting } from './useWatchReporting.js';
import { keepLoading } from './keep-loading.js';
import { PlaybackNotice } from './PlaybackNotice.js';
import { BANDWIDTH_KEY, nativePlaylist, parseQuality, QUALITY_KEY, qualityValue, rememberedBandwidth, saverCap, type Quality } from './quality.js';

type Rendition = { name: string; height: number | null };
type Caption = { language: string; label: string; src: string };
type Start = { initUrl: string; segmentUrl: string; startAt: number; listedSeconds: number; mimeType: string };
export type PlayerVideo = { id: string; base: string; renditions: Rendition[]; resumeAt: number; captions: Caption[]; start: Start | null; viewerKey: string; run: string | null };

const VIDEO_ELEMENT_ID = 'lecture-video';

function applyQuality(hls: Hls, quality: Quality) {
  const heights = hls.levels.map((l) => l.height);
  hls.autoLevelCapping = quality.kind === 'saver' ? saverCap(heights) : -1;
  hls.currentLevel = quality.kind === 'rung' ? Math.max(0, heights.indexOf(quality.height)) : -1;
}

/** hls.js continues in the MediaSource the inline script filled, keeping its frame and position. */
function attach(hls: Hls, el: HTMLVideoElement, handover: FirstFrameHandover | null) {
  if (!handover?.sourceBuffer) return hls.attachMedia(el);
  const codec = /codecs="([^"]+)"/.exec(handover.mimeType)?.[1];
  hls.attachMedia({
    media: el,
    mediaSource: handover.mediaSource,
    tracks: { audiovideo: { id: 'main', container: 'video/mp4', codec, buffer: handover.sourceBuffer, listeners: [] } },
  });
}

/**
 * The first frame comes from the page's inline script (first-frame.ts); then hls.js (its
 * light build, imported only here) takes over, with native HLS where the browser has it
 * (Safari/iOS). The next rungs are chosen from a cautious estimate, or the bandwidth this
 * device last measured; never above the player's size. Captions are native <track>s.
 */
export function LecturePlayer({ video: lecture, title, progressUrl }: { video: PlayerVideo; title: string; progressUrl: string }) {
  const { base, renditions, resumeAt, captions, start } = lecture;
  const t = useT();
  const nonce = useNonce();
  const video = useRef<HTMLVideoElement>(null);
  const posterUrl = `${base}poster.jpg`;
  const [quality, setQuality] = useState<Quality | null>(null);
  const resumeFrom = start?.startAt ?? resumeAt;
  useWatchReporting(video, { videoId: lecture.id, viewerKey: lecture.viewerKey, url: progressUrl, run: lecture.run });
  // Read when the source is chosen; a revalidated loader's new array must not restart playback.
  const renditionsRef = useRef(renditions);
  renditionsRef.current = renditions;

  useEffect(() => setQuality(parseQuality(localStorage.getItem(QUALITY_KEY))), []);

  // Through a dropped link (keep-loading.ts); `restart` builds the player again.
  const { problem, setProblem, restart, failures, renewLinks, progressed, tryAgain } = usePlaybackRecovery(base);

  useEffect(() => {
    const el = video.current;
    if (!el || !quality) return;
    // Where to continue: the place before a quality switch, else where this student stopped
    // last time (the server moves that back to what is published, for a lecture still encoding).
    const startAt = el.currentTime > 0 ? el.currentTime : resumeFrom;
    const src = quality.kind === 'audio' ? `${base}hls/audio/index.m3u8` : `${base}hls/master.m3u8`;
    const onNativeMetadata = () => {
      if (startAt > 0) el.currentTime = startAt;
    };
    let hls: Hls | null = null;
    let cancelled = false;
    let stopRecovery = () => {};
    const onNativeError = () => setProblem('failed');
    const handover = quality.kind === 'audio' ? null : takeFirstFrame();
    void import('hls.js/light').then(({ default: HlsClass }) => {
      if (cancelled) return;
      if (!HlsClass.isSupported()) {
        // Safari/iOS without MediaSource: the browser's own HLS, given the chosen playlist.
        if (el.canPlayType('application/vnd.apple.mpegurl')) {
          el.addEventListener('loadedmetadata', onNativeMetadata, { once: true });
          el.addEventListener('error', onNativeError);
          el.addEventListener('playing', progressed);
          el.src = `${base}hls/${nativePlaylist(quality, renditionsRef.current)}`;
        }
        return;
      }
      // A jump made while hls.js was on its way (the first frame's controls already show the
      // whole lecture) is where it starts; otherwise where the first frame is playing.
      const from = el.currentTime > 0 ? el.currentTime : startAt;
      hls = new HlsClass({
        capLevelToPlayerSize: true,
        abrEwmaDefaultEstimate: rememberedBandwidth(localStorage.getItem(BANDWIDTH_KEY)),
        startFragPrefetch: true,
        // Always an explicit start: a lecture still encoding has EVENT playlists, which
        // hls.js would otherwise join at the live edge instead of the beginning.
        startPosition: from,
        maxBufferLength: 20,
        backBufferLength: 30,
      });
      const player = hls;
      player.on(HlsClass.Events.MANIFEST_PARSED, () => applyQuality(player, quality));
      player.on(HlsClass.Events.FRAG_LOADED, () => localStorage.setItem(BANDWIDTH_KEY, String(Math.round(player.bandwidthEstimate))));
      stopRecovery = keepLoading(player, HlsClass.Events, {
        src,
        resumeAt: () => (el.currentTime > 0 ? el.currentTime : from),
        onProblem: setProblem,
        onRenewLinks: renewLinks,
        failures,
      });
      player.loadSource(src);
      attach(player, el, handover);
    });
    return () => {
      cancelled = true;
      stopRecovery();
      el.removeEventListener('loadedmetadata', onNativeMetadata);
      el.removeEventListener('error', onNativeError);
      el.removeEventListener('playing', progressed);
      hls?.destroy();
    };
    // renewLinks is a new function each render; it is only called from hls.js's events.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [base, quality, resumeFrom, restart]);

  const choose = (value: string) => {
    localStorage.setItem(QUALITY_KEY, value);
    setQuality(parseQuality(value));
  };
  const rungs = renditions.filter((r) => r.height !== null);
  return (
    <figure className="player">
      {/* Native controls: keyboard-operable and announced by screen readers in every browser. */}
      {/* eslint-disable-next-line jsx-a11y/media-has-caption -- lectures without captions exist; those with them get <track>s */}
      <video id={VIDEO_ELEMENT_ID} ref={video} controls playsInline preload="auto" poster={start ? undefined : posterUrl} aria-label={`${t('lesson.player')}: ${title}`} data-testid="lecture-video">
        {captions.map((c) => (
          <track key={c.language} kind="subtitles" srcLang={c.language} label={c.label} src={c.src} />
        ))}
      </video>
      {start ? (
        <script
          nonce={nonce}
          // Parsed right after the <video>: it must run before any bundle arrives.
          dangerouslySetInnerHTML={{
            __html: firstFrameScript({ elementId: VIDEO_ELEMENT_ID, ...start, qualityKey: QUALITY_KEY, posterUrl }),
          }}
          suppressHydrationWarning
        />
      ) : null}
      <PlaybackNotice problem={problem} onRetry={tryAgain} />
      <figcaption className="row-form">
        <div className="field">
          <label htmlFor="quality">{t('lesson.quality')}</label>
          <select id="quality" value={quality ? qualityValue(quality) : 'auto'} onChange={(e) => choose(e.currentTarget.value)}>
            <option value="auto">{t('lesson.quality.auto')}</option>
            <option value="saver">{t('lesson.quality.saver')}</option>
            {rungs.map((r) => (
              <option key={r.name} value={`${r.height}p`}>
                {r.name}
              </option>
            ))}
            {renditions.some((r) => r.name === 'audio') ? <option value="audio">{t('lesson.quality.audio')}</option> : null}
          </select>
        </div>
      </figcaption>
    </figure>
  );
}
