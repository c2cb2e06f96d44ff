import { describe, expect, it } from 'vitest';
import { liveHlsArgs, remuxRecordingArgs } from './live-hls.js';

const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('the live packaging command', () => {
  it('reads only WebM/Matroska from the pipe, with short probing', () => {
    const args = liveHlsArgs('/tmp/x', true);
    expect(after(args, '-protocol_whitelist')).toBe('pipe');
    expect(after(args, '-format_whitelist')).toBe('matroska');
    expect(after(args, '-f')).toBe('matroska');
    expect(after(args, '-i')).toBe('pipe:0');
    expect(after(args, '-analyzeduration')).toBe('0');
    // Every output may only write local files.
    const outputs = args.filter((a) => a.endsWith('index.m3u8'));
    expect(outputs).toEqual(['/tmp/x/audio/index.m3u8', '/tmp/x/240p/index.m3u8']);
    for (const o of outputs) expect(args[args.indexOf(o) - 1]).toBe('file');
  });

  it('writes 1 s fMP4 segments with a key frame each, audio mono AAC; no video rung without a camera', () => {
    const args = liveHlsArgs('/tmp/x', true);
    expect(args.filter((a) => a === '-hls_time').length).toBe(2);
    expect(after(args, '-hls_time')).toBe('1');
    expect(after(args, '-hls_segment_type')).toBe('fmp4');
    expect(after(args, '-g')).toBe('15');
    expect(after(args, '-ac')).toBe('1');
    expect(args.join(' ')).toContain('scale=-2:240,fps=15');
    const audioOnly = liveHlsArgs('/tmp/x', false);
    expect(audioOnly).not.toContain('libx264');
    expect(audioOnly.filter((a) => a.endsWith('.m3u8'))).toEqual(['/tmp/x/audio/index.m3u8']);
  });

  it('remuxes the recording from a file as matroska only', () => {
    const args = remuxRecordingArgs('/tmp/r.webm', '/tmp/out');
    expect(after(args, '-format_whitelist')).toContain('matroska');
    expect(after(args, '-f')).toBe('matroska');
    expect(after(args, '-i')).toBe('file:/tmp/r.webm');
    expect(args).toContain('copy');
  });
});
