/**
 * The HLS rendition ladder for lecture videos (slides plus a talking head) watched over
 * 100-500 kbit/s rural links. The figures are the ones `npm run bench:transcode` measured
 * on a 2-core machine; see docs/decisions/010-lecture-ladder.md and docs/benchmarks.md.
 */
export const SEGMENT_SECONDS = 4;
/**
 * ffmpeg's AAC encoder low-passes at 9.5 kHz for 32 kbit/s mono, 13 kHz for 40 and 15 kHz
 * for 48 (AAC_CUTOFF_FROM_BITRATE), all below 32 kHz's 16 kHz Nyquist limit: nothing
 * audible is lost against 48 kHz, and the six AAC encodes cost a third less CPU (the
 * whole ladder ran about 6 % faster on 2 cores). One rate for every rung, so switching
 * never reconfigures the audio decoder.
 */
export const AUDIO_SAMPLE_RATE = 32_000;
/** ffmpeg's HLS muxer declares BANDWIDTH as (video maxrate + audio) x 1.1; ceilings bound that figure. */
export const DECLARED_BANDWIDTH_FACTOR = 1.1;

interface VideoRungSpec {
  name: string;
  /** Height of a landscape rung; the width of a portrait one. */
  shortSide: number;
  maxFps: number;
  ceilingKbps: number;
  audioKbps: number;
  videoMaxKbps: number;
  videoTargetKbps: number;
  crf: number;
}

// Low rungs drop to <=15 fps: a lecturer's gestures survive it and the bits go to slide text.
// CRF is the quality ceiling for easy content (static slides stay far below maxrate, which
// saves students' metered data); maxrate/bufsize bound the talking-head and slide-change peaks.
const VIDEO_RUNG_SPECS: readonly VideoRungSpec[] = [
  { name: '720p', shortSide: 720, maxFps: 30, ceilingKbps: 500, audioKbps: 48, videoMaxKbps: 400, videoTargetKbps: 115, crf: 26 },
  { name: '480p', shortSide: 480, maxFps: 30, ceilingKbps: 250, audioKbps: 48, videoMaxKbps: 175, videoTargetKbps: 50, crf: 27 },
  { name: '360p', shortSide: 360, maxFps: 30, ceilingKbps: 180, audioKbps: 40, videoMaxKbps: 120, videoTargetKbps: 35, crf: 28 },
  { name: '240p', shortSide: 240, maxFps: 15, ceilingKbps: 100, audioKbps: 32, videoMaxKbps: 56, videoTargetKbps: 22, crf: 29 },
  { name: '144p', shortSide: 144, maxFps: 12.5, ceilingKbps: 70, audioKbps: 32, videoMaxKbps: 30, videoTargetKbps: 12, crf: 30 },
];

/** Speech in AAC-LC mono stays intelligible at 32 kbit/s and fits under every video rung. */
const AUDIO_ONLY_KBPS = 32;
// Players start on the first variant listed (Apple HLS authoring spec); 240p fits a 100 kbit/s link.
const PREFERRED_START_RUNG = '240p';
// Frame rates whose 4 s segment holds a whole number of frames and that divide evenly.
const NOMINAL_FRAME_RATES = [5, 6, 7.5, 8, 10, 12, 12.5, 15, 20, 24, 25, 30, 48, 50, 60, 90, 100, 120];

export interface LadderSource {
  /** Display size: after rotation and sample aspect ratio. */
  width: number;
  height: number;
  fps: number | null;
  hasVideo: boolean;
  hasAudio: boolean;
}

export interface VideoRung {
  name: string;
  width: number;
  height: number;
  fps: number;
  /** Frames per segment, so every rung has a keyframe at every segment boundary. */
  gopFrames: number;
  crf: number;
  videoMaxKbps: number;
  /**
   * Video-only average bench:transcode measured on its generated lecture (slides changing
   * every 20 s, a small talking head), rounded up; busier recordings cost more, up to maxrate.
   */
  videoTargetKbps: number;
  bufsizeKbits: number;
  /** Muxed into the rung's segments (one request per segment on high-latency links); null if silent. */
  audioKbps: number | null;
  ceilingKbps: number;
}

export interface AudioRung {
  name: 'audio';
  audioKbps: number;
  channels: 1;
  sampleRate: number;
}

export interface LadderPlan {
  segmentSeconds: number;
  /** Highest first. */
  video: VideoRung[];
  audio: AudioRung | null;
  /** The variant listed first in master.m3u8. */
  startRungName: string;
}

export function planLadder(source: LadderSource): LadderPlan {
  if (!source.hasVideo && !source.hasAudio) throw new Error('Cannot plan a ladder for a file with no audio or video');
  const video = source.hasVideo ? planVideoRungs(source) : [];
  const audio: AudioRung | null = source.hasAudio
    ? { name: 'audio', audioKbps: AUDIO_ONLY_KBPS, channels: 1, sampleRate: AUDIO_SAMPLE_RATE }
    : null;
  const start = video.find((rung) => rung.name === PREFERRED_START_RUNG) ?? video.at(-1);
  return { segmentSeconds: SEGMENT_SECONDS, video, audio, startRungName: start?.name ?? 'audio' };
}

function planVideoRungs(source: LadderSource): VideoRung[] {
  if (!(source.width > 0 && source.height > 0)) throw new Error('Video source needs a positive width and height');
  if (!(source.fps !== null && source.fps > 0)) throw new Error('Video source needs a known frame rate');
  const sourceShortSide = Math.min(source.width, source.height);
  const fitting = VIDEO_RUNG_SPECS.filter((spec) => spec.shortSide <= sourceShortSide);
  if (fitting.length > 0) return fitting.map((spec) => buildRung(spec, spec.shortSide, source));
  // Below 144p: one rung at the source's own size, never an upscale.
  const lowest = VIDEO_RUNG_SPECS.at(-1)!;
  const ownShortSide = evenFloor(sourceShortSide);
  return [buildRung({ ...lowest, name: `${ownShortSide}p` }, ownShortSide, source)];
}

function buildRung(spec: VideoRungSpec, shortSide: number, source: LadderSource): VideoRung {
  const aspect = source.width / source.height;
  const landscape = source.width >= source.height;
  const width = landscape ? evenRound(shortSide * aspect) : shortSide;
  const height = landscape ? shortSide : evenRound(shortSide / aspect);
  const fps = rungFrameRate(source.fps ?? 0, spec.maxFps);
  return {
    name: spec.name,
    width,
    height,
    fps,
    gopFrames: Math.round(fps * SEGMENT_SECONDS),
    crf: spec.crf,
    videoMaxKbps: spec.videoMaxKbps,
    videoTargetKbps: spec.videoTargetKbps,
    // Two seconds of buffer: room for a slide change's keyframe without letting a 4 s
    // segment average exceed 1.5x maxrate.
    bufsizeKbits: spec.videoMaxKbps * 2,
    audioKbps: source.hasAudio ? spec.audioKbps : null,
    ceilingKbps: spec.ceilingKbps,
  };
}

/**
 * Snaps the source to a nominal rate (29.97 -> 30, 23.976 -> 24) and keeps every k-th frame
 * so that frames-per-segment is whole on every rung: keyframes then fall on the exact
 * segment boundaries everywhere and players can switch rungs at any segment.
 */
export function rungFrameRate(sourceFps: number, maxFps: number): number {
  const nominal = snapFrameRate(sourceFps);
  const framesPerSegment = Math.round(nominal * SEGMENT_SECONDS);
  for (let every = 1; every <= framesPerSegment; every++) {
    const fps = nominal / every;
    if (framesPerSegment % every === 0 && fps <= maxFps) return fps;
  }
  return 1 / SEGMENT_SECONDS;
}

export function snapFrameRate(fps: number): number {
  let best = NOMINAL_FRAME_RATES[0]!;
  for (const candidate of NOMINAL_FRAME_RATES) {
    if (Math.abs(candidate - fps) < Math.abs(best - fps)) best = candidate;
  }
  return best;
}

function evenRound(value: number): number {
  return Math.max(2, Math.round(value / 2) * 2);
}

function evenFloor(value: number): number {
  return Math.max(2, Math.floor(value / 2) * 2);
}
