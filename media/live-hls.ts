import path from 'node:path';
import { FFMPEG_GLOBAL_ARGS, safeInputArgs, safeOutputArgs, safePipeInputArgs } from './ffmpeg-safety.js';

// The teacher's live voice and camera as low-latency HLS (docs/decisions/021): an
// audio-only AAC mono rung every classroom can carry, and, with a camera, one 240p/15 fps
// rung with the same audio muxed in. Short fMP4 segments, a short sliding window.

/** One-second segments: ffmpeg 5.1 cannot write LL-HLS parts, so the segment is the unit of delay. */
export const LIVE_SEGMENT_SECONDS = 1;
/** Segments kept in a live playlist: enough to ride out a slow playlist reload, small to fetch. */
export const LIVE_WINDOW_SEGMENTS = 6;
export const LIVE_RUNGS = ['audio', '240p'] as const;
export type LiveRung = (typeof LIVE_RUNGS)[number];

/** Declared bandwidth of each rung (bits/s): audio 32k AAC, video 150k + audio, plus fMP4 overhead. */
export const LIVE_RUNG_BANDWIDTH: Record<LiveRung, number> = { audio: 40_000, '240p': 200_000 };

const audioArgs = ['-c:a', 'aac', '-ac', '1', '-ar', '32000', '-b:a', '32k'];

function hlsOutput(dir: string, rung: LiveRung): string[] {
  return [
    '-f', 'hls',
    '-hls_time', String(LIVE_SEGMENT_SECONDS),
    '-hls_list_size', String(LIVE_WINDOW_SEGMENTS),
    '-hls_segment_type', 'fmp4',
    // temp_file: a segment appears under its name only once complete, so the publisher
    // never takes half of one; delete_segments keeps the staging folder small.
    '-hls_flags', 'independent_segments+temp_file+delete_segments',
    '-hls_fmp4_init_filename', 'init.mp4',
    '-hls_segment_filename', path.join(path.resolve(dir), rung, '%d.m4s'),
    ...safeOutputArgs(path.join(dir, rung, 'index.m3u8')),
  ];
}

/**
 * One ffmpeg reading the WebM stream on stdin and writing each rung's playlist under
 * `dir/<rung>/`. Video: x264 zerolatency (no lookahead, no B-frames), a key frame every
 * segment so each segment starts cleanly.
 */
export function liveHlsArgs(dir: string, withVideo: boolean): string[] {
  const args = [...FFMPEG_GLOBAL_ARGS, ...safePipeInputArgs('matroska'), '-map', '0:a:0', ...audioArgs, ...hlsOutput(dir, 'audio')];
  if (!withVideo) return args;
  const fps = 15;
  return [
    ...args,
    '-map', '0:v:0', '-map', '0:a:0',
    '-vf', `scale=-2:240,fps=${fps},format=yuv420p`,
    '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', 'main',
    '-g', String(fps * LIVE_SEGMENT_SECONDS), '-keyint_min', String(fps * LIVE_SEGMENT_SECONDS), '-sc_threshold', '0',
    '-b:v', '150k', '-maxrate', '180k', '-bufsize', '180k',
    ...audioArgs,
    ...hlsOutput(dir, '240p'),
  ];
}

/** The rungs a broadcast has, lowest first. */
export function liveRungs(withVideo: boolean): LiveRung[] {
  return withVideo ? ['audio', '240p'] : ['audio'];
}

/**
 * The recording as the browser wrote it has no duration and no cues (MediaRecorder
 * streams); a stream copy into a fresh WebM adds both, so the ordinary probe accepts it.
 */
export function remuxRecordingArgs(input: string, output: string): string[] {
  return [...FFMPEG_GLOBAL_ARGS, ...safeInputArgs(input, 'matroska'), '-map', '0', '-c', 'copy', '-f', 'webm', '-y', ...safeOutputArgs(output)];
}
