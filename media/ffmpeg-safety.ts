import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/**
 * Demuxers an uploaded lecture may be read with. Everything else is refused, above all
 * hls, concat, image2, tee and the playlist formats: those make ffmpeg open further files
 * or URLs named *inside* the upload (the 2017 "HLS playlist renamed .avi" attack reads
 * /etc/passwd that way). A nested demuxer (AVI GAB2 subtitles, ...) inherits this list.
 * mov covers mp4/m4a/3gp; matroska covers webm, which browsers' MediaRecorder writes.
 */
export const ALLOWED_DEMUXERS = ['mov', 'matroska', 'avi', 'mpegts', 'flv', 'mp3', 'wav', 'ogg', 'aac', 'flac'] as const;
export type AllowedDemuxer = (typeof ALLOWED_DEMUXERS)[number];

/** `-loglevel error` keeps the stderr tail in error messages short and to the point. */
export const FFMPEG_GLOBAL_ARGS = ['-hide_banner', '-nostdin', '-loglevel', 'error'] as const;
export const FFPROBE_GLOBAL_ARGS = ['-hide_banner', '-loglevel', 'error'] as const;

export function isAllowedDemuxer(name: string): name is AllowedDemuxer {
  return (ALLOWED_DEMUXERS as readonly string[]).includes(name);
}

/**
 * Input options for every ffprobe/ffmpeg run on an upload. The path is made absolute and
 * prefixed with `file:` so a name such as `concat:a|b` or `subfile,,...` is never parsed as
 * a protocol. `demuxer` (the first name ffprobe reported) forces `-f` once a whitelisted
 * sniff has identified the file, so ffmpeg cannot re-sniff it as something else.
 */
export function safeInputArgs(inputPath: string, demuxer?: string): string[] {
  if (demuxer !== undefined && !isAllowedDemuxer(demuxer)) {
    throw new Error(`Refusing to read ${inputPath} as '${demuxer}': not an allowed demuxer`);
  }
  return [
    '-protocol_whitelist', 'file',
    '-format_whitelist', ALLOWED_DEMUXERS.join(','),
    ...(demuxer ? ['-f', demuxer] : []),
    '-i', `file:${resolve(inputPath)}`,
  ];
}

/**
 * Input options for a live stream fed to ffmpeg's stdin (the teacher's MediaRecorder WebM):
 * the pipe protocol only and the one demuxer named, so nothing in the stream can make
 * ffmpeg open a file or URL. Probing is kept short: the WebM header declares its tracks,
 * and ffmpeg's default (5 s of input) would add 5 s of delay before the first segment.
 */
export function safePipeInputArgs(demuxer: 'matroska'): string[] {
  return [
    '-protocol_whitelist', 'pipe',
    '-format_whitelist', demuxer,
    '-fflags', '+nobuffer',
    '-probesize', '32768',
    '-analyzeduration', '0',
    '-f', demuxer,
    '-i', 'pipe:0',
  ];
}

/**
 * Output options placed right before an output path: the muxer (HLS opens one file per
 * segment) may only write local files. The path stays unprefixed because the HLS muxer
 * derives segment and init paths from it; an absolute path cannot look like `proto:`.
 */
export function safeOutputArgs(outputPath: string): string[] {
  return ['-protocol_whitelist', 'file', resolve(outputPath)];
}

export function quoteCommandLine(bin: string, args: readonly string[]): string {
  return [bin, ...args].map(quoteShellWord).join(' ');
}

function quoteShellWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

export interface MediaLogger {
  debug(details: object, message: string): void;
}

export interface FfmpegToolRun {
  bin: string;
  args: readonly string[];
  timeoutMs: number;
  signal?: AbortSignal;
  onStderrLine?: (line: string) => void;
  /** When given, stdout is streamed here instead of being collected (ffmpeg -progress). */
  onStdout?: (chunk: string) => void;
  logger?: MediaLogger;
  /** Fed to ffmpeg's stdin (`-i pipe:0`); without it stdin is closed. */
  stdin?: Readable;
}

export interface FfmpegToolResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export type FfmpegFailure = 'exit-code' | 'timeout' | 'aborted' | 'spawn-failed' | 'output-too-large';

export class FfmpegToolError extends Error {
  override name = 'FfmpegToolError';
  constructor(
    readonly failure: FfmpegFailure,
    readonly commandLine: string,
    readonly exitCode: number | null,
    readonly stderrTail: string,
    options?: { cause?: unknown },
  ) {
    super(`${describeFailure(failure, exitCode)}: ${commandLine}${stderrTail ? `\n${stderrTail}` : ''}`, options);
  }
}

function describeFailure(failure: FfmpegFailure, exitCode: number | null): string {
  switch (failure) {
    case 'exit-code': return `ffmpeg tool exited with code ${exitCode}`;
    case 'timeout': return 'ffmpeg tool timed out and was killed';
    case 'aborted': return 'ffmpeg tool was aborted';
    case 'spawn-failed': return 'ffmpeg tool could not be started';
    case 'output-too-large': return 'ffmpeg tool printed more output than allowed and was killed';
  }
}

const STDERR_TAIL_LINES = 30;
// ffprobe's JSON for a sane file is a few KB; thousands of streams in a crafted file are not.
const MAX_STDOUT_CHARS = 8 * 1024 * 1024;
// ffmpeg flushes and exits on SIGTERM within a frame or two; SIGKILL if it hangs in I/O.
const KILL_GRACE_MS = 3000;

export function runFfmpegTool(run: FfmpegToolRun): Promise<FfmpegToolResult> {
  const commandLine = quoteCommandLine(run.bin, run.args);
  if (run.signal?.aborted) {
    return Promise.reject(new FfmpegToolError('aborted', commandLine, null, '', { cause: run.signal.reason }));
  }
  run.logger?.debug({ commandLine }, 'running ffmpeg tool');

  return new Promise((resolvePromise, reject) => {
    const child = spawn(run.bin, run.args, { stdio: [run.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] }) as ChildProcessByStdio<Writable | null, Readable, Readable>;
    if (run.stdin && child.stdin) {
      // ffmpeg closing its input early (it failed, or was stopped) is reported by its exit.
      child.stdin.on('error', () => {});
      run.stdin.pipe(child.stdin);
    }
    const stderrLines: string[] = [];
    const splitter = createLineSplitter((line) => {
      stderrLines.push(line);
      if (stderrLines.length > STDERR_TAIL_LINES) stderrLines.shift();
      run.onStderrLine?.(line);
    });
    let stdout = '';
    let stopReason: FfmpegFailure | null = null;
    let spawnError: Error | null = null;
    let killTimer: NodeJS.Timeout | undefined;

    const stop = (reason: FfmpegFailure) => {
      if (stopReason) return;
      stopReason = reason;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    };
    const timeout = setTimeout(() => stop('timeout'), run.timeoutMs);
    const onAbort = () => stop('aborted');
    run.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (run.onStdout) return run.onStdout(chunk);
      stdout += chunk;
      if (stdout.length > MAX_STDOUT_CHARS) stop('output-too-large');
    });
    child.stderr.setEncoding('utf8').on('data', splitter.push);
    child.on('error', (error) => { spawnError = error; });
    child.on('close', (code) => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      run.signal?.removeEventListener('abort', onAbort);
      splitter.end();
      const stderr = stderrLines.join('\n');
      const failure: FfmpegFailure | null =
        spawnError ? 'spawn-failed' : stopReason ?? (code === 0 ? null : 'exit-code');
      if (!failure) return resolvePromise({ stdout, stderr, exitCode: 0 });
      const cause = spawnError ?? (failure === 'aborted' ? run.signal?.reason : undefined);
      reject(new FfmpegToolError(failure, commandLine, code, stderr, { cause }));
    });
  });
}

/** ffmpeg ends status lines with \r as well as \n; chunks may cut a line anywhere. */
export function createLineSplitter(onLine: (line: string) => void) {
  let pending = '';
  return {
    push(chunk: string) {
      const parts = (pending + chunk).split(/\r\n|\r|\n/);
      pending = parts.pop() ?? '';
      for (const line of parts) if (line.trim() !== '') onLine(line);
    },
    end() {
      if (pending.trim() !== '') onLine(pending);
      pending = '';
    },
  };
}
