import { describe, expect, it } from 'vitest';
import { serviceEnvSchema, requireS3Settings } from '../runtime/env.js';
import { contentTypeOf, parseByteRange, resolveByteRange, RangeNotSatisfiableError } from './media-storage.js';
import { localPlaylistReferences } from './publish-folder.js';

describe('byte ranges', () => {
  it('parses the single ranges players send, and ignores anything else (the whole file is then served)', () => {
    expect(parseByteRange('bytes=100-199')).toEqual({ start: 100, end: 199 });
    expect(parseByteRange('bytes=100-')).toEqual({ start: 100 });
    expect(parseByteRange('bytes=-500')).toEqual({ suffix: 500 });
    for (const ignored of [undefined, '', 'bytes=-', 'bytes=5-1', 'bytes=0-1,5-9', 'items=0-1', 'bytes=-0', 'bytes=a-b']) expect(parseByteRange(ignored)).toBeNull();
  });

  it('resolves a range against the object size, clamping the end and refusing a start past it', () => {
    expect(resolveByteRange(undefined, 10)).toEqual({ start: 0, end: 9 });
    expect(resolveByteRange({ start: 5, end: 100 }, 10)).toEqual({ start: 5, end: 9 });
    expect(resolveByteRange({ suffix: 100 }, 10)).toEqual({ start: 0, end: 9 });
    expect(() => resolveByteRange({ start: 10 }, 10)).toThrow(RangeNotSatisfiableError);
  });

  it('gives HLS files their registered types', () => {
    expect(contentTypeOf('videos/x/hls/master.m3u8')).toBe('application/vnd.apple.mpegurl');
    expect(contentTypeOf('videos/x/hls/240p/seg_1.m4s')).toBe('video/iso.segment');
    expect(contentTypeOf('videos/x/hls/240p/init.mp4')).toBe('video/mp4');
    expect(contentTypeOf('videos/x/hls/subs/en.vtt')).toBe('text/vtt; charset=utf-8');
  });
});

describe('playlist references', () => {
  it('lists segments, init segments and renditions, never absolute or remote URLs', () => {
    const playlist = ['#EXTM3U', '#EXT-X-MAP:URI="init.mp4"', '#EXTINF:4,', 'seg_0.m4s', '#EXT-X-MEDIA:TYPE=SUBTITLES,URI="subs/en.m3u8"', 'https://evil.example/x.m4s', '/etc/passwd', ''].join('\n');
    expect(localPlaylistReferences(playlist)).toEqual(['init.mp4', 'seg_0.m4s', 'subs/en.m3u8']);
  });
});

describe('MEDIA_STORAGE settings', () => {
  const schema = serviceEnvSchema.superRefine(requireS3Settings);
  const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/edu', REDIS_URL: 'redis://127.0.0.1:6379/0' };
  const problems = (env: Record<string, string>) => {
    const result = schema.safeParse({ ...base, ...env });
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
  };

  it('defaults to local disk and needs nothing else', () => {
    expect(schema.parse(base).MEDIA_STORAGE).toBe('local');
  });

  it('with s3, needs a bucket and both keys or neither, and says which variable is wrong', () => {
    expect(problems({ MEDIA_STORAGE: 's3' })).toEqual(['S3_BUCKET is required when MEDIA_STORAGE=s3']);
    expect(problems({ MEDIA_STORAGE: 's3', S3_BUCKET: 'media', S3_ACCESS_KEY_ID: 'AK' })).toEqual(['S3_SECRET_ACCESS_KEY must be set together with the other S3 key']);
    expect(problems({ MEDIA_STORAGE: 's3', S3_BUCKET: 'Bad_Bucket' })[0]).toMatch(/^S3_BUCKET must be an S3 bucket name/);
    expect(problems({ MEDIA_STORAGE: 'nfs' })[0]).toMatch(/^MEDIA_STORAGE must be local or s3/);
    expect(problems({ MEDIA_STORAGE: 's3', S3_BUCKET: 'media', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY_ID: 'AK', S3_SECRET_ACCESS_KEY: 'SK', S3_FORCE_PATH_STYLE: '1' })).toEqual([]);
  });
});
