import { FFMPEG_GLOBAL_ARGS, runFfmpegTool, safeOutputArgs } from './ffmpeg-safety.js';
import { hasFilter } from './ffmpeg-features.js';
import type { X264Preset } from './hls.js';
import { lectureAudioGraph, lectureVideoGraph, type LectureSlide } from './lecture-scene.js';

export { hasFilter } from './ffmpeg-features.js';

/**
 * Lecture-like test videos made from ffmpeg's lavfi sources only, so tests and the
 * benchmark never need committed binaries: slides with text that change every few
 * seconds, a moving talking-head window, light grain (a camera never gives perfectly flat
 * colour, and grain is what makes low bitrates hard), and speech-like audio. The scene
 * itself is in lecture-scene.ts.
 */
export interface LectureClipOptions {
  seconds: number;
  width: number;
  height: number;
  fps: number;
  /** Default true. */
  audio?: boolean;
  /** Default 3 s so short test clips still change slide; the benchmark uses lecture-like 20 s. */
  slideSeconds?: number;
  /** Temporal noise strength; default 8. */
  grain?: number;
  /** Slides of one's own (default: three English layouts); see lecture-scene.ts. */
  slides?: readonly LectureSlide[] | undefined;
  /** A fontconfig family for the slide text. */
  font?: string | undefined;
  /**
   * Average video bitrate of the clip, like a camera's (1080p30 phones record about
   * 8 Mbit/s). Default: CRF 23, which is fine for tests that never look at quality.
   */
  videoKbps?: number;
  /** Default ultrafast: generating must stay cheap. */
  preset?: X264Preset;
  signal?: AbortSignal;
  timeoutMs?: number;
  ffmpegBin?: string;
}

export async function generateLectureClip(outPath: string, options: LectureClipOptions): Promise<void> {
  const { seconds, width, height } = options;
  if (width % 2 !== 0 || height % 2 !== 0) throw new Error('H.264 4:2:0 needs an even width and height');
  const bin = options.ffmpegBin ?? 'ffmpeg';
  const withAudio = options.audio ?? true;
  const withText = await hasFilter(bin, 'drawtext');
  const scene = { seconds, width, height, fps: options.fps, slideSeconds: options.slideSeconds ?? 3, grain: options.grain ?? 8, slides: options.slides, font: options.font };
  const graph = [lectureVideoGraph(scene, withText), ...(withAudio ? [lectureAudioGraph(seconds)] : [])].join(';');
  const rate = options.videoKbps
    ? ['-b:v', `${options.videoKbps}k`, '-maxrate', `${options.videoKbps * 1.5}k`, '-bufsize', `${options.videoKbps * 2}k`]
    : ['-crf', '23'];
  await runFfmpegTool({
    bin,
    args: [
      ...FFMPEG_GLOBAL_ARGS, '-y',
      '-filter_complex', graph,
      '-map', '[video]', ...(withAudio ? ['-map', '[audio]'] : []),
      '-c:v', 'libx264', '-preset', options.preset ?? 'ultrafast', ...rate, '-pix_fmt', 'yuv420p',
      ...(withAudio ? ['-c:a', 'aac', '-b:a', '96k'] : []),
      '-t', String(seconds),
      ...safeOutputArgs(outPath),
    ],
    timeoutMs: options.timeoutMs ?? 120_000,
    signal: options.signal,
  });
}
