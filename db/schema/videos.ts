import { bigint, index, integer, jsonb, pgEnum, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { lessons } from './courses.js';
import { users } from './identity.js';

export const videoStatuses = ['queued', 'probing', 'processing', 'ready', 'replaced', 'failed', 'cancelled'] as const;
export type VideoStatus = (typeof videoStatuses)[number];
export const videoStatusEnum = pgEnum('video_status', videoStatuses);

/** What a teacher sees when an upload is refused or a transcode fails: a code, and its parameters. */
export type VideoFailure = { code: string; params?: Record<string, string | number> };

export type VideoCaption = { language: 'zh-CN' | 'en'; cues: number };

export type VideoRendition = { name: string; width: number | null; height: number | null; bandwidthKbps: number; playlist: string };

/** One uploaded lecture video of a lesson and its way through probe → transcode → publish. */
export const videos = pgTable(
  'videos',
  {
    id: uuid().primaryKey().defaultRandom(),
    lessonId: uuid()
      .notNull()
      .references(() => lessons.id, { onDelete: 'cascade' }),
    uploadedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** The tus upload id: where the source file waits in the upload store. */
    uploadId: text().notNull().unique(),
    originalFilename: text(),
    sourceBytes: bigint({ mode: 'number' }).notNull(),
    status: videoStatusEnum().notNull().default('queued'),
    progressPercent: real().notNull().default(0),
    failures: jsonb().$type<VideoFailure[]>().notNull().default([]),
    durationSeconds: real(),
    sourceWidth: integer(),
    sourceHeight: integer(),
    renditions: jsonb().$type<VideoRendition[]>().notNull().default([]),
    captions: jsonb().$type<VideoCaption[]>().notNull().default([]),
    /** Storage prefix of the published ladder (master.m3u8 and rungs beneath it). */
    storagePrefix: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    readyAt: timestamp({ withTimezone: true }),
    /**
     * Set by the storage check (workers/handlers/check-video-files.ts) while files of a
     * ready ladder are missing from storage; cleared when they are back.
     */
    filesMissingSince: timestamp({ withTimezone: true }),
    filesMissingCount: integer().notNull().default(0),
  },
  (t) => [
    index('videos_lesson_idx').on(t.lessonId, t.createdAt),
    // At most one video per lesson in the works, and one published; a new upload is
    // transcoded while students keep watching the old one, which it then replaces.
    uniqueIndex('videos_one_in_progress_per_lesson').on(t.lessonId).where(sql`${t.status} in ('queued', 'probing', 'processing')`),
    uniqueIndex('videos_one_ready_per_lesson').on(t.lessonId).where(sql`${t.status} = 'ready'`),
  ],
);

export type Video = typeof videos.$inferSelect;
