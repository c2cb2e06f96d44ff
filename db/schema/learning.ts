import { index, jsonb, pgTable, primaryKey, real, timestamp, uuid } from 'drizzle-orm/pg-core';
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
