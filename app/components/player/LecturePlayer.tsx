import { useEffect, useRef, useState } from 'react';
import type Hls from 'hls.js';
import { useT } from '../../features/i18n/i18n.js';
import { useWatchReporting } from './useWatchReporting.js';
import { BANDWIDTH_KEY, parseQuality, QUALITY_KEY, qualityValue, rememberedBandwidth, saverCap, type Quality } from './quality.js';

type Rendition = { name: string; height: number | null };

function applyQuality(hls: Hls, quality: Quality) {
  const heights = hls.levels.map((l) => l.height);
  hls.autoLevelCapping = quality.kind === 'saver' ? saverCap(heights) : -1;
  hls.currentLevel = quality.kind === 'rung' ? Math.max(0, heights.indexOf(quality.height)) : -1;
}

/**
 * hls.js, imported only when this component mounts (lesson pages), with native HLS where
 * the browser has it (Safari/iOS). The first rung is chosen from a cautious estimate, or
 * the bandwidth this device last measured; never above the player's size.
 */
export function LecturePlayer({ base, renditions, title, videoId, progressUrl, resumeAt }: { base: string; renditions: Rendition[]; title: string; videoId: string; progressUrl: string; resumeAt: number }) {
  const t = useT();
  const video = useRef<HTMLVideoElement>(null);
  const [quality, setQuality] = useState<Quality | null>(null);
  useWatchReporting(video, { videoId, url: progressUrl });

  useEffect(() => setQuality(parseQuality(localStorage.getItem(QUALITY_KEY))), []);

  useEffect(() => {
    const el = video.current;
    if (!el || !quality) return;
    // Where to continue: the place before a quality switch, else where this student stopped last time.
    const startAt = el.currentTime > 0 ? el.currentTime : resumeAt;
    const src = quality.kind === 'audio' ? `${base}hls/audio/index.m3u8` : `${base}hls/master.m3u8`;
    let hls: Hls | null = null;
    let cancelled = false;
    void import('hls.js').then(({ default: HlsClass }) => {
      if (cancelled) return;
      if (!HlsClass.isSupported()) {
        if (el.canPlayType('application/vnd.apple.mpegurl')) el.src = src;
        return;
      }
      hls = new HlsClass({
        capLevelToPlayerSize: true,
        abrEwmaDefaultEstimate: rememberedBandwidth(localStorage.getItem(BANDWIDTH_KEY)),
        startFragPrefetch: true,
        maxBufferLength: 20,
        backBufferLength: 30,
      });
      const player = hls;
      player.on(HlsClass.Events.MANIFEST_PARSED, () => {
        applyQuality(player, quality);
        if (startAt > 0) el.currentTime = startAt;
      });
      player.on(HlsClass.Events.FRAG_LOADED, () => localStorage.setItem(BANDWIDTH_KEY, String(Math.round(player.bandwidthEstimate))));
      player.loadSource(src);
      player.attachMedia(el);
    });
    return () => {
      cancelled = true;
      hls?.destroy();
    };
  }, [base, quality, resumeAt]);

  const choose = (value: string) => {
    localStorage.setItem(QUALITY_KEY, value);
    setQuality(parseQuality(value));
  };
  const rungs = renditions.filter((r) => r.height !== null);
  return (
    <figure className="player">
      {/* Native controls: keyboard-operable and announced by screen readers in every browser. */}
      {/* Captions will come as HLS subtitle renditions, which hls.js adds as text tracks (caption upload is still to do). */}
      {/* eslint-disable-next-line jsx-a11y/media-has-caption */}
      <video ref={video} controls playsInline preload="none" poster={`${base}poster.jpg`} aria-label={`${t('lesson.player')}: ${title}`} data-testid="lecture-video" />
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
