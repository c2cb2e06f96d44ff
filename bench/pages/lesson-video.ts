// A lesson with a real, ready lecture video for bench:pages: a short generated clip run
// through the worker's own ladder (transcodeLadder, renditionsOf) into MEDIA_ROOT, and the
// video row the publish job would leave. Much faster than the upload -> worker pipeline.
import { randomUUID } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, like } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { videos } from '../../db/schema/index.js';
import { generateLectureClip } from '../../media/fixtures.js';
import { transcodeLadder } from '../../media/hls.js';
import { planLadder } from '../../media/ladder.js';
import { renditionsOf } from '../../workers/handlers/transcode-video.js';
import { mediaPaths } from '../../workers/runtime/media-paths.js';

export async function attachReadyVideo(db: Database, lessonId: string, mediaRoot: string): Promise<string> {
  await db.delete(videos).where(and(eq(videos.lessonId, lessonId), like(videos.uploadId, 'bench-%')));
  await db.update(videos).set({ status: 'replaced' }).where(and(eq(videos.lessonId, lessonId), eq(videos.status, 'ready')));
  const videoId = randomUUID();
  const source = path.join(mediaRoot, 'bench-source.mp4');
  await mkdir(mediaRoot, { recursive: true });
  const seconds = 8;
  await generateLectureClip(source, { seconds, width: 854, height: 480, fps: 25 });
  const plan = planLadder({ width: 854, height: 480, fps: 25, hasVideo: true, hasAudio: true });
  await transcodeLadder({ input: source, outDir: mediaPaths(mediaRoot).ladder(videoId), plan, encoderPreset: 'ultrafast', durationSeconds: seconds, timeoutMs: 120_000 });
  const sourceBytes = (await stat(source)).size;
  await rm(source);
  await db.insert(videos).values({
    id: videoId, lessonId, uploadId: `bench-${videoId}`, sourceBytes, status: 'ready', progressPercent: 100,
    durationSeconds: seconds, sourceWidth: 854, sourceHeight: 480, renditions: renditionsOf(plan),
    storagePrefix: mediaPaths(mediaRoot).ladderPrefix(videoId), readyAt: new Date(),
  });
  return videoId;
}
