import { describe, expect, it } from 'vitest';
import {
  FFMPEG_GLOBAL_ARGS,
  FfmpegToolError,
  createLineSplitter,
  quoteCommandLine,
  runFfmpegTool,
  safeInputArgs,
  safeOutputArgs,
} from './ffmpeg-safety.js';

// An input that never ends, so only a timeout or an abort can stop ffmpeg.
const ENDLESS = [...FFMPEG_GLOBAL_ARGS, '-re', '-f', 'lavfi', '-i', 'anullsrc', '-f', 'null', '-'];

describe('safeInputArgs', () => {
  it('whitelists the file protocol and safe demuxers, and pins the path to file:', () => {
    const args = safeInputArgs('uploads/talk.mp4');
    expect(args).toEqual(expect.arrayContaining(['-protocol_whitelist', 'file']));
    const formats = args[args.indexOf('-format_whitelist') + 1]?.split(',');
    expect(formats).toContain('mov');
    for (const dangerous of ['hls', 'concat', 'image2', 'tee', 'applehttp', 'data']) expect(formats).not.toContain(dangerous);
    expect(args.at(-1)).toBe(`file:${process.cwd()}/uploads/talk.mp4`);
  });

  it('forces a sniffed demuxer only when it is on the allow-list', () => {
    expect(safeInputArgs('/x.mp4', 'mov')).toEqual(expect.arrayContaining(['-f', 'mov']));
    expect(() => safeInputArgs('/x.mp4', 'hls')).toThrow(/not an allowed demuxer/);
  });

  it('keeps a protocol-looking name as a local path', () => {
    expect(safeInputArgs('concat:/etc/passwd|a.mp4').at(-1)).toBe(`file:${process.cwd()}/concat:/etc/passwd|a.mp4`);
  });
});

describe('safeOutputArgs', () => {
  it('restricts the muxer to local files and makes the path absolute', () => {
    expect(safeOutputArgs('http://example.com/x.m3u8')).toEqual([
      '-protocol_whitelist', 'file', `${process.cwd()}/http:/example.com/x.m3u8`,
    ]);
  });
});

describe('quoteCommandLine', () => {
  it('quotes only the words a shell would split or expand', () => {
    expect(quoteCommandLine('ffmpeg', ['-i', '/a b.mp4', '-vf', "drawtext=text='x'", '-y', 'out.mp4']))
      .toBe(`ffmpeg -i '/a b.mp4' -vf 'drawtext=text='\\''x'\\''' -y out.mp4`);
  });
});

describe('createLineSplitter', () => {
  it('joins lines split across chunks and splits on \\r as ffmpeg status lines do', () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line));
    splitter.push('first li');
    splitter.push('ne\r\nsecond\rthi');
    splitter.end();
    expect(lines).toEqual(['first line', 'second', 'thi']);
  });
});

describe('runFfmpegTool', () => {
  it('returns stdout and exit code 0 on success', async () => {
    const result = await runFfmpegTool({ bin: 'ffprobe', args: ['-hide_banner', '-version'], timeoutMs: 10_000 });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^ffprobe version/);
  });

  it('throws with the quoted command line and the stderr tail when the tool fails', async () => {
    const lines: string[] = [];
    const error = await runFfmpegTool({
      bin: 'ffprobe',
      args: ['-hide_banner', '-loglevel', 'error', ...safeInputArgs('/nonexistent dir/missing.mp4')],
      timeoutMs: 10_000,
      onStderrLine: (line) => lines.push(line),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegToolError);
    const failure = error as FfmpegToolError;
    expect(failure.failure).toBe('exit-code');
    expect(failure.exitCode).toBe(1);
    expect(failure.message).toContain(`'file:/nonexistent dir/missing.mp4'`);
    expect(failure.message).toContain('No such file or directory');
    expect(lines.join('\n')).toContain('No such file or directory');
  });

  it('kills the tool when it runs past its timeout', async () => {
    const started = Date.now();
    const error = await runFfmpegTool({ bin: 'ffmpeg', args: ENDLESS, timeoutMs: 300 }).catch((e: unknown) => e);
    expect((error as FfmpegToolError).failure).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('kills the tool when the signal aborts, and never starts it if already aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('job cancelled')), 200);
    const error = await runFfmpegTool({ bin: 'ffmpeg', args: ENDLESS, timeoutMs: 30_000, signal: controller.signal })
      .catch((e: unknown) => e);
    expect((error as FfmpegToolError).failure).toBe('aborted');
    expect((error as FfmpegToolError).cause).toEqual(new Error('job cancelled'));

    const late = await runFfmpegTool({ bin: 'ffmpeg-does-not-exist', args: [], timeoutMs: 1000, signal: controller.signal })
      .catch((e: unknown) => e);
    expect((late as FfmpegToolError).failure).toBe('aborted');
  });

  it('reports a missing binary as spawn-failed', async () => {
    const error = await runFfmpegTool({ bin: 'ffmpeg-does-not-exist', args: [], timeoutMs: 1000 }).catch((e: unknown) => e);
    expect((error as FfmpegToolError).failure).toBe('spawn-failed');
  });
});
