import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type RunningS3 } from '../../tests/support/s3-server.js';
import { LocalMediaStorage } from './local-storage.js';
import { RangeNotSatisfiableError, type MediaStorage } from './media-storage.js';
import { fetchFolder, publishFolder } from './publish-folder.js';
import { S3MediaStorage } from './s3-storage.js';

// One contract, two implementations: local disk, and S3 against a real S3-compatible
// server (s3rver over HTTP on a free port), so the web node and workers behave the same
// whichever MEDIA_STORAGE a deployment picks.

let scratch = '';
let s3: RunningS3;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'edu-storage-'));
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3?.close();
  await rm(scratch, { recursive: true, force: true });
});

const s3Storage = (accessKeyId = 'S3RVER') =>
  new S3MediaStorage({ endpoint: s3.endpoint, region: 'us-east-1', bucket: s3.bucket, accessKeyId, secretAccessKey: 'S3RVER', forcePathStyle: true, keyPrefix: 'contract/' });

const implementations: [string, () => MediaStorage][] = [
  ['local disk', () => new LocalMediaStorage(path.join(scratch, 'root'))],
  ['S3 (s3rver)', () => s3Storage()],
];

const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => i % 251));
let unique = 0;
const videoPrefix = () => `videos/v${Date.now()}-${unique++}/`;

/** A ladder folder as ffmpeg leaves it while encoding: EVENT playlists, one segment still being written. */
async function ladderFolder(segmentsPerRung: number, { complete }: { complete: boolean }) {
  const dir = await mkdtemp(path.join(scratch, 'ladder-'));
  const rungs = ['240p', 'audio'];
  for (const rung of rungs) {
    await mkdir(path.join(dir, rung));
    await writeFile(path.join(dir, rung, 'init.mp4'), bytes(300));
    const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-TARGETDURATION:4', `#EXT-X-PLAYLIST-TYPE:${complete ? 'VOD' : 'EVENT'}`, '#EXT-X-MAP:URI="init.mp4"'];
    for (let i = 0; i < segmentsPerRung; i++) {
      await writeFile(path.join(dir, rung, `seg_${i}.m4s`), bytes(1000 + i));
      lines.push('#EXTINF:4.000,', `seg_${i}.m4s`);
    }
    if (complete) lines.push('#EXT-X-ENDLIST');
    else await writeFile(path.join(dir, rung, `seg_${segmentsPerRung}.m4s`), bytes(10)); // being written, not listed yet
    await writeFile(path.join(dir, rung, 'index.m3u8'), `${lines.join('\n')}\n`);
  }
  await writeFile(path.join(dir, 'master.m3u8'), ['#EXTM3U', '#EXT-X-STREAM-INF:BANDWIDTH=97000', '240p/index.m3u8', '#EXT-X-STREAM-INF:BANDWIDTH=40000', 'audio/index.m3u8', ''].join('\n'));
  return dir;
}

describe.each(implementations)('%s media storage', (_name, make) => {
  let storage: MediaStorage;
  beforeAll(() => {
    storage = make();
  });

  it('stores an object from memory or a file and reads it back whole with its type', async () => {
    const prefix = videoPrefix();
    await storage.put(`${prefix}hls/master.m3u8`, Buffer.from('#EXTM3U\n'));
    const file = path.join(scratch, `seg-${unique++}.m4s`);
    await writeFile(file, bytes(5000));
    await storage.put(`${prefix}hls/240p/seg_0.m4s`, { file });
    const playlist = await storage.read(`${prefix}hls/master.m3u8`);
    expect(playlist?.contentType).toBe('application/vnd.apple.mpegurl');
    expect(await text(playlist!.body)).toBe('#EXTM3U\n');
    const segment = await storage.read(`${prefix}hls/240p/seg_0.m4s`);
    expect(segment).toMatchObject({ size: 5000, start: 0, end: 4999, contentType: 'video/iso.segment' });
    expect(Buffer.concat(await segment!.body.toArray())).toEqual(bytes(5000));
    expect(segment!.etag).toBeTruthy();
  });

  it('reads byte ranges: closed, open-ended, suffix, clamped; refuses one past the end', async () => {
    const key = `${videoPrefix()}hls/240p/seg_1.m4s`;
    const all = bytes(10_000);
    await storage.put(key, all);
    const closed = await storage.read(key, { start: 100, end: 199 });
    expect(closed).toMatchObject({ size: 10_000, start: 100, end: 199 });
    expect(Buffer.concat(await closed!.body.toArray())).toEqual(all.subarray(100, 200));
    const open = await storage.read(key, { start: 9_990 });
    expect(Buffer.concat(await open!.body.toArray())).toEqual(all.subarray(9_990));
    const suffix = await storage.read(key, { suffix: 5 });
    expect(suffix).toMatchObject({ start: 9_995, end: 9_999 });
    expect(Buffer.concat(await suffix!.body.toArray())).toEqual(all.subarray(9_995));
    const clamped = await storage.read(key, { start: 9_000, end: 50_000 });
    expect(clamped).toMatchObject({ start: 9_000, end: 9_999, size: 10_000 });
    await clamped!.body.toArray();
    await expect(storage.read(key, { start: 10_000 })).rejects.toThrow(RangeNotSatisfiableError);
    await expect(storage.read(key, { start: 10_000 })).rejects.toMatchObject({ size: 10_000 });
  });

  it('answers null for a missing object, and a new put replaces the old object', async () => {
    const key = `${videoPrefix()}poster.jpg`;
    expect(await storage.read(key)).toBeNull();
    await storage.put(key, Buffer.from('first'));
    await storage.put(key, Buffer.from('second, longer'));
    expect(await text((await storage.read(key))!.body)).toBe('second, longer');
  });

  it('lists and removes exactly one prefix, leaving a look-alike prefix alone', async () => {
    const a = videoPrefix().replace(/\/$/, 'a/');
    const lookAlike = a.replace(/a\/$/, 'ab/');
    await storage.put(`${a}hls/master.m3u8`, Buffer.from('m'));
    await storage.put(`${a}hls/240p/seg_0.m4s`, bytes(10));
    await storage.put(`${a}thumbnails/t1.jpg`, bytes(3));
    await storage.put(`${lookAlike}hls/master.m3u8`, Buffer.from('other'));
    expect(await storage.list(a)).toEqual([
      { key: `${a}hls/240p/seg_0.m4s`, size: 10 },
      { key: `${a}hls/master.m3u8`, size: 1 },
      { key: `${a}thumbnails/t1.jpg`, size: 3 },
    ]);
    expect(await storage.removePrefix(a)).toBe(3);
    expect(await storage.list(a)).toEqual([]);
    expect(await storage.read(`${a}hls/master.m3u8`)).toBeNull();
    expect(await storage.list(lookAlike)).toHaveLength(1);
    expect(await storage.removePrefix(a)).toBe(0);
  });

  it('refuses keys that could climb out or hide', async () => {
    for (const bad of ['../etc/passwd', 'videos/../../x', 'videos/.hidden/x', '/abs', 'videos\\x']) {
      await expect(storage.put(bad, Buffer.from('x'))).rejects.toThrow(/not a valid media storage key/);
    }
  });

  it('publishes an encoding ladder early: only listed segments, playlists as read, never the segment being written', async () => {
    const dir = await ladderFolder(3, { complete: false });
    const prefix = `${videoPrefix()}hls/`;
    const memory = new Map<string, string>();
    expect(await publishFolder(storage, dir, prefix, { final: false, memory })).toBe(2 * 4 + 3);
    const keys = (await storage.list(prefix)).map((o) => o.key.slice(prefix.length));
    expect(keys).toContain('240p/seg_2.m4s');
    expect(keys).toContain('audio/init.mp4');
    expect(keys).not.toContain('240p/seg_3.m4s');
    expect(await text((await storage.read(`${prefix}240p/index.m3u8`))!.body)).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    // Nothing changed: nothing is sent again.
    expect(await publishFolder(storage, dir, prefix, { final: false, memory })).toBe(0);
  });

  it('publishes a finished ladder whole and removes what an earlier attempt left under the prefix', async () => {
    const prefix = `${videoPrefix()}hls/`;
    await storage.put(`${prefix}360p/seg_0.m4s`, bytes(5)); // from an earlier, different attempt
    const dir = await ladderFolder(3, { complete: true });
    await publishFolder(storage, dir, prefix, { final: true });
    const keys = (await storage.list(prefix)).map((o) => o.key.slice(prefix.length));
    expect(keys).toHaveLength(2 * 5 + 1);
    expect(keys).not.toContain('360p/seg_0.m4s');
    expect(await text((await storage.read(`${prefix}audio/index.m3u8`))!.body)).toContain('#EXT-X-ENDLIST');
  });

  it('fetches a published folder back into another node\'s staging, file for file and byte for byte', async () => {
    const prefix = `chunks/c${Date.now()}-${unique++}/0/`;
    const dir = await ladderFolder(3, { complete: true });
    await publishFolder(storage, dir, prefix, { final: true });
    await storage.put(`${prefix.slice(0, -2)}1/master.m3u8`, Buffer.from('#EXTM3U\n')); // a sibling prefix stays out
    const into = await mkdtemp(path.join(scratch, 'fetched-'));
    expect(await fetchFolder(storage, prefix, into)).toBe(2 * 5 + 1);
    for (const file of ['master.m3u8', '240p/index.m3u8', '240p/init.mp4', 'audio/seg_2.m4s']) {
      expect(await readFile(path.join(into, file))).toEqual(await readFile(path.join(dir, file)));
    }
    expect(await fetchFolder(storage, `${prefix}none/`, await mkdtemp(path.join(scratch, 'empty-')))).toBe(0);
  });

  it('is never seen half-published: whenever a playlist can be read, everything it names can be read', async () => {
    const dir = await ladderFolder(30, { complete: true });
    const prefix = `${videoPrefix()}hls/`;
    const problems: string[] = [];
    let done = false;
    const watch = (async () => {
      while (!done) {
        const master = await storage.read(`${prefix}master.m3u8`);
        const stored = new Set((await storage.list(prefix)).map((o) => o.key.slice(prefix.length)));
        for (const rung of ['240p', 'audio']) {
          const playlist = await storage.read(`${prefix}${rung}/index.m3u8`);
          if (!playlist) continue;
          const listed = (await text(playlist.body)).split('\n').filter((l) => l.endsWith('.m4s'));
          const now = new Set((await storage.list(prefix)).map((o) => o.key.slice(prefix.length)));
          for (const seg of listed) if (!now.has(`${rung}/${seg}`)) problems.push(`${rung}/index.m3u8 named ${seg} before it was stored`);
        }
        if (master) {
          master.body.destroy();
          if (stored.size < 2 * 32 + 1) problems.push(`master readable with only ${stored.size} objects stored`);
        }
      }
    })();
    await publishFolder(storage, dir, prefix, { final: true });
    done = true;
    await watch;
    expect(problems).toEqual([]);
    expect((await storage.list(prefix)).length).toBe(2 * 32 + 1);
  });
});

describe('S3 storage against the real server', () => {
  it('is refused with an access key the server does not know', async () => {
    await expect(s3Storage('NOT-A-KEY').put('videos/x/hls/master.m3u8', Buffer.from('x'))).rejects.toThrow(/Access Key Id/);
  });
});
