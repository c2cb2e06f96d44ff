import { FFMPEG_GLOBAL_ARGS, runFfmpegTool, safeOutputArgs } from './ffmpeg-safety.js';

/**
 * Lecture-like test videos made from ffmpeg's lavfi sources only, so tests and the
 * benchmark never need committed binaries: a slide background that changes every few
 * seconds, a moving box standing in for the talking head, light grain (a camera never
 * gives perfectly flat colour, and grain is what makes low bitrates hard), and a
 * speech-like modulated tone over pink noise.
 */
export interface LectureClipOptions {
  seconds: number;
  width: number;
  height: number;
  fps: number;
  /** Default true. */
  audio?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  ffmpegBin?: string;
}

const SLIDE_SECONDS = 3;

export async function generateLectureClip(outPath: string, options: LectureClipOptions): Promise<void> {
  const { seconds, width, height } = options;
  if (width % 2 !== 0 || height % 2 !== 0) throw new Error('H.264 4:2:0 needs an even width and height');
  const bin = options.ffmpegBin ?? 'ffmpeg';
  const withAudio = options.audio ?? true;
  const withText = await hasFilter(bin, 'drawtext');
  const graph = [videoGraph(options, withText), ...(withAudio ? [audioGraph(seconds)] : [])].join(';');
  await runFfmpegTool({
    bin,
    args: [
      ...FFMPEG_GLOBAL_ARGS, '-y',
      '-filter_complex', graph,
      '-map', '[video]', ...(withAudio ? ['-map', '[audio]'] : []),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '23', '-pix_fmt', 'yuv420p',
      ...(withAudio ? ['-c:a', 'aac', '-b:a', '96k'] : []),
      '-t', String(seconds),
      ...safeOutputArgs(outPath),
    ],
    timeoutMs: options.timeoutMs ?? 120_000,
    signal: options.signal,
  });
}

function videoGraph({ seconds, width, height, fps }: LectureClipOptions, withText: boolean): string {
  const source = `s=${width}x${height}:r=${fps}:d=${seconds}`;
  const headWidth = even(width / 6);
  const headHeight = even(height / 4);
  const slide = [
    `color=c=0xF4F1E8:${source}`,
    `drawbox=x=0:y=0:w=iw:h=ih:color=0xDCE6F2:t=fill:enable='gte(mod(t,${SLIDE_SECONDS * 2}),${SLIDE_SECONDS})'`,
    'drawbox=x=iw*0.06:y=ih*0.08:w=iw*0.6:h=ih*0.12:color=0x1F3A5F:t=fill',
    ...[0.32, 0.44, 0.56].map((y) => `drawbox=x=iw*0.08:y=ih*${y}:w=iw*0.5:h=ih*0.04:color=0x555555:t=fill`),
    ...(withText
      ? [
          `drawtext=text='Slide %{eif\\:floor(t/${SLIDE_SECONDS})+1\\:d}':fontcolor=white:fontsize=${Math.max(6, Math.round(height / 14))}:x=w*0.08:y=h*0.1`,
          // Small body text: what low rungs must keep legible.
          `drawtext=text='Small print on a lecture slide':fontcolor=0x333333:fontsize=${Math.max(6, Math.round(height / 26))}:x=w*0.08:y=h*0.68`,
        ]
      : []),
  ].join(',');
  return [
    `${slide}[slide]`,
    `color=c=0xB07A5A:s=${headWidth}x${headHeight}:r=${fps}:d=${seconds}[head]`,
    `[slide][head]overlay=x='W-w-W*0.05+W*0.02*sin(2*t)':y='H-h-H*0.06+H*0.02*sin(3*t)':shortest=1,noise=alls=8:allf=t+u,format=yuv420p[video]`,
  ].join(';');
}

function audioGraph(seconds: number): string {
  return [
    `sine=frequency=180:sample_rate=48000:duration=${seconds},volume='0.4+0.3*sin(2*PI*2.5*t)':eval=frame[tone]`,
    `anoisesrc=color=pink:amplitude=0.03:sample_rate=48000:duration=${seconds}[hiss]`,
    '[tone][hiss]amix=inputs=2:duration=shortest[audio]',
  ].join(';');
}

const filterLists = new Map<string, Promise<string>>();

/** drawtext needs libfreetype, which minimal ffmpeg builds leave out. */
export async function hasFilter(ffmpegBin: string, filter: string): Promise<boolean> {
  let list = filterLists.get(ffmpegBin);
  if (!list) {
    list = runFfmpegTool({ bin: ffmpegBin, args: ['-hide_banner', '-filters'], timeoutMs: 10_000 }).then((r) => r.stdout);
    list.catch(() => filterLists.delete(ffmpegBin));
    filterLists.set(ffmpegBin, list);
  }
  return new RegExp(`^\\s*\\S+\\s+${filter}\\s`, 'm').test(await list);
}

function even(value: number): number {
  return Math.max(2, Math.round(value / 2) * 2);
}
