import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../db/client.js';
import { joinChunkLadders } from '../../media/chunk-join.js';
import { completePlaylist, parseMediaPlaylist } from '../../media/chunk-playlist.js';
import { planChunks } from '../../media/chunks.js';
import { generateLectureClip } from '../../media/fixtures.js';
import { transcodeLadder } from '../../media/hls.js';
import { planLadder } from '../../media/ladder.js';
import { extendChunkedPublication, publishFirstChunkSoFar, underPublicationLock } from '../../workers/chunk-publication.js';
import { createLogger } from '../../workers/runtime/logger.js';
import { LocalMediaStorage } from '../../workers/storage/local-storage.js';
import { publishFolder } from '../../workers/storage/publish-folder.js';
import { LocalUploadStore } from '../../workers/storage/upload-store.js';
import type { VideoJobContext } from '../../workers/video-jobs.js';
import { closeTestSql, testSql } from '../support/db.js';
import { testServiceEnv } from '../support/env.js';

// The guard on the early publication of a chunked lecture, driven directly: three real
// chunk ladders (a 24 s lecture in 8 s chunks), appended by "workers" racing each other
// and retrying, against the real database lock and a real (local) media storage.
const SECONDS = 24;
const RUNGS = ['360p', '240p', '144p', 'audio'];
const plan = planLadder({ width: 640, height: 360, fps: 25, hasVideo: true, hasAudio: true });
const chunks = planChunks(SECONDS, plan.segmentSeconds, { chunkedFromSeconds: 20, chunkSeconds: 8 });
const renditions = RUNGS.map((name) => ({ name, width: null, height: null, bandwidthKbps: 0, playlist: `${name}/index.m3u8` }));

let dir = '';
let ctx: VideoJobContext;
let closeDb: () => Promise<void>;
let publisher: Redis;
const chunkDir = (index: number) => path.join(dir, 'encoded', String(index));
const publishedDir = (videoId: string) => path.join(dir, 'media', 'videos', videoId, 'hls');

async function newVideo(): Promise<{ id: string; lessonId: string }> {
  const [course] = await testSql()<{ id: string }[]>`select id from courses where slug = 'fzu-linear-algebra-1'`;
  const [lesson] = await testSql()<{ id: string }[]>`insert into lessons (course_id, position, title_zh) values (${course!.id}, ${3000 + Math.floor(Math.random() * 1e6)}, '分段发布测试') returning id`;
  const [video] = await testSql()<{ id: string }[]>`insert into videos (lesson_id, upload_id, source_bytes, status) values (${lesson!.id}, ${randomUUID()}, 1, 'processing') returning id`;
  return { id: video!.id, lessonId: lesson!.id };
}

/** Chunk `index` finished on some worker node: stored where the join (and the publication) fetch it. */
const storeChunk = (videoId: string, index: number) => publishFolder(ctx.storage, chunkDir(index), `chunks/${videoId}/${index}/`, { final: true });

const extend = (video: { id: string; lessonId: string }, own: number) =>
  extendChunkedPublication(ctx, video, { chunks: chunks.map(({ index, startSeconds }) => ({ index, startSeconds })), rungs: RUNGS, renditions, own: { index: own, dir: chunkDir(own) } });

const publishedPlaylists = async (videoId: string) =>
  Object.fromEntries(await Promise.all(RUNGS.map(async (r) => [r, await readFile(path.join(publishedDir(videoId), r, 'index.m3u8'), 'utf8').catch(() => null)] as const)));

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'edu-chunk-publication-'));
  const input = path.join(dir, 'lecture.mp4');
  await generateLectureClip(input, { seconds: SECONDS, width: 640, height: 360, fps: 25 });
  for (const chunk of chunks) {
    await transcodeLadder({ input, plan, encoderPreset: 'ultrafast', timeoutMs: 60_000, outDir: chunkDir(chunk.index), durationSeconds: chunk.expectedSeconds, clip: chunk });
  }
  await joinChunkLadders({ chunks: chunks.map((c) => ({ dir: chunkDir(c.index), startSeconds: c.startSeconds })), rungs: RUNGS, outDir: path.join(dir, 'joined') });
  const { db, sql } = createDatabase(testServiceEnv().DATABASE_URL, { max: 6 });
  closeDb = () => sql.end();
  publisher = new Redis(testServiceEnv().REDIS_URL);
  ctx = {
    db,
    log: createLogger('chunk-publication-test', 'warn'),
    mediaRoot: path.join(dir, 'media'),
    queues: {} as VideoJobContext['queues'],
    publisher,
    shutdown: new AbortController().signal,
    ffmpegBin: 'ffmpeg',
    chunking: { chunkedFromSeconds: 20, chunkSeconds: 8 },
    storage: new LocalMediaStorage(path.join(dir, 'media')),
    // Not used here: the chunks are encoded above, straight from the generated lecture.
    uploads: new LocalUploadStore(path.join(dir, 'media'), 48),
  };
}, 180_000);

afterAll(async () => {
  await closeDb?.();
  publisher?.disconnect();
  await closeTestSql();
  await rm(dir, { recursive: true, force: true });
});

describe('extending the early publication of a chunked lecture', () => {
  it('was given three chunks', () => {
    expect(chunks.map((c) => c.startSeconds)).toEqual([0, 8, 16]);
  });

  it('appends a chunk only after every chunk before it, once, whoever finishes it and however often', async () => {
    const video = await newVideo();
    // Chunks 2 and 1 finish first, at the same moment: nothing can be published before chunk 0.
    await Promise.all([storeChunk(video.id, 2), storeChunk(video.id, 1)]);
    expect(await Promise.all([extend(video, 2), extend(video, 1)])).toEqual([0, 0]);
    expect(Object.values(await publishedPlaylists(video.id))).toEqual(RUNGS.map(() => null));
    const [offered] = await testSql()<{ storage_prefix: string | null }[]>`select storage_prefix from videos where id = ${video.id}`;
    expect(offered!.storage_prefix).toBeNull();

    // Chunk 0 finishes, twice at once (a stalled job and its retry): the lock lets one
    // writer append chunk 0 and the two waiting chunks; the other finds them published.
    await storeChunk(video.id, 0);
    expect(await Promise.all([extend(video, 0), extend(video, 0)])).toEqual([3, 3]);
    const published = await publishedPlaylists(video.id);
    // A retried chunk 1 appends nothing twice.
    expect(await extend(video, 1)).toBe(3);
    expect(await publishedPlaylists(video.id)).toEqual(published);

    for (const rung of RUNGS) {
      const joined = await readFile(path.join(dir, 'joined', rung, 'index.m3u8'), 'utf8');
      expect(published[rung], rung).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
      expect(published[rung], rung).not.toContain('#EXT-X-ENDLIST');
      // The join would write exactly this playlist, completed, and exactly these segment bytes.
      expect(completePlaylist(published[rung]!), rung).toBe(joined);
      const { initUri, segments } = parseMediaPlaylist(joined);
      for (const file of [initUri, ...segments.map((s) => s.uri)]) {
        const early = await readFile(path.join(publishedDir(video.id), rung, file));
        expect(early.equals(await readFile(path.join(dir, 'joined', rung, file))), `${rung}/${file}`).toBe(true);
      }
    }
    expect(await readFile(path.join(publishedDir(video.id), 'master.m3u8'), 'utf8')).toBe(await readFile(path.join(dir, 'joined', 'master.m3u8'), 'utf8'));
    const [row] = await testSql()<{ storage_prefix: string | null; published_chunks: number }[]>`
      select v.storage_prefix, p.published_chunks from videos v join chunked_video_publications p on p.video_id = v.id where v.id = ${video.id}`;
    expect(row).toEqual({ storage_prefix: `videos/${video.id}/hls`, published_chunks: 3 });
  }, 60_000);

  it('appends the chunks in order as they finish in order, each by its own worker', async () => {
    const video = await newVideo();
    const lengths: number[] = [];
    for (const index of [0, 1, 2]) {
      await storeChunk(video.id, index);
      expect(await extend(video, index)).toBe(index + 1);
      const playlist = (await publishedPlaylists(video.id))['240p']!;
      lengths.push(parseMediaPlaylist(playlist).segments.length);
    }
    expect(lengths).toEqual([2, 4, 6]);
  }, 60_000);

  it('does not touch the playlists while another writer holds the lecture, and never publishes chunk 0 in progress over a complete one', async () => {
    const video = await newVideo();
    await storeChunk(video.id, 0);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const holding = new Promise<void>((resolve) => (entered = resolve));
    // A writer (the join, say) holds the lock; chunk 0's worker must wait for it.
    const writer = underPublicationLock(ctx, video.id, async (n) => {
      entered();
      await held;
      return n;
    });
    await holding;
    let extended = false;
    const waiting = extend(video, 0).then((n) => {
      extended = true;
      return n;
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(extended).toBe(false);
    expect((await publishedPlaylists(video.id))['240p']).toBeNull();
    release();
    await writer;
    expect(await waiting).toBe(1);
    // Chunk 0 is complete in the publication: its in-progress publisher (a stalled duplicate) writes nothing.
    const before = await publishedPlaylists(video.id);
    expect(await publishFirstChunkSoFar(ctx, video.id, RUNGS, chunkDir(0), new Map())).toBe(false);
    expect(await publishedPlaylists(video.id)).toEqual(before);
  }, 60_000);
});
