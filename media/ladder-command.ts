import { join, resolve } from 'node:path';
import { FFMPEG_GLOBAL_ARGS, safeInputArgs, safeOutputArgs } from './ffmpeg-safety.js';
import type { LadderPlan, VideoRung } from './ladder.js';
import { AUDIO_SAMPLE_RATE } from './ladder.js';

export const MASTER_PLAYLIST = 'master.m3u8';
/** Each rung lives in `<outDir>/<rung name>/index.m3u8`, e.g. `240p/` and `audio/`. */
export const RUNG_PLAYLIST = 'index.m3u8';

/** x264 presets; tests pass 'ultrafast', production keeps the default. */
export type X264Preset = 'ultrafast' | 'superfast' | 'veryfast' | 'faster' | 'fast' | 'medium' | 'slow' | 'slower';

/**
 * superfast plus the macroblock tree (below) takes the 1080p ladder past 3x real time on
 * 2 cores with every rung at SSIM >= 0.984 on the bench lecture; medium needs 2.3x the CPU
 * for SSIM 0.001-0.006 higher. Figures in docs/benchmarks.md.
 */
export const DEFAULT_ENCODER_PRESET: X264Preset = 'superfast';
/**
 * ultrafast and superfast switch off x264's macroblock tree; it is what makes a slide that
 * stays up for 20 s cheap (superfast without it spent 35-130 % more bits per rung for the
 * same SSIM, with peaks over maxrate). veryfast's 10-frame lookahead is enough for it.
 */
const MBTREE_PARAMS = 'mbtree=1:rc-lookahead=10';
const PRESETS_WITHOUT_MBTREE: readonly X264Preset[] = ['ultrafast', 'superfast'];
/**
 * `-tune stillimage` raises adaptive quantisation to 1.2, which spends its bits on camera
 * grain in flat slide backgrounds: at 0.8 the bench lecture's 720p rung needs half the
 * bits (331 → 166 kbit/s) at a slightly higher SSIM, text and the talking head look the
 * same, and the ladder takes about a tenth less CPU (docs/benchmarks.md, session 5).
 */
const AQ_PARAMS = 'aq-strength=0.8';

/** What every rung passes to `-x264-params`; the benchmark's baselines use the same. */
export function x264Params(preset: X264Preset): string {
  return [AQ_PARAMS, ...(PRESETS_WITHOUT_MBTREE.includes(preset) ? [MBTREE_PARAMS] : [])].join(':');
}

/**
 * zscale (libzimg) is slice-threaded; ffmpeg 5.1's swscale runs on the single main
 * thread that also feeds every encoder. zscale spline16 (a sharp two-lobe filter) made
 * the 1080p ladder 6 % faster than zscale lanczos for at most 0.001 less SSIM, and 19 %
 * faster than swscale bicubic. Builds without libzimg fall back to swscale bicubic.
 */
export type LadderScaler = 'zscale' | 'swscale';

export interface LadderCommandInput {
  input: string;
  /** `summary.demuxer` from probeUpload: forces `-f` so ffmpeg cannot re-sniff the upload. */
  inputDemuxer?: string;
  outDir: string;
  plan: LadderPlan;
  /** Absolute stream indices from probeUpload (skips cover art and extra tracks). */
  videoStreamIndex?: number;
  audioStreamIndex?: number;
  encoderPreset?: X264Preset;
  /** Default zscale; transcodeLadder passes swscale when the ffmpeg build lacks it. */
  scaler?: LadderScaler;
  /**
   * Rewrite every rung playlist after each segment (EXT-X-PLAYLIST-TYPE:EVENT) so the
   * ladder can be played while it is encoded. ffmpeg writes VOD playlists only at the end.
   */
  playlistsWhileEncoding?: boolean;
  /**
   * Encode only this part of the source (a chunk of a long lecture, see media/chunks.ts).
   * The chunk's timestamps start at 0, like a whole lecture's, so its init segments are
   * byte-identical to every other chunk's; joining shifts its segments' tfdt into place.
   * (-output_ts_offset would instead write a per-chunk edit list into the init segment.)
   */
  clip?: { startSeconds: number; durationSeconds: number | null };
  /**
   * The audio already encoded by buildAudioCommand, one MP4 file per bitrate in
   * audioBitrates(plan). Every rung then copies its audio from these files instead of
   * encoding it again on ffmpeg's single main thread (see encodedAudio in media/hls.ts).
   */
  encodedAudio?: ReadonlyMap<number, string>;
}

/** The distinct AAC bitrates the ladder needs (several rungs share one), lowest first. */
export function audioBitrates(plan: LadderPlan): number[] {
  const rates = [...plan.video.map((rung) => rung.audioKbps), plan.audio?.audioKbps ?? null];
  return [...new Set(rates.filter((kbps): kbps is number => kbps !== null))].sort((a, b) => a - b);
}

/**
 * One ffmpeg process that encodes the source's audio once per distinct bitrate (same
 * clip, rate and layout as the ladder) into small MP4 files, before the ladder runs.
 * The MP4's edit list carries the AAC priming, so copied audio keeps exactly the
 * timestamps it would have had if the ladder had encoded it.
 */
export function buildAudioCommand(options: Pick<LadderCommandInput, 'input' | 'inputDemuxer' | 'audioStreamIndex' | 'clip'> & { outputs: ReadonlyMap<number, string> }): string[] {
  const outputs = [...options.outputs];
  return [
    ...FFMPEG_GLOBAL_ARGS,
    ...clipInputArgs(options.clip),
    ...safeInputArgs(options.input, options.inputDemuxer),
    '-filter_complex', audioGraph(outputs.length, options.audioStreamIndex),
    ...outputs.flatMap(([kbps, file], i) => [
      '-map', `[a${i}]`, '-c:a', 'aac', '-b:a', `${kbps}k`,
      '-map_metadata', '-1', '-map_chapters', '-1', '-f', 'mp4', ...safeOutputArgs(file),
    ]),
  ];
}

/** One ffmpeg process: decode once, scale once per rung, package every rung as HLS fMP4. */
export function buildLadderCommand(options: LadderCommandInput): string[] {
  const { plan, encodedAudio } = options;
  const video = orderForMaster(plan);
  const audioOutputs = video.filter((rung) => rung.audioKbps !== null).length + (plan.audio ? 1 : 0);
  const copiedAudio = encodedAudio ? [...encodedAudio.keys()] : [];
  const graph = [
    ...(video.length ? [videoGraph(video, plan.video[0]!, options.videoStreamIndex, options.scaler ?? 'zscale')] : []),
    ...(audioOutputs && !encodedAudio ? [audioGraph(audioOutputs, options.audioStreamIndex)] : []),
  ].join(';');

  const maps: string[] = [];
  const streamOptions: string[] = [];
  const variants: string[] = [];
  let audioIndex = 0;
  const mapAudio = (kbps: number) => {
    if (encodedAudio) {
      const input = copiedAudio.indexOf(kbps);
      if (input < 0) throw new Error(`No encoded audio at ${kbps} kbit/s for the ladder`);
      maps.push('-map', `${input + 1}:a:0`);
    } else {
      maps.push('-map', `[a${audioIndex}]`);
    }
    // With -c:a copy this still sets the stream's declared bitrate: the init segment and
    // master playlist then carry the nominal rate, as when the ladder encodes the audio
    // (otherwise each chunk of a long lecture would declare its own measured rate).
    streamOptions.push(`-b:a:${audioIndex}`, `${kbps}k`);
    return `a:${audioIndex++}`;
  };
  video.forEach((rung, videoIndex) => {
    maps.push('-map', `[v${videoIndex}]`);
    streamOptions.push(...videoRungOptions(rung, videoIndex));
    const audio = rung.audioKbps === null ? '' : `,${mapAudio(rung.audioKbps)}`;
    variants.push(`v:${videoIndex}${audio},name:${rung.name}`);
  });
  if (plan.audio) variants.push(`${mapAudio(plan.audio.audioKbps)},name:${plan.audio.name}`);

  const outDir = resolve(options.outDir);
  return [
    ...FFMPEG_GLOBAL_ARGS,
    '-progress', 'pipe:1', '-nostats',
    ...clipInputArgs(options.clip),
    ...safeInputArgs(options.input, options.inputDemuxer),
    // Our own files from buildAudioCommand, still read through the same fence.
    ...[...(encodedAudio?.values() ?? [])].flatMap((file) => safeInputArgs(file, 'mov')),
    ...(graph ? ['-filter_complex', graph] : []),
    ...maps,
    ...(video.length ? x264Options(plan.segmentSeconds, options.encoderPreset ?? DEFAULT_ENCODER_PRESET) : []),
    ...streamOptions,
    ...(audioOutputs ? ['-c:a', encodedAudio ? 'copy' : 'aac'] : []),
    // Phone uploads carry GPS position and device names; students need none of it.
    '-map_metadata', '-1', '-map_chapters', '-1',
    '-f', 'hls',
    '-hls_time', String(plan.segmentSeconds),
    '-hls_playlist_type', options.playlistsWhileEncoding ? 'event' : 'vod',
    '-hls_segment_type', 'fmp4',
    '-hls_flags', 'independent_segments',
    '-hls_fmp4_init_filename', 'init.mp4',
    '-hls_segment_filename', join(outDir, '%v', 'seg_%05d.m4s'),
    '-master_pl_name', MASTER_PLAYLIST,
    '-var_stream_map', variants.join(' '),
    ...safeOutputArgs(join(outDir, '%v', RUNG_PLAYLIST)),
  ];
}

/**
 * Input seeking: ffmpeg jumps to the keyframe before the start and decodes (and discards)
 * up to it, so the chunk begins at exactly that frame while decoding only what it needs.
 * The chunk's own timeline then starts at 0, so -force_key_frames puts IDR frames on the
 * lecture's segment grid as long as chunks start on segment boundaries.
 */
function clipInputArgs(clip: LadderCommandInput['clip']): string[] {
  if (!clip) return [];
  return ['-ss', String(clip.startSeconds), ...(clip.durationSeconds === null ? [] : ['-t', String(clip.durationSeconds)])];
}

/** Start rung first (players begin with the first variant), then the rest highest first. */
function orderForMaster(plan: LadderPlan): VideoRung[] {
  const start = plan.video.filter((rung) => rung.name === plan.startRungName);
  return [...start, ...plan.video.filter((rung) => rung.name !== plan.startRungName)];
}

/**
 * The source is decimated to the top rung's rate and scaled to it once; every lower rung
 * is scaled from that picture. Scaling a 1080p source five times was the largest single
 * cost in ffmpeg's (single-threaded) filter stage.
 */
function videoGraph(rungs: VideoRung[], top: VideoRung, streamIndex: number | undefined, scaler: LadderScaler): string {
  const source = streamIndex === undefined ? '0:v:0' : `0:${streamIndex}`;
  const branches = rungs.map((_, i) => `[vs${i}]`).join('');
  const resize = (rung: VideoRung) => scaler === 'zscale'
    ? `zscale=w=${rung.width}:h=${rung.height}:filter=spline16`
    : `scale=w=${rung.width}:h=${rung.height}:flags=bicubic`;
  const chains = rungs.map((rung, i) => rung === top
    ? `[vs${i}]null[v${i}]`
    // fps before scale so dropped frames are never scaled.
    : `[vs${i}]fps=${rung.fps},${resize(rung)},setsar=1[v${i}]`);
  // format first: zscale only resizes here, so 10-bit or full-range uploads are converted
  // to 8-bit 4:2:0 by swscale (a no-op for ordinary 8-bit sources).
  const topChain = `fps=${top.fps},format=yuv420p,${resize(top)},setsar=1`;
  return [`[${source}]${topChain},split=${rungs.length}${branches}`, ...chains].join(';');
}

function audioGraph(outputs: number, streamIndex: number | undefined): string {
  const source = streamIndex === undefined ? '0:a:0' : `0:${streamIndex}`;
  const branches = Array.from({ length: outputs }, (_, i) => `[a${i}]`).join('');
  // Same rate and layout on every rung so a player switching rungs never reconfigures audio.
  return `[${source}]aformat=sample_fmts=fltp:sample_rates=${AUDIO_SAMPLE_RATE}:channel_layouts=mono,asplit=${outputs}${branches}`;
}

/** Shared by every rung; exported so the benchmark's one-process-per-rung baseline encodes alike. */
export function x264Options(segmentSeconds: number, preset: X264Preset): string[] {
  return [
    '-c:v', 'libx264',
    '-preset:v', preset,
    // stillimage: stronger psy-rd and lighter deblocking keep slide text sharp (its AQ
    // strength is lowered again in x264Params).
    '-tune:v', 'stillimage',
    '-profile:v', 'high',
    // An IDR frame exactly at every segment boundary on every rung, and no others, so
    // segments are independently decodable and switchable at the same instants.
    '-force_key_frames:v', `expr:gte(t,n_forced*${segmentSeconds})`,
    '-forced-idr:v', '1',
    '-sc_threshold:v', '0',
    '-x264-params:v', x264Params(preset),
  ];
}

export function videoRungOptions(rung: VideoRung, index: number): string[] {
  return [
    `-crf:v:${index}`, String(rung.crf),
    `-maxrate:v:${index}`, `${rung.videoMaxKbps}k`,
    `-bufsize:v:${index}`, `${rung.bufsizeKbits}k`,
    `-g:v:${index}`, String(rung.gopFrames),
  ];
}
