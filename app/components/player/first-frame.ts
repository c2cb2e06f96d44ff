// The lesson page's first frame, before any bundle: an inline script (about 1.5 KB) feeds
// the lowest rung's init segment and the segment to start from straight into Media Source
// Extensions, then lets React and hls.js load and take over the same MediaSource. On a
// 256 kbit/s link with a 300 ms round trip, React (84 KB gzipped) and hls.js light (120 KB)
// would take about 6 s to arrive; this needs the HTML and about 25 KB of media.
// See docs/decisions/013-player-start-strategy.md.

import type { WindowWithDeferredScripts } from '../deferred-scripts.js';

export interface FirstFrameConfig {
  elementId: string;
  initUrl: string;
  segmentUrl: string;
  /** The position the segment starts at is below this (resume); 0 for the start. */
  startAt: number;
  /** The lecture's listed length: the controls show it, and a jump past the first segment waits for hls.js. */
  listedSeconds: number;
  mimeType: string;
  qualityKey: string;
  /** Shown only when no frame will come from here: it would take a fifth of the link from the first segment. */
  posterUrl: string;
}

/** What the inline script leaves for the player: a MediaSource with the first segment in it. */
export interface FirstFrameHandover {
  mediaSource: MediaSource;
  sourceBuffer: SourceBuffer | null;
  mimeType: string;
  state: 'loading' | 'ready' | 'failed';
}

export type WindowWithFirstFrame = Window & { lectureFirstFrame?: FirstFrameHandover };

/**
 * Runs in the page as soon as the <video> is parsed; must stay self-contained (it is
 * serialised with Function.prototype.toString). Without MSE (iPhone Safari), or when the
 * viewer chose sound only, it only brings React in, which plays the ladder as before.
 */
export function startFirstFrame(c: FirstFrameConfig): void {
  // React and hls.js (app/components/deferred-scripts.ts), now or as soon as that script is parsed.
  const hydrate = () => {
    const w = window as WindowWithDeferredScripts;
    if (w.releaseDeferredScripts) w.releaseDeferredScripts();
    else w.releaseDeferredScriptsSoon = true;
  };
  const video = document.getElementById(c.elementId) as HTMLVideoElement | null;
  let quality: string | null = null;
  try {
    quality = localStorage.getItem(c.qualityKey);
  } catch {
    // Storage blocked: start as for a new device.
  }
  if (!video) return hydrate();
  if (quality === 'audio' || typeof MediaSource === 'undefined' || !MediaSource.isTypeSupported(c.mimeType)) {
    video.poster = c.posterUrl;
    return hydrate();
  }
  const mediaSource = new MediaSource();
  const handover: FirstFrameHandover = { mediaSource, sourceBuffer: null, mimeType: c.mimeType, state: 'loading' };
  (window as WindowWithFirstFrame).lectureFirstFrame = handover;
  const get = (url: string) =>
    fetch(url, { credentials: 'same-origin' }).then((r) => {
      if (!r.ok) throw new Error(`${r.status} ${url}`);
      return r.arrayBuffer();
    });
  const media = Promise.all([get(c.initUrl), get(c.segmentUrl)]);
  mediaSource.addEventListener(
    'sourceopen',
    () => {
      const buffer = mediaSource.addSourceBuffer(c.mimeType);
      handover.sourceBuffer = buffer;
      // Otherwise the length would be the first segment's (4 s) until hls.js arrives, and a
      // student's jump to later in the lecture would snap back to it.
      if (c.listedSeconds > 0) mediaSource.duration = c.listedSeconds;
      const append = (data: ArrayBuffer) =>
        new Promise<void>((resolve, reject) => {
          buffer.addEventListener('updateend', () => resolve(), { once: true });
          buffer.addEventListener('error', () => reject(new Error('append failed')), { once: true });
          buffer.appendBuffer(data);
        });
      media
        .then(async ([init, segment]) => {
          await append(init);
          await append(segment);
          // Unless the player already took the element over (someone pressed a key early).
          if (c.startAt > 0 && video.src === url) video.currentTime = c.startAt;
          handover.state = 'ready';
        })
        .catch(() => {
          handover.state = 'failed';
          video.poster = c.posterUrl;
        })
        .finally(hydrate);
    },
    { once: true },
  );
  const url = URL.createObjectURL(mediaSource);
  video.src = url;
}

/** The inline script's text: the function above applied to this page's values. */
export function firstFrameScript(config: FirstFrameConfig): string {
  return `(${startFirstFrame.toString()})(${JSON.stringify(config).replace(/</g, '\\u003c')});`;
}

/**
 * Hands the MediaSource the inline script filled to hls.js, once: hls.js keeps the
 * SourceBuffer (and the frame on screen) instead of resetting the element. Null when
 * there is nothing to take over (no MSE, sound only, the fetch failed).
 */
export function takeFirstFrame(): FirstFrameHandover | null {
  const w = window as WindowWithFirstFrame;
  const handover = w.lectureFirstFrame;
  delete w.lectureFirstFrame;
  return handover && handover.state === 'ready' && handover.sourceBuffer && handover.mediaSource.readyState === 'open' ? handover : null;
}
