import { describe, expect, it } from 'vitest';
import type { TranscodeProgress } from './progress.js';
import { createProgressReader, parseProgressBlock } from './progress.js';

const firstBlock = [
  'frame=0', 'fps=0.00', 'stream_0_0_q=0.0', 'bitrate=N/A', 'total_size=N/A',
  'out_time_us=N/A', 'out_time_ms=N/A', 'out_time=N/A', 'dup_frames=0', 'drop_frames=0', 'speed=N/A', 'progress=continue',
].join('\n');
const middleBlock = [
  'frame=450', 'fps=61.2', 'bitrate= 180.3kbits/s', 'total_size=1352704',
  'out_time_us=15000000', 'out_time_ms=15000000', 'out_time=00:00:15.000000', 'speed=2.04x', 'progress=continue',
].join('\n');
const lastBlock = ['frame=1800', 'out_time_us=60016000', 'out_time=00:01:00.016000', 'speed=2.1x', 'progress=end'].join('\n');

function readAll(chunks: string[], durationSeconds: number | null): TranscodeProgress[] {
  const updates: TranscodeProgress[] = [];
  const reader = createProgressReader({ durationSeconds, onProgress: (update) => updates.push(update) });
  chunks.forEach(reader.push);
  reader.end();
  return updates;
}

describe('createProgressReader', () => {
  it('reports one update per block: N/A at first, then time, percent and speed, then done', () => {
    expect(readAll([`${firstBlock}\n${middleBlock}\n${lastBlock}\n`], 60)).toEqual([
      { outTimeSeconds: null, percent: null, speed: null, done: false },
      { outTimeSeconds: 15, percent: 25, speed: 2.04, done: false },
      { outTimeSeconds: 60.016, percent: 100, speed: 2.1, done: true },
    ]);
  });

  it('gives the same result however stdout was chunked, even mid-line', () => {
    const text = `${middleBlock}\r\n${lastBlock}\n`;
    const whole = readAll([text], 60);
    const byteByByte = readAll(text.split(''), 60);
    const awkward = readAll([text.slice(0, 37), text.slice(37, 38), text.slice(38)], 60);
    expect(byteByByte).toEqual(whole);
    expect(awkward).toEqual(whole);
  });

  it('handles a final block that arrives without a trailing newline', () => {
    expect(readAll([lastBlock], 60).at(-1)?.done).toBe(true);
  });

  it('ignores lines that are not key=value', () => {
    expect(readAll(['garbage\n=x\n', middleBlock, '\n'], 60)).toHaveLength(1);
  });
});

describe('parseProgressBlock', () => {
  const block = (entries: Record<string, string>) => new Map(Object.entries(entries));

  it('falls back to out_time when the microsecond fields are missing', () => {
    expect(parseProgressBlock(block({ out_time: '01:02:03.500000', progress: 'continue' }), null).outTimeSeconds).toBe(3723.5);
  });

  it('treats a negative start time (audio priming) as zero', () => {
    expect(parseProgressBlock(block({ out_time_us: '-21333', progress: 'continue' }), 10).outTimeSeconds).toBe(0);
    expect(parseProgressBlock(block({ out_time: '-00:00:00.021333' }), 10).outTimeSeconds).toBe(0);
  });

  it('has no percent without a duration and never claims 100 before ffmpeg ends', () => {
    expect(parseProgressBlock(block({ out_time_us: '5000000' }), null).percent).toBeNull();
    expect(parseProgressBlock(block({ out_time_us: '5000000' }), 0).percent).toBeNull();
    expect(parseProgressBlock(block({ out_time_us: '12000000', progress: 'continue' }), 10).percent).toBe(99.9);
  });
});
