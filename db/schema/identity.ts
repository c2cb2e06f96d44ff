import { index, pgEnum, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { institutions } from './places.js';

export const roles = ['student', 'teacher', 'assistant', 'registrar', 'institution_admin', 'admin'] as const;
export type Role = (typeof roles)[number];
export const roleEnum = pgEnum('role', roles);

/**
 * How a membership was shown to be real. `self-declared` may take open courses only; every other
 * method makes a verified member (own-students and partner courses, credit requests).
 */
export const membershipVerifications = ['self-declared', 'sso', 'mail-domain', 'roster', 'registrar-approval'] as const;
export type MembershipVerification = (typeof membershipVerifications)[number];

export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];

export const users = pgTable('users', {
  id: uuid().primaryKey().defaultRandom(),
  /** Shown wherever a record outlives the account (completion records, credit decisions). */
  pseudonym: text().notNull().unique(),
  /** Lower-cased; null once the account is erased. */
  email: text().unique(),
  displayName: text(),
  passwordHash: text(),
  /** When the person proved they read mail at `email` (a mailed link); null until then and after a change. */
  emailVerifiedAt: timestamp({ withTimezone: true }),
  locale: text().$type<Locale>().notNull().default('zh-CN'),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  erasedAt: timestamp({ withTimezone: true }),
});

export const memberships = pgTable(
  'memberships',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    institutionId: uuid()
      .notNull()
      .references(() => institutions.id, { onDelete: 'restrict' }),
    role: roleEnum().notNull(),
    grantedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    verification: text().$type<MembershipVerification>().notNull().default('self-declared'),
    verifiedAt: timestamp({ withTimezone: true }),
    /** The registrar or administrator who approved, for `registrar-approval` and granted roles. */
    verifiedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('memberships_user_institution_role_key').on(t.userId, t.institutionId, t.role),
    index('memberships_institution_role_idx').on(t.institutionId, t.role),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the cookie token: a leaked table cannot be replayed as cookies. */
    idHash: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    userAgent: text(),
    /** Updated at most every few minutes (session.server.ts), for the list of one's sessions. */
    lastSeenAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Membership = typeof memberships.$inferSelect;
export type NewMembership = typeof memberships.$inferInsert;
export type Session = typeof sessions.$inferSelect;
