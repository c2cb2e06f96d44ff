import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity.js';
import { mailMessages } from './mail.js';

/** What a mailed token lets its holder do. */
export const accountTokenPurposes = ['verify-email', 'password-reset'] as const;
export type AccountTokenPurpose = (typeof accountTokenPurposes)[number];

/**
 * Single-use tokens sent by mail. Only a sha256 of the token is kept (it is 256 random
 * bits, so a fast hash is enough); using one is a conditional UPDATE on `used_at`.
 */
export const accountTokens = pgTable(
  'account_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    purpose: text().$type<AccountTokenPurpose>().notNull(),
    tokenHash: text().notNull().unique(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The address the token was sent to: verifying it verifies this address, not a later one. */
    email: text().notNull(),
    mailId: uuid().references(() => mailMessages.id, { onDelete: 'set null' }),
    data: jsonb().$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('account_tokens_user_idx').on(t.userId, t.purpose), index('account_tokens_expires_idx').on(t.expiresAt)],
);

export const consentKinds = ['self', 'guardian'] as const;
export type ConsentKind = (typeof consentKinds)[number];

/**
 * Consent to a version of the privacy notice (PIPL art. 14, 31): given by the person
 * themselves at sign-up (`self`), or by a child's guardian and recorded by the school
 * that enrols the child (`guardian`, with who recorded it). Rows are never updated:
 * a new notice version asks again and adds a row.
 */
export const consents = pgTable(
  'consents',
  {
    id: uuid().primaryKey().defaultRandom(),
    subjectUserId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text().$type<ConsentKind>().notNull(),
    noticeVersion: text().notNull(),
    /** For `guardian`: the guardian's name or relation as the school recorded it. */
    givenBy: text(),
    recordedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('consents_subject_idx').on(t.subjectUserId, t.recordedAt)],
);

export type AccountToken = typeof accountTokens.$inferSelect;
export type Consent = typeof consents.$inferSelect;
export type NewConsent = typeof consents.$inferInsert;
