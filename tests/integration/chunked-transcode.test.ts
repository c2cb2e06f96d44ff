import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { buffer } from 'node:stream/consumers';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLectureClip } from '../../media/fixtures.js';
import { createQueue, enqueue } from '../../workers/queues.js';
import { fetchFolder } from '../../workers/storage/publish-folder.js';
import { S3MediaStorage } from '../../workers/storage/s3-storage.js';
import { closeTestSql, testSql } from '../support/db.js';
import { testServiceEnv } from '../support/env.js';
import { parseMediaPlaylist } from '../../media/chunk-join.js';
import { concatenateRung, decodeThroughMaster, ffprobeFrames, keyframeTimes, playlistDurations, segmentStartFaults, timelineFaults } from '../support/ladder-inspection.js';
import { run, startProcess, waitFor, type Running } from '../support/processes.js';
import { startS3Server, type RunningS3 } from '../support/s3-server.js';

// Two workers of their own (own queue prefix and media root) that split lectures longer
// than 20 s into 8 s chunks: a 40 s lecture makes five transcode-chunk jobs.
const prefix = `chunks${Date.now()}`;
const SECONDS = 40;
const CHUNKS = 5;
const RUNGS = ['360p', '240p', '144p', 'audio'];
let mediaRoot = '';
let clip = '';
let video: Queue;
let maintenance: Queue;
const workers: Running[] = [];

const workerIdOf = (w: Running) => /"workerId":"([^"]+)"/.exec(w.output())?.[1];

function startWorker(env: Record<string, string> = { MEDIA_ROOT: mediaRoot, QUEUE_PREFIX: prefix }, into = workers): Running {
  const w = startProcess('workers/index.ts', {
    ...testServiceEnv(), LOG_LEVEL: 'info',
    VIDEO_ENCODER_PRESET: 'ultrafast', VIDEO_CONCURRENCY: '1', VIDEO_CHUNKED_FROM_SECONDS: '20', VIDEO_CHUNK_SECONDS: '8',
    ...env,
  });
  into.push(w);
  return w;
}

/** The upload is copied into every given media root (nodes that share no disk each get it). */
async function videoToTranscode(source: string, roots = [mediaRoot]): Promise<{ videoId: string; uploadId: string }> {
  const [course] = await testSql()<{ id: string }[]>`select id from courses where slug = 'fzu-linear-algebra-1'`;
  const [lesson] = await testSql()<{ id: string }[]>`insert into lessons (course_id, position, title_zh) values (${course!.id}, ${2000 + Math.floor(Math.random() * 1e6)}, '分段转码测试') returning id`;
  const uploadId = randomUUID();
  for (const root of roots) await copyFile(source, path.join(root, 'uploads', uploadId));
  const [row] = await testSql()<{ id: string }[]>`insert into videos (lesson_id, upload_id, source_bytes, status) values (${lesson!.id}, ${uploadId}, 1, 'processing') returning id`;
  return { videoId: row!.id, uploadId };
}

async function videoRow(videoId: string) {
  const [row] = await testSql()<{ status: string; progress_percent: number; storage_prefix: string | null }[]>`select status, progress_percent, storage_prefix from videos where id = ${videoId}`;
  return row!;
}

const chunkJob = (videoId: string, index: number) => video.getJob(`transcode-chunk--${videoId}--${index}`);

/** The published ladder as a student's player would find it at one moment while the lecture encodes. */
type Snapshot = { status: string; lastChunkState: string | undefined; master: string; playlists: Record<string, string> };

/**
 * Polls the published ladder (through `read`, a storage key under videos/<id>/hls/) until
 * the video is ready, keeping every distinct state of its rung playlists, and checks each
 * newly listed segment's fragment times against the playlist (`startFaults`) at once,
 * before the join rewrites anything.
 */
async function watchPublication(options: {
  videoId: string;
  rungs: readonly string[];
  read: (file: string) => Promise<Buffer | null>;
  lastChunk: () => Promise<{ getState(): Promise<string> } | undefined>;
  timeoutMs: number;
  /**
   * s3rver (unlike S3, whose PUT replaces an object atomically) truncates the file and then
   * writes it, so a read racing a playlist's rewrite can find it empty: such a round is
   * read again. The local storage renames into place and gets no such allowance.
   */
  retryEmptyReads?: boolean;
}): Promise<{ snapshots: Snapshot[]; startFaults: string[]; segmentsChecked: number }> {
  const snapshots: Snapshot[] = [];
  const startFaults: string[] = [];
  const checked: Record<string, number> = {};
  const text = async (file: string) => (await options.read(file))?.toString('utf8') ?? null;
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const row = await videoRow(options.videoId);
    const lastChunkState = await (await options.lastChunk())?.getState();
    const master = await text('master.m3u8');
    // What a student's page offers: the row names the ladder (storage_prefix) while it encodes.
    if (master !== null && row.status === 'processing' && row.storage_prefix !== null) {
      const playlists: Record<string, string> = {};
      for (const rung of options.rungs) playlists[rung] = (await text(`${rung}/index.m3u8`)) ?? '';
      const torn = options.retryEmptyReads && [master, ...Object.values(playlists)].some((p) => p === '');
      if (!torn && JSON.stringify(playlists) !== JSON.stringify(snapshots.at(-1)?.playlists)) {
        snapshots.push({ status: row.status, lastChunkState, master, playlists });
        for (const rung of options.rungs) {
          if (!playlists[rung]) continue;
          const read = async (uri: string) => (await options.read(`${rung}/${uri}`)) ?? Buffer.alloc(0);
          startFaults.push(...(await segmentStartFaults(playlists[rung], read, checked[rung] ?? 0)).map((f) => `${rung}: ${f}`));
          checked[rung] = parseMediaPlaylist(playlists[rung]).segments.length;
        }
      }
    }
    if (row.status === 'ready' || row.status === 'failed') break;
    if (Date.now() > deadline) throw new Error(`the lecture was not ready in time (${row.status})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { snapshots, startFaults, segmentsChecked: Object.values(checked).reduce((a, b) => a + b, 0) };
}

const segmentUris = (playlist: string) => parseMediaPlaylist(playlist).segments.map((s) => s.uri);

/** What a player could do with the early publication, and that the join only completed it. */
async function expectEarlyPublication(watched: Awaited<ReturnType<typeof watchPublication>>, final: Record<string, string>, segmentsPerChunk: number) {
  const { snapshots } = watched;
  expect(snapshots.length).toBeGreaterThan(1);
  const first = snapshots[0]!;
  // Offered to students and playable from 0 while later chunks were still to come.
  expect(first.lastChunkState).not.toBe('completed');
  for (const [rung, playlist] of Object.entries(first.playlists)) {
    expect(first.master, rung).toContain(`${rung}/index.m3u8`);
    expect(playlist, rung).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    expect(playlist, rung).not.toContain('#EXT-X-ENDLIST');
    const uris = segmentUris(playlist);
    expect(uris.length, rung).toBeGreaterThan(0);
    expect(uris[0], rung).toBe('seg_00000.m4s');
  }
  // Later chunks were appended before the join: some EVENT state lists more than chunk 0.
  expect(Math.max(...snapshots.map((s) => segmentUris(s.playlists['240p']!).length))).toBeGreaterThan(segmentsPerChunk);
  // Every state only grew what came before, segment names included, and the joined playlist
  // is the last EVENT state completed (VOD, ENDLIST).
  for (const rung of Object.keys(final)) {
    const states = [...snapshots.map((s) => s.playlists[rung]!), final[rung]!];
    states.slice(1).forEach((state, i) => expect(segmentUris(state).slice(0, segmentUris(states[i]!).length), rung).toEqual(segmentUris(states[i]!)));
    expect(final[rung], rung).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(final[rung], rung).toContain('#EXT-X-ENDLIST');
  }
  expect(watched.startFaults).toEqual([]);
  expect(watched.segmentsChecked).toBeGreaterThan(segmentsPerChunk * 2);
}

beforeAll(async () => {
  mediaRoot = await mkdtemp(path.join(tmpdir(), 'edu-chunked-'));
  await mkdir(path.join(mediaRoot, 'uploads'), { recursive: true });
  clip = path.join(mediaRoot, 'source.mp4');
  await generateLectureClip(clip, { seconds: SECONDS, width: 640, height: 360, fps: 25 });
  const connection = { url: testServiceEnv().REDIS_URL };
  video = new Queue('video', { connection, prefix });
  maintenance = createQueue('maintenance', connection, (e) => console.error(e), prefix);
  const [a, b] = [startWorker(), startWorker()];
  await waitFor(async () => workerIdOf(a) !== undefined && workerIdOf(b) !== undefined, 30_000, 'both workers to start');
});

afterAll(async () => {
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  for (const q of [video, maintenance]) {
    await q.obliterate({ force: true }).catch(() => {});
    await q.close();
  }
  await run('pkill', ['-f', mediaRoot]);
  await rm(mediaRoot, { recursive: true, force: true });
  await closeTestSql();
});

describe('one long lecture split over two worker processes', () => {
  it('is encoded in chunks by both workers and joined into one continuous ladder that plays', async () => {
    const { videoId } = await videoToTranscode(clip);
    await video.add('transcode-video', { videoId }, { jobId: `transcode-video--${videoId}` });
    const percents = new Set<number>();
    const published = path.join(mediaRoot, 'videos', videoId, 'hls');
    const watching = watchPublication({
      videoId,
      rungs: RUNGS,
      read: (file) => readFile(path.join(published, file)).catch(() => null),
      lastChunk: () => chunkJob(videoId, CHUNKS - 1),
      timeoutMs: 180_000,
    });
    await waitFor(async () => {
      const row = await videoRow(videoId);
      percents.add(row.progress_percent);
      return row.status === 'ready';
    }, 180_000, 'the chunked lecture to be ready');
    const final = Object.fromEntries(await Promise.all(RUNGS.map(async (r) => [r, await readFile(path.join(published, r, 'index.m3u8'), 'utf8')] as const)));
    await expectEarlyPublication(await watching, final, 2);

    // Both workers encoded chunks; the lecture's percentage grew as chunks progressed.
    const chunks = await Promise.all(Array.from({ length: CHUNKS }, (_, i) => chunkJob(videoId, i)));
    expect(chunks.map((j) => j?.returnvalue)).toEqual(Array.from({ length: CHUNKS }, (_, i) => ({ chunk: i, of: videoId })));
    expect(await chunkJob(videoId, CHUNKS)).toBeUndefined();
    expect(new Set(chunks.map((j) => j!.processedBy))).toEqual(new Set(workers.map(workerIdOf)));
    expect([...percents].some((p) => p > 0 && p < 99)).toBe(true);
    expect(await (await video.getJob(`join-chunks--${videoId}`))?.getState()).toBe('completed');

    const ladder = path.join(mediaRoot, (await videoRow(videoId)).storage_prefix!);
    const keyframes: Record<string, string[]> = {};
    for (const [rung, fps] of [['360p', 25], ['240p', 12.5], ['144p', 12.5]] as const) {
      const durations = await playlistDurations(ladder, rung);
      expect(durations).toHaveLength(SECONDS / 4);
      expect(durations.reduce((a, b) => a + b, 0)).toBeCloseTo(SECONDS, 1);
      const frames = ffprobeFrames(await concatenateRung(ladder, rung, path.join(mediaRoot, `${rung}.mp4`)), 'v:0');
      expect(timelineFaults(frames, fps, SECONDS)).toEqual([]);
      keyframes[rung] = keyframeTimes(frames);
    }
    expect(keyframes['360p']).toEqual(Array.from({ length: SECONDS / 4 }, (_, i) => (i * 4).toFixed(2)));
    expect(keyframes['240p']).toEqual(keyframes['360p']);
    expect(keyframes['144p']).toEqual(keyframes['360p']);
    const audio = await playlistDurations(ladder, 'audio');
    expect(audio.reduce((a, b) => a + b, 0)).toBeCloseTo(SECONDS, 1);

    const decoded = decodeThroughMaster(ladder);
    expect(decoded.status, decoded.stderr).toBe(0);
    expect(decoded.stderr).toBe('');
    // The chunk ladders are gone from the storage and from staging once joined; nothing half-made is left.
    expect(existsSync(path.join(mediaRoot, 'chunks', videoId))).toBe(false);
    expect(existsSync(path.join(mediaRoot, 'staging', videoId))).toBe(false);
    expect((await readdir(path.dirname(ladder))).filter((f) => f.startsWith('.'))).toEqual([]);
  }, 300_000);

  it('cancelling the lecture removes its waiting chunk jobs and every chunk file', async () => {
    const longer = path.join(mediaRoot, 'longer.mp4');
    await generateLectureClip(longer, { seconds: 96, width: 640, height: 360, fps: 25 });
    const { videoId, uploadId } = await videoToTranscode(longer);
    await video.add('transcode-video', { videoId }, { jobId: `transcode-video--${videoId}` });
    await waitFor(async () => (await chunkJob(videoId, 0))?.returnvalue?.chunk === 0, 120_000, 'the first chunk to be encoded');
    // Published to the media storage (local here: under MEDIA_ROOT) for the join to fetch.
    expect(existsSync(path.join(mediaRoot, 'chunks', videoId, '0', 'master.m3u8'))).toBe(true);

    // What the studio's cancel action does.
    await testSql()`update videos set status = 'cancelled' where id = ${videoId}`;
    await enqueue({ video, maintenance }, 'remove-video-files', { videoId }, videoId);
    await waitFor(async () => (await maintenance.getJob(`remove-video-files--${videoId}`))?.returnvalue?.removed === videoId, 30_000, 'the files to be removed').catch(async (e: Error) => {
      const job = await maintenance.getJob(`remove-video-files--${videoId}`);
      throw new Error(`${e.message}: ${await job?.getState()} ${job?.failedReason} ${JSON.stringify(job?.returnvalue)} ${workers.map((w) => w.output().slice(-3000)).join('\n')}`);
    });
    expect((await maintenance.getJob(`remove-video-files--${videoId}`))?.returnvalue?.chunkJobs).toBeGreaterThan(0);

    // Running chunks stop within seconds; no chunk job is left waiting, and no files.
    const states = async () => Promise.all(Array.from({ length: 12 }, async (_, i) => (await chunkJob(videoId, i))?.getState()));
    await waitFor(async () => (await states()).every((s) => s === undefined || s === 'completed'), 30_000, 'no chunk job to be waiting or running');
    expect((await states()).filter((s) => s === 'completed').length).toBeLessThan(12);
    const folders = ['videos', 'chunks', 'staging'].map((dir) => path.join(mediaRoot, dir, videoId));
    const left = async () => (await run('find', folders)).output;
    await waitFor(async () => folders.every((f) => !existsSync(f)), 15_000, 'the video, chunk and staging folders to be gone').catch(async (e: Error) => {
      throw new Error(`${e.message}:\n${await left()}`);
    });
    expect(existsSync(path.join(mediaRoot, 'uploads', uploadId))).toBe(false);
    expect((await run('pgrep', ['-f', uploadId])).code).toBe(1);
    expect((await videoRow(videoId)).status).toBe('cancelled');
  }, 150_000);
});

// Chunk 0 is offered while it encodes; a worker stopped in the middle of it must take the
// offer back (its EVENT playlists would never grow) and another worker offers it again.
describe('a worker stopped while the offered chunk 0 encodes', () => {
  const stopPrefix = `chunkstop${Date.now()}`;
  const stopWorkers: Running[] = [];
  let stopVideo: Queue;
  // Chunks of 40 s: chunk 0 encodes long enough to be stopped in the middle.
  const slowChunks = { MEDIA_ROOT: '', QUEUE_PREFIX: stopPrefix, VIDEO_CHUNK_SECONDS: '40' };

  beforeAll(async () => {
    slowChunks.MEDIA_ROOT = mediaRoot;
    stopVideo = new Queue('video', { connection: { url: testServiceEnv().REDIS_URL }, prefix: stopPrefix });
  });

  afterAll(async () => {
    for (const w of stopWorkers) w.child.kill('SIGTERM');
    await Promise.all(stopWorkers.map((w) => w.exited));
    await stopVideo.obliterate({ force: true }).catch(() => {});
    await stopVideo.close();
  });

  it('withdraws the offer, hands chunk 0 back without spending an attempt, and the lecture is offered again and completed', async () => {
    const seconds = 88;
    const source = path.join(mediaRoot, 'stopped.mp4');
    await generateLectureClip(source, { seconds, width: 640, height: 360, fps: 25 });
    const { videoId } = await videoToTranscode(source);
    // Encoding slowly enough that chunk 0 is surely still running when it is checked.
    const first = startWorker({ ...slowChunks, VIDEO_ENCODER_PRESET: 'veryfast' }, stopWorkers);
    await waitFor(async () => workerIdOf(first) !== undefined, 30_000, 'the worker to start');
    await stopVideo.add('transcode-video', { videoId }, { jobId: `transcode-video--${videoId}` });
    const chunk0 = () => stopVideo.getJob(`transcode-chunk--${videoId}--0`);
    await waitFor(async () => (await videoRow(videoId)).storage_prefix !== null, 120_000, 'chunk 0 to be offered while encoding');
    expect(await (await chunk0())?.getState()).toBe('active');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // Nothing runs now: the offer is gone and chunk 0 waits to be taken again, no attempt spent.
    expect((await videoRow(videoId)).storage_prefix).toBeNull();
    expect(await (await chunk0())?.getState()).toBe('delayed');
    expect((await chunk0())?.attemptsMade).toBe(0);

    const second = startWorker(slowChunks, stopWorkers);
    await waitFor(async () => workerIdOf(second) !== undefined, 30_000, 'the second worker to start');
    const offered = await (async () => {
      for (;;) {
        const row = await videoRow(videoId);
        if (row.storage_prefix !== null || row.status !== 'processing') return row;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    // Offered again while it encodes (before the lecture is ready).
    expect(offered.status).toBe('processing');
    await waitFor(async () => (await videoRow(videoId)).status === 'ready', 240_000, 'the lecture to be ready').catch((e: Error) => {
      throw new Error(`${e.message}\n${second.output().slice(-3000)}`);
    });
    expect((await chunk0())?.processedBy).toBe(workerIdOf(second));
    const ladder = path.join(mediaRoot, (await videoRow(videoId)).storage_prefix!);
    const frames = ffprobeFrames(await concatenateRung(ladder, '240p', path.join(mediaRoot, 'stopped-240p.mp4')), 'v:0');
    expect(timelineFaults(frames, 12.5, seconds)).toEqual([]);
    const playlist = await readFile(path.join(ladder, '240p', 'index.m3u8'), 'utf8');
    expect(await segmentStartFaults(playlist, (uri) => readFile(path.join(ladder, '240p', uri)))).toEqual([]);
  }, 420_000);
});

// Worker nodes that share no disk but the uploads (each its own MEDIA_ROOT, the upload
// copied into both) and keep media in an S3-compatible server: chunks reach the joining
// node only through the bucket.
describe('chunks through S3 storage between worker nodes with separate staging', () => {
  const s3Prefix = `chunkss3${Date.now()}`;
  const s3Workers: Running[] = [];
  const roots: string[] = [];
  let s3: RunningS3;
  let bucket: S3MediaStorage;
  let s3Video: Queue;

  beforeAll(async () => {
    s3 = await startS3Server();
    bucket = new S3MediaStorage({ endpoint: s3.endpoint, region: 'us-east-1', bucket: s3.bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true });
    for (let i = 0; i < 2; i++) {
      const root = await mkdtemp(path.join(tmpdir(), 'edu-chunked-s3-'));
      await mkdir(path.join(root, 'uploads'), { recursive: true });
      roots.push(root);
      startWorker({ ...s3.env, UPLOAD_STORAGE: 'local', MEDIA_ROOT: root, QUEUE_PREFIX: s3Prefix }, s3Workers);
    }
    s3Video = new Queue('video', { connection: { url: testServiceEnv().REDIS_URL }, prefix: s3Prefix });
    await waitFor(async () => s3Workers.every((w) => workerIdOf(w) !== undefined), 30_000, 'both S3 workers to start');
  }, 60_000);

  afterAll(async () => {
    for (const w of s3Workers) w.child.kill('SIGTERM');
    await Promise.all(s3Workers.map((w) => w.exited));
    await s3Video.obliterate({ force: true }).catch(() => {});
    await s3Video.close();
    await s3.close();
    for (const root of roots) await rm(root, { recursive: true, force: true });
  });

  it('joins chunks fetched from the bucket, publishes the ladder there and leaves no chunk objects or staging', async () => {
    // Five chunks: the playlists list more than chunk 0 for several chunk encodes before the
    // join (with three, that state could last only as long as the join itself).
    const seconds = 40;
    const source = path.join(roots[0]!, 'source.mp4');
    await generateLectureClip(source, { seconds, width: 640, height: 360, fps: 25 });
    const { videoId } = await videoToTranscode(source, roots);
    await s3Video.add('transcode-video', { videoId }, { jobId: `transcode-video--${videoId}` });
    // s3rver rewrites an object in place (see retryEmptyReads): a read racing a rewrite can
    // also be cut off mid-stream ("aborted"); such a read is made again.
    const fromBucket = async (key: string): Promise<Buffer | null> => {
      for (let attempt = 1; ; attempt++) {
        try {
          const object = await bucket.read(key);
          return object ? await buffer(object.body) : null;
        } catch (error) {
          if (attempt >= 5 || !/aborted/.test((error as Error).message)) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const watched = await watchPublication({
      videoId,
      rungs: RUNGS,
      read: (file) => fromBucket(`videos/${videoId}/hls/${file}`),
      lastChunk: () => s3Video.getJob(`transcode-chunk--${videoId}--4`),
      timeoutMs: 180_000,
      retryEmptyReads: true,
    }).catch((e: Error) => {
      throw new Error(`${e.message}\n${s3Workers.map((w) => w.output().slice(-3000)).join('\n')}`);
    });
    expect((await videoRow(videoId)).status).toBe('ready');
    const final = Object.fromEntries(await Promise.all(RUNGS.map(async (r) => [r, (await fromBucket(`videos/${videoId}/hls/${r}/index.m3u8`))!.toString('utf8')] as const)));
    await expectEarlyPublication(watched, final, 2);

    const chunks = await Promise.all([0, 1, 2, 3, 4].map((i) => s3Video.getJob(`transcode-chunk--${videoId}--${i}`)));
    expect(chunks.map((j) => j?.returnvalue)).toEqual([0, 1, 2, 3, 4].map((i) => ({ chunk: i, of: videoId })));
    expect(new Set(chunks.map((j) => j!.processedBy))).toEqual(new Set(s3Workers.map(workerIdOf)));

    expect(await bucket.list(`chunks/${videoId}/`)).toEqual([]);
    const prefixKey = `${(await videoRow(videoId)).storage_prefix!}/`;
    const ladder = path.join(roots[0]!, 'fetched', videoId);
    expect(await fetchFolder(bucket, prefixKey, ladder)).toBeGreaterThan(seconds / 4);
    const durations = await playlistDurations(ladder, '360p');
    expect(durations).toHaveLength(seconds / 4);
    expect(durations.reduce((a, b) => a + b, 0)).toBeCloseTo(seconds, 1);
    const decoded = decodeThroughMaster(ladder);
    expect(decoded.status, decoded.stderr).toBe(0);
    expect(decoded.stderr).toBe('');
    // Nothing stays in either node's staging, and nothing is published on their disks.
    for (const root of roots) {
      expect(existsSync(path.join(root, 'staging', videoId))).toBe(false);
      expect(existsSync(path.join(root, 'videos'))).toBe(false);
      expect(existsSync(path.join(root, 'chunks'))).toBe(false);
    }
  }, 240_000);
});
