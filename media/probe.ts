import { FFPROBE_GLOBAL_ARGS, FfmpegToolError, isAllowedDemuxer, runFfmpegTool, safeInputArgs } from './ffmpeg-safety.js';

export interface VideoStreamSummary {
  /** Absolute stream index in the file, for `-map 0:<index>`. */
  index: number;
  codec: string;
  /** Coded size turned to display orientation (phones store portrait video rotated). */
  width: number;
  height: number;
  /** Display width / coded width, 1 for square pixels. */
  sampleAspectRatio: number;
  fps: number | null;
}

export interface AudioStreamSummary {
  index: number;
  codec: string;
  channels: number;
  sampleRate: number;
}

export interface MediaSummary {
  durationSeconds: number | null;
  /** ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  container: string;
  /** The allowed demuxer that read it, passed back as `-f` when transcoding. */
  demuxer: string;
  video: VideoStreamSummary | null;
  audio: AudioStreamSummary | null;
}

export type UploadProbe =
  | { readable: true; summary: MediaSummary }
  | { readable: false; detail: string };

export async function probeUpload(
  path: string,
  options: { timeoutMs: number; signal?: AbortSignal; ffprobeBin?: string },
): Promise<UploadProbe> {
  try {
    const { stdout } = await runFfmpegTool({
      bin: options.ffprobeBin ?? 'ffprobe',
      args: [...FFPROBE_GLOBAL_ARGS, '-print_format', 'json', '-show_format', '-show_streams', ...safeInputArgs(path)],
      timeoutMs: options.timeoutMs,
      signal: options.signal,
    });
    return parseProbeOutput(stdout);
  } catch (error) {
    // A file that makes ffprobe fail, hang or babble is the upload's fault; an abort or a
    // missing ffprobe binary is ours and must surface.
    if (error instanceof FfmpegToolError && ['exit-code', 'timeout', 'output-too-large'].includes(error.failure)) {
      return { readable: false, detail: error.message };
    }
    throw error;
  }
}

interface ProbeJson {
  format?: { format_name?: string; duration?: string };
  streams?: ProbeStreamJson[];
}

interface ProbeStreamJson {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  channels?: number;
  sample_rate?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: { rotation?: number }[];
}

export function parseProbeOutput(stdout: string): UploadProbe {
  let json: ProbeJson;
  try {
    json = JSON.parse(stdout) as ProbeJson;
  } catch {
    return { readable: false, detail: 'ffprobe printed no JSON' };
  }
  const container = json.format?.format_name;
  const demuxer = container?.split(',').find(isAllowedDemuxer);
  if (!container || !demuxer) return { readable: false, detail: `container '${container ?? 'unknown'}' is not allowed` };
  const streams = json.streams ?? [];
  // Cover art in audio files shows up as a one-frame "video" stream; it is not a lecture video.
  const videoJson = streams.find((s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1);
  const audioJson = streams.find((s) => s.codec_type === 'audio');
  const streamDurations = streams.map((s) => parsePositive(s.duration)).filter((d): d is number => d !== null);
  return {
    readable: true,
    summary: {
      durationSeconds: parsePositive(json.format?.duration) ?? (streamDurations.length ? Math.max(...streamDurations) : null),
      container,
      demuxer,
      video: videoJson ? summarizeVideo(videoJson) : null,
      audio: audioJson ? summarizeAudio(audioJson) : null,
    },
  };
}

function summarizeVideo(stream: ProbeStreamJson): VideoStreamSummary {
  const rotation = stream.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation ?? Number(stream.tags?.rotate ?? 0);
  const quarterTurned = Math.abs(Math.round(rotation / 90)) % 2 === 1;
  const width = stream.width ?? 0;
  const height = stream.height ?? 0;
  return {
    index: stream.index ?? 0,
    codec: stream.codec_name ?? 'unknown',
    width: quarterTurned ? height : width,
    height: quarterTurned ? width : height,
    sampleAspectRatio: parseRatio(stream.sample_aspect_ratio, ':') ?? 1,
    fps: parseRatio(stream.avg_frame_rate, '/') ?? parseRatio(stream.r_frame_rate, '/'),
  };
}

function summarizeAudio(stream: ProbeStreamJson): AudioStreamSummary {
  return {
    index: stream.index ?? 0,
    codec: stream.codec_name ?? 'unknown',
    channels: stream.channels ?? 0,
    sampleRate: Number(stream.sample_rate ?? 0),
  };
}

/** "30000/1001" -> 29.97; "0/0" and "0:1" (unknown) -> null. */
function parseRatio(value: string | undefined, separator: string): number | null {
  const [numerator, denominator] = (value ?? '').split(separator).map(Number);
  if (!numerator || !denominator) return null;
  const ratio = numerator / denominator;
  return Number.isFinite(ratio) && ratio > 0 ? ratio : null;
}

function parsePositive(value: string | undefined): number | null {
  const number = Number(value);
  return value !== undefined && Number.isFinite(number) && number > 0 ? number : null;
}

/** Display size a ladder is planned from: rotation is already applied, pixels made square. */
export function displaySize(video: VideoStreamSummary): { width: number; height: number } {
  return { width: Math.round(video.width * video.sampleAspectRatio), height: video.height };
}

// Four hours covers a double lecture with a break; longer is almost always a recording left running.
export const MAX_UPLOAD_SECONDS = 14_400;
// Larger than 4K is never needed for a 720p-topped ladder and multiplies decode memory.
export const MAX_UPLOAD_DIMENSION = 4096;
const MIN_FPS = 1;
const MAX_FPS = 240;

export type UploadRejection =
  | { code: 'unreadable' }
  | { code: 'no-media-stream' }
  | { code: 'unknown-duration' }
  | { code: 'too-long'; maxSeconds: number }
  | { code: 'dimensions-too-large'; max: number }
  | { code: 'bad-frame-rate' };
export type UploadRejectionCode = UploadRejection['code'];

/** Stable codes (the app turns them into messages); an empty list means the upload is accepted. */
export function checkUploadLimits(probe: UploadProbe): UploadRejection[] {
  if (!probe.readable) return [{ code: 'unreadable' }];
  const { video, audio, durationSeconds } = probe.summary;
  if (!video && !audio) return [{ code: 'no-media-stream' }];
  const rejections: UploadRejection[] = [];
  if (durationSeconds === null) rejections.push({ code: 'unknown-duration' });
  else if (durationSeconds > MAX_UPLOAD_SECONDS) rejections.push({ code: 'too-long', maxSeconds: MAX_UPLOAD_SECONDS });
  if (video) {
    const { width, height } = displaySize(video);
    if (width <= 0 || height <= 0) rejections.push({ code: 'unreadable' });
    if (Math.max(width, height, video.width, video.height) > MAX_UPLOAD_DIMENSION) {
      rejections.push({ code: 'dimensions-too-large', max: MAX_UPLOAD_DIMENSION });
    }
    if (video.fps === null || video.fps < MIN_FPS || video.fps > MAX_FPS) rejections.push({ code: 'bad-frame-rate' });
  }
  return rejections;
}
