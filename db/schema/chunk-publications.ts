import { integer, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { videos } from './videos.js';

/**
 * How far the early publication of a lecture encoded in chunks has got (decision 014,
 * early playback): chunks 0..publishedChunks-1 are in the published EVENT playlists.
 * Whichever worker extends the publication holds this row's lock (SELECT ... FOR UPDATE)
 * while it writes, so two workers never write the playlists at once, and the count is
 * the compare-and-set that keeps a retried chunk from being appended twice.
 */
export const chunkedVideoPublications = pgTable('chunked_video_publications', {
  videoId: uuid()
    .primaryKey()
    .references(() => videos.id, { onDelete: 'cascade' }),
  publishedChunks: integer().notNull().default(0),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
