import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { quoteCommandLine } from '../media/ffmpeg-safety.js';
import { x264Options, x264Params, videoRungOptions } from '../media/ladder-command.js';
import type { LadderScaler, X264Preset } from '../media/ladder-command.js';
import type { LadderPlan, VideoRung } from '../media/ladder.js';
import { AUDIO_SAMPLE_RATE } from '../media/ladder.js';

/**
 * The two ways of producing the same ladder that transcodeLadder is compared against,
 * on the same source and with the same rungs, rate control and x264 settings.
 */

const HLS_FMP4 = (segmentSeconds: number) => [
  '-f', 'hls', '-hls_time', String(segmentSeconds), '-hls_playlist_type', 'vod',
  '-hls_segment_type', 'fmp4', '-hls_flags', 'independent_segments', '-hls_fmp4_init_filename', 'init.mp4',
];
const MONO_AUDIO = `aformat=sample_fmts=fltp:sample_rates=${AUDIO_SAMPLE_RATE}:channel_layouts=mono`;
const resize = (scaler: LadderScaler, rung: VideoRung) => scaler === 'zscale'
  ? `zscale=w=${rung.width}:h=${rung.height}:filter=spline16`
  : `scale=${rung.width}:${rung.height}:flags=bicubic`;

/**
 * PeerTube's way: one ffmpeg process per rung, run one after another, each decoding and
 * scaling the whole source again (with the same scaler, straight from the source).
 */
export function perRungCommands(input: string, plan: LadderPlan, outDir: string, preset: X264Preset, scaler: LadderScaler): string[][] {
  const head = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', input];
  const rungOut = (name: string) => ['-hls_segment_filename', join(outDir, name, 'seg_%05d.m4s'), join(outDir, name, 'index.m3u8')];
  const video = plan.video.map((rung) => [
    ...head,
    '-map', '0:v:0', '-vf', `fps=${rung.fps},format=yuv420p,${resize(scaler, rung)},setsar=1`,
    ...x264Options(plan.segmentSeconds, preset), ...videoRungOptions(rung, 0),
    ...(rung.audioKbps === null ? [] : ['-map', '0:a:0', '-af', MONO_AUDIO, '-c:a', 'aac', '-b:a', `${rung.audioKbps}k`]),
    ...HLS_FMP4(plan.segmentSeconds), ...rungOut(rung.name),
  ]);
  const audio = plan.audio
    ? [[...head, '-map', '0:a:0', '-af', MONO_AUDIO, '-c:a', 'aac', '-b:a', `${plan.audio.audioKbps}k`, ...HLS_FMP4(plan.segmentSeconds), ...rungOut('audio')]]
    : [];
  return [...video, ...audio];
}

/**
 * One command written out by hand, the way an engineer would type it after reading the
 * ffmpeg manual: the same graph, rungs and settings as buildLadderCommand, without our
 * input whitelists, progress pipe, metadata stripping and playlists-while-encoding.
 * transcodeLadder must not be more than 10 % slower than this.
 */
export function handWrittenCommand(input: string, plan: LadderPlan, outDir: string, preset: X264Preset, scaler: LadderScaler): string[] {
  const [top, ...lower] = plan.video as [VideoRung, ...VideoRung[]];
  const all = [top, ...lower];
  const graph = [
    `[0:v]fps=${top.fps},format=yuv420p,${resize(scaler, top)},setsar=1,split=${all.length}${all.map((_, i) => `[s${i}]`).join('')}`,
    `[s0]null[v0]`,
    ...lower.map((r, i) => `[s${i + 1}]fps=${r.fps},${resize(scaler, r)},setsar=1[v${i + 1}]`),
    `[0:a]${MONO_AUDIO},asplit=${all.length + 1}${[...all, null].map((_, i) => `[a${i}]`).join('')}`,
  ].join(';');
  const perRung = all.flatMap((r, i) => [
    '-map', `[v${i}]`, '-map', `[a${i}]`,
    `-crf:v:${i}`, String(r.crf), `-maxrate:v:${i}`, `${r.videoMaxKbps}k`, `-bufsize:v:${i}`, `${r.bufsizeKbits}k`,
    `-g:v:${i}`, String(r.gopFrames), `-b:a:${i}`, `${r.audioKbps}k`,
  ]);
  const variants = [...all.map((r, i) => `v:${i},a:${i},name:${r.name}`), `a:${all.length},name:audio`].join(' ');
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-i', input, '-filter_complex', graph,
    ...perRung, '-map', `[a${all.length}]`, `-b:a:${all.length}`, `${plan.audio!.audioKbps}k`,
    '-c:v', 'libx264', '-preset', preset, '-tune', 'stillimage', '-profile:v', 'high',
    '-force_key_frames', `expr:gte(t,n_forced*${plan.segmentSeconds})`, '-forced-idr', '1', '-sc_threshold', '0',
    '-x264-params', x264Params(preset),
    '-c:a', 'aac', ...HLS_FMP4(plan.segmentSeconds),
    '-hls_segment_filename', join(outDir, '%v', 'seg_%05d.m4s'), '-master_pl_name', 'master.m3u8',
    '-var_stream_map', variants, join(outDir, '%v', 'index.m3u8'),
  ];
}

/** Plain spawn, no wrapper: the baselines must not pay for anything transcodeLadder adds. */
export function runFfmpeg(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-4000); });
    child.on('error', reject);
    child.on('close', (code) => code === 0
      ? resolve()
      : reject(new Error(`ffmpeg exited with ${code}: ${quoteCommandLine('ffmpeg', args)}\n${stderr}`)));
  });
}
