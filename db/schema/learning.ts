import { index, integer, jsonb, pgTable, primaryKey, real, timestamp, uuid } from 'drizzle-orm/pg-core';
import { lessons } from './courses.js';
import { users } from './identity.js';
import { videos } from './videos.js';

/** How much of a lesson's video a student watched; completion is kept once reached. */
export const lessonVideoProgress = pgTable(
  'lesson_video_progress',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    lessonId: uuid()
      .notNull()
      .references(() => lessons.id, { onDelete: 'cascade' }),
    videoId: uuid().references(() => videos.id, { onDelete: 'set null' }),
    watchedRanges: jsonb().$type<[number, number][]>().notNull().default([]),
    positionSeconds: real().notNull().default(0),
    watchedFraction: real().notNull().default(0),
    completedAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.lessonId] }), index('lesson_video_progress_lesson_idx').on(t.lessonId)],
);

export type LessonVideoProgress = typeof lessonVideoProgress.$inferSelect;

/**
 * One showing of a lesson's video to a student: recorded when the server hands out the
 * lesson page, so its start is the server's, not the device's. Newly watched seconds
 * accepted from its reports never exceed twice the wall-clock time since that start
 * (app/features/learning/watch-budget.ts).
 */
export const playbackRuns = pgTable(
  'playback_runs',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    lessonId: uuid()
      .notNull()
      .references(() => lessons.id, { onDelete: 'cascade' }),
    videoId: uuid()
      .notNull()
      .references(() => videos.id, { onDelete: 'cascade' }),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    acceptedSeconds: real().notNull().default(0),
    /** New seconds its reports claimed beyond its budget, summed (the audit log has one entry per run). */
    clippedSeconds: real().notNull().default(0),
    clippedReports: integer().notNull().default(0),
    /** When its first clipped report was audited; later ones only add to the sums above. */
    auditedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('playback_runs_viewer_idx').on(t.userId, t.lessonId, t.startedAt)],
);

export type PlaybackRun = typeof playbackRuns.$inferSelect;
