import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Queue } from 'bullmq';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { formatVttTimestamp, parseWebVtt } from '../../media/captions.js';
import { generateLectureClip } from '../../media/fixtures.js';
import { isSafeFontFamily, type LectureSlide } from '../../media/lecture-scene.js';
import { MASTER_PLAYLIST } from '../../media/ladder-command.js';
import { pendingCaptionsPrefix } from '../../workers/captions.js';
import { createQueue } from '../../workers/queues.js';
import { createVideoFromUpload } from '../../workers/video-intake.js';
import { parseEnvOrExit, requireS3Settings, serviceEnvSchema } from '../../workers/runtime/env.js';
import { createRedis } from '../../workers/runtime/redis.js';
import { createMediaStorage, videoKeys } from '../../workers/storage/index.js';
import type { MediaStorage } from '../../workers/storage/media-storage.js';
import { createUploadStore, type UploadStore } from '../../workers/storage/upload-store.js';
import { createDatabase, type Database } from '../client.js';
import { connectDatabaseOrExit } from '../connect.js';
import { courses, courseTeachers, lessons, videos } from '../schema/index.js';
import { demoCourses } from './demo-data.js';

/**
 * `npm start`'s demo lecture: a short generated video for the first lesson of the demo
 * course, handed to the worker exactly like a teacher's finished upload (probe → transcode
 * → publish), so a fresh install can show the player, the quality menu and a
 * synchronised classroom without anyone uploading a file first.
 */

// Slide text is drawn by ffmpeg's drawtext; it may not contain ASCII commas, colons or quotes
// (see lecture-scene.ts), hence the full-width forms.
export const DEMO_SLIDES_ZH: readonly LectureSlide[] = [
  { title: '第一讲：向量与线性组合', lines: ['向量是既有大小又有方向的量', '平面上的向量写成 v ＝（v1，v2）', '向量可以相加，也可以乘以一个数'] },
  { title: '线性组合', lines: ['c1·v1 ＋ c2·v2 ＋ … ＋ ck·vk', '例　（3，5）＝ 3·（1，0）＋ 5·（0，1）', '系数 c1 … ck 都是实数'] },
  { title: '练习', lines: ['把（4，7）写成（1，1）和（1，2）的线性组合', '设 a·（1，1）＋ b·（1，2）＝（4，7）', '答案　a ＝ 1　b ＝ 3'] },
];
/** Where no Chinese font is installed, drawtext would draw empty boxes. */
export const DEMO_SLIDES_EN: readonly LectureSlide[] = [
  { title: 'Lecture 1 - Vectors and linear combinations', lines: ['A vector has a size and a direction', 'In the plane we write v = (v1  v2)', 'Vectors can be added and scaled'] },
  { title: 'Linear combinations', lines: ['c1 v1 + c2 v2 + ... + ck vk', 'Example  (3  5) = 3 (1  0) + 5 (0  1)', 'The coefficients are real numbers'] },
  { title: 'Exercise', lines: ['Write (4  7) with (1  1) and (1  2)', 'a (1  1) + b (1  2) = (4  7)', 'Answer  a = 1 and b = 3'] },
];

export const DEMO_VIDEO_FILENAME = 'demo-lecture.mp4';

export type DemoVideoOutcome =
  | { kind: 'no-lesson' }
  | { kind: 'has-video'; videoId: string; status: string }
  | { kind: 'queued'; videoId: string; bytes: number; replaced: string | null; chineseSlides: boolean };

export interface DemoVideoDeps {
  db: Database;
  queues: { video: Queue };
  uploads: UploadStore;
  storage: MediaStorage;
  log: (line: string) => void;
  ffmpegBin?: string;
  /** Stops the generation (npm start's Ctrl-C); nothing is left behind. */
  signal?: AbortSignal;
}

export interface DemoVideoOptions {
  courseSlug: string;
  lessonPosition: number;
  seconds: number;
}

/**
 * Idempotent: a lesson that already has a video in the works or a ready one whose files
 * are there keeps it. A ready video whose master playlist has gone from storage (a media
 * folder emptied by hand) gets a new upload, as a teacher would re-upload.
 */
export async function seedDemoVideo(deps: DemoVideoDeps, options: DemoVideoOptions): Promise<DemoVideoOutcome> {
  const { db } = deps;
  const [lesson] = await db
    .select({ id: lessons.id, courseId: lessons.courseId })
    .from(lessons)
    .innerJoin(courses, eq(courses.id, lessons.courseId))
    .where(and(eq(courses.slug, options.courseSlug), eq(lessons.position, options.lessonPosition)));
  if (!lesson) return { kind: 'no-lesson' };
  const current = await db
    .select({ id: videos.id, status: videos.status })
    .from(videos)
    .where(and(eq(videos.lessonId, lesson.id), inArray(videos.status, ['queued', 'probing', 'processing', 'ready'])));
  const inWorks = current.find((v) => v.status !== 'ready');
  if (inWorks) return { kind: 'has-video', videoId: inWorks.id, status: inWorks.status };
  const ready = current[0];
  let replaced: string | null = null;
  if (ready) {
    const ladder = videoKeys.ladder(ready.id);
    const filesThere = (await deps.storage.list(ladder)).some((o) => o.key === `${ladder}${MASTER_PLAYLIST}`);
    if (filesThere) return { kind: 'has-video', videoId: ready.id, status: ready.status };
    replaced = ready.id;
  }
  const [teacher] = await db.select({ id: courseTeachers.userId }).from(courseTeachers).where(eq(courseTeachers.courseId, lesson.courseId)).limit(1);

  const font = await chineseFont();
  const slideSeconds = Math.max(2, Math.round(options.seconds / 3));
  const uploadId = randomUUID();
  const work = await mkdtemp(path.join(tmpdir(), 'edu-demo-video-'));
  try {
    const clip = path.join(work, DEMO_VIDEO_FILENAME);
    deps.log(`[edu] demo lecture: generating ${options.seconds} s of video for the first lesson of ${options.courseSlug}`);
    await generateLectureClip(clip, {
      seconds: options.seconds,
      width: 1280,
      height: 720,
      fps: 30,
      slideSeconds,
      grain: 0,
      slides: font ? DEMO_SLIDES_ZH : DEMO_SLIDES_EN,
      font: font ?? undefined,
      timeoutMs: options.seconds * 5_000 + 60_000,
      ffmpegBin: deps.ffmpegBin,
      signal: deps.signal,
    });
    // The upload store's own path, then published: any worker node can fetch it (decision 022).
    const source = deps.uploads.sourcePath(uploadId);
    await mkdir(path.dirname(source), { recursive: true });
    await copyFile(clip, source);
    await deps.uploads.publishSource(uploadId);
    const bytes = (await stat(source)).size;
    // Captions that say what the slides say, published with the video (as a teacher's would be).
    const captions = parseWebVtt(demoCaptions(font ? DEMO_SLIDES_ZH : DEMO_SLIDES_EN, slideSeconds));
    if (!captions.ok) throw new Error(`demo captions: line ${captions.problem.line}: ${captions.problem.reason}`);
    const video = await createVideoFromUpload(db, deps.queues, { lessonId: lesson.id, uploadId, uploadedBy: teacher?.id ?? null, filename: DEMO_VIDEO_FILENAME, bytes }, (videoId) =>
      deps.storage.put(`${pendingCaptionsPrefix(videoId)}${font ? 'zh-CN' : 'en'}.vtt`, Buffer.from(captions.vtt)),
    );
    if (!video) throw new Error(`demo lecture: upload ${uploadId} already has a video`);
    return { kind: 'queued', videoId: video.id, bytes, replaced, chineseSlides: font !== null };
  } catch (error) {
    await deps.uploads.remove(uploadId).catch(() => undefined);
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** One cue per slide title and line, spread over the time the slide is up; WebVTT text. */
export function demoCaptions(slides: readonly LectureSlide[], slideSeconds: number): string {
  const cues = slides.flatMap((slide, k) => {
    const texts = [slide.title, ...slide.lines];
    const each = slideSeconds / texts.length;
    return texts.map((line, j) => {
      const start = k * slideSeconds + j * each;
      return `${formatVttTimestamp(start + 0.2)} --> ${formatVttTimestamp(start + each - 0.2)}\n${line}`;
    });
  });
  return ['WEBVTT', ...cues].join('\n\n') + '\n';
}

/** A fontconfig family that covers Simplified Chinese (fonts-noto-cjk), or null. */
export async function chineseFont(): Promise<string | null> {
  const families = await promisify(execFile)('fc-list', [':lang=zh-cn', 'family'], { timeout: 10_000 }).then(
    (r) => r.stdout.split('\n').map((line) => line.split(',')[0]!.trim()).filter(Boolean),
    () => [] as string[],
  );
  const safe = families.filter(isSafeFontFamily);
  return safe.find((f) => /Sans CJK SC/.test(f)) ?? safe.find((f) => /CJK SC|SC$/.test(f)) ?? safe[0] ?? null;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const env = parseEnvOrExit(
    serviceEnvSchema
      .extend({
        DEMO_VIDEO_COURSE: z.string().default(demoCourses[0]!.slug),
        DEMO_VIDEO_LESSON: z.coerce.number().int().min(1).default(1),
        DEMO_VIDEO_SECONDS: z.coerce.number().int().min(4).max(600).default(45),
      })
      .superRefine(requireS3Settings),
  );
  const { db, sql } = createDatabase(env.DATABASE_URL, { max: 2 });
  await connectDatabaseOrExit(sql, env.DATABASE_URL);
  const redis = createRedis(env.REDIS_URL, 'client', { lazyConnect: false, enableOfflineQueue: true });
  const video = createQueue('video', redis, (error) => console.error(`[edu] demo lecture: queue error: ${error.message}`), env.QUEUE_PREFIX);
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
  let code = 0;
  try {
    const outcome = await seedDemoVideo(
      { db, queues: { video }, uploads: createUploadStore(env), storage: createMediaStorage(env), log: (line) => console.error(line), signal: stop.signal },
      { courseSlug: env.DEMO_VIDEO_COURSE, lessonPosition: env.DEMO_VIDEO_LESSON, seconds: env.DEMO_VIDEO_SECONDS },
    );
    if (outcome.kind === 'no-lesson') console.error(`[edu] demo lecture: no lesson ${env.DEMO_VIDEO_LESSON} in ${env.DEMO_VIDEO_COURSE}; nothing to do`);
    else if (outcome.kind === 'has-video') console.error(`[edu] demo lecture: the lesson already has a video (${outcome.status})`);
    else {
      console.error(
        `[edu] demo lecture: queued for transcoding (${(outcome.bytes / 1e6).toFixed(1)} MB, ${outcome.chineseSlides ? 'Chinese' : 'English'} slides` +
          `${outcome.replaced ? '; it replaces a ready video whose files are missing' : ''}); the worker publishes it in about a minute`,
      );
    }
  } catch (error) {
    // The site works without it; the next `npm start` tries again.
    console.error(`[edu] demo lecture: not made: ${stop.signal.aborted ? 'stopped' : error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    code = 1;
  } finally {
    await video.close();
    redis.disconnect();
    await sql.end({ timeout: 5 });
  }
  process.exit(code);
}
