import { bigint, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from './identity.js';
import { institutions } from './places.js';
import type { Role } from './identity.js';

/**
 * A person's authenticator (TOTP, RFC 6238). The secret is sealed with AES-256-GCM under a key
 * derived from SESSION_SECRET; `pendingSealedSecret` is a new authenticator being enrolled, which
 * replaces the confirmed one only once a code from it is given. `lastUsedStep` refuses a code's
 * second use (RFC 6238 §5.2).
 */
export const userSecondFactors = pgTable('user_second_factors', {
  userId: uuid()
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  sealedSecret: text(),
  confirmedAt: timestamp({ withTimezone: true }),
  pendingSealedSecret: text(),
  pendingCreatedAt: timestamp({ withTimezone: true }),
  lastUsedStep: bigint({ mode: 'number' }),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Ten single-use codes per enrolment, stored as sha256 of an 80-bit random code. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex('recovery_codes_user_hash_key').on(t.userId, t.codeHash)],
);

export const roleGrantStatuses = ['pending', 'approved', 'rejected'] as const;
export type RoleGrantStatus = (typeof roleGrantStatuses)[number];

/** A privileged role proposed by one administrator, granted only when another approves it. */
export const roleGrantProposals = pgTable(
  'role_grant_proposals',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    institutionId: uuid()
      .notNull()
      .references(() => institutions.id, { onDelete: 'restrict' }),
    role: text().$type<Role>().notNull(),
    status: text().$type<RoleGrantStatus>().notNull().default('pending'),
    proposedBy: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    proposedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid().references(() => users.id, { onDelete: 'restrict' }),
    decidedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('role_grant_proposals_one_pending').on(t.userId, t.institutionId, t.role).where(sql`status = 'pending'`),
    index('role_grant_proposals_status_idx').on(t.status, t.proposedAt),
  ],
);

export type UserSecondFactor = typeof userSecondFactors.$inferSelect;
export type RoleGrantProposal = typeof roleGrantProposals.$inferSelect;
