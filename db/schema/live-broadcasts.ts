import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { lessons } from './courses.js';
import { users } from './identity.js';
import { liveSessions } from './classrooms.js';
import { videos } from './videos.js';

export const broadcastStatuses = ['live', 'stopping', 'recorded', 'failed'] as const;
export type BroadcastStatus = (typeof broadcastStatuses)[number];
export const broadcastStatusEnum = pgEnum('live_broadcast_status', broadcastStatuses);

/**
 * The teacher's live voice (and camera) in a session: chunks go through Redis to one
 * packager job (docs/decisions/021-live-teacher-broadcast.md); the recording becomes a
 * lesson video through the ordinary pipeline once the broadcast stops.
 */
export const liveBroadcasts = pgTable(
  'live_broadcasts',
  {
    id: uuid().primaryKey().defaultRandom(),
    sessionId: uuid()
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    teacherId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    withVideo: boolean().notNull(),
    status: broadcastStatusEnum().notNull().default('live'),
    /** Chunks the packager consumed, and the bytes of the recording so far. */
    packagedChunks: integer().notNull().default(0),
    recordedBytes: bigint({ mode: 'number' }).notNull().default(0),
    /** The last chunk number the teacher's browser sent (stop waits for it). */
    lastChunk: integer(),
    recordingLessonId: uuid().references(() => lessons.id, { onDelete: 'set null' }),
    recordingVideoId: uuid().references(() => videos.id, { onDelete: 'set null' }),
    failure: text(),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    stoppedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index('live_broadcasts_session_idx').on(t.sessionId, t.startedAt),
    // One broadcast at a time per session.
    uniqueIndex('live_broadcasts_one_on_air').on(t.sessionId).where(sql`${t.status} in ('live', 'stopping')`),
  ],
);

export type LiveBroadcast = typeof liveBroadcasts.$inferSelect;
