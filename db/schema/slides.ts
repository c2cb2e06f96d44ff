import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { lessonMaterials } from './courses.js';
import { users } from './identity.js';
import { liveSessions } from './classrooms.js';

export const deckStatuses = ['queued', 'rendering', 'ready', 'rejected', 'failed'] as const;
export type DeckStatus = (typeof deckStatuses)[number];
export const deckStatusEnum = pgEnum('slide_deck_status', deckStatuses);

/** Why a PDF was refused (shown to the teacher in their language), with the limit it broke. */
export const deckRejections = ['not-pdf', 'too-big', 'empty', 'unreadable', 'too-many-pages', 'page-too-large', 'render-timeout', 'render-failed'] as const;
export type DeckRejection = { code: (typeof deckRejections)[number]; params?: Record<string, number> };

/**
 * A PDF shown as slide pages in a live session: rendered by the worker to images in media
 * storage under `slides/<sessionId>/<deckId>/`. The session shows its newest ready deck.
 */
export const slideDecks = pgTable(
  'slide_decks',
  {
    id: uuid().primaryKey().defaultRandom(),
    sessionId: uuid()
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    /** The lesson material it was made from, when the teacher picked one instead of uploading. */
    materialId: uuid().references(() => lessonMaterials.id, { onDelete: 'set null' }),
    fileName: text().notNull(),
    sourceBytes: integer().notNull(),
    status: deckStatusEnum().notNull().default('queued'),
    pageCount: integer(),
    pagesDone: integer().notNull().default(0),
    /** Bytes of each page image and thumbnail, in page order: what a screen's prefetch will fetch. */
    pageBytes: jsonb().$type<number[]>().notNull().default([]),
    thumbBytes: jsonb().$type<number[]>().notNull().default([]),
    rejection: jsonb().$type<DeckRejection>(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('slide_decks_session_idx').on(t.sessionId, t.createdAt)],
);

export type SlideDeck = typeof slideDecks.$inferSelect;
