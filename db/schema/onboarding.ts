import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { classroomPupils, classrooms } from './classrooms.js';
import { roleEnum, users } from './identity.js';
import { institutions } from './places.js';

/** The roles an institution administrator may invite; registrar and admin need two administrators. */
export const invitableRoles = ['teacher', 'assistant'] as const;
export type InvitableRole = (typeof invitableRoles)[number];

/** A mail domain the institution vouches for: a code sent to an address there verifies membership. */
export const institutionMailDomains = pgTable(
  'institution_mail_domains',
  {
    id: uuid().primaryKey().defaultRandom(),
    institutionId: uuid()
      .notNull()
      .references(() => institutions.id, { onDelete: 'cascade' }),
    /** Lower-cased, no leading `@`; one institution per domain. */
    domain: text().notNull().unique(),
    addedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('institution_mail_domains_institution_idx').on(t.institutionId)],
);

/** A staff invitation by mail: the token is single-use, made by the mail worker, stored only as its sha256. */
export const staffInvitations = pgTable(
  'staff_invitations',
  {
    id: uuid().primaryKey().defaultRandom(),
    institutionId: uuid()
      .notNull()
      .references(() => institutions.id, { onDelete: 'cascade' }),
    email: text().notNull(),
    role: roleEnum().notNull(),
    /** sha256 of the link token, set by the worker that mails it (null until then). */
    tokenHash: text().unique(),
    invitedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    acceptedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('staff_invitations_institution_idx').on(t.institutionId, t.createdAt), check('staff_invitations_role', sql`${t.role} in ('teacher', 'assistant')`)],
);

/** A code mailed to an address in a registered domain; proving it verifies the membership. */
export const mailDomainCodes = pgTable(
  'mail_domain_codes',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    institutionId: uuid()
      .notNull()
      .references(() => institutions.id, { onDelete: 'cascade' }),
    email: text().notNull(),
    /** sha256 of the code, set by the worker that mails it (null until then). */
    codeHash: text(),
    attempts: integer().notNull().default(0),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('mail_domain_codes_user_idx').on(t.userId, t.institutionId)],
);

export const rosterKinds = ['student', 'pupil'] as const;
export type RosterKind = (typeof rosterKinds)[number];

/**
 * One person on an institution's roster, keyed by the institution's own stable id (student
 * number): re-importing the same file finds every row here and changes nothing.
 */
export const rosterEntries = pgTable(
  'roster_entries',
  {
    id: uuid().primaryKey().defaultRandom(),
    institutionId: uuid()
      .notNull()
      .references(() => institutions.id, { onDelete: 'restrict' }),
    externalId: text().notNull(),
    userId: uuid()
      .notNull()
      .unique()
      .references(() => users.id, { onDelete: 'restrict' }),
    kind: text().$type<RosterKind>().notNull(),
    displayName: text().notNull(),
    email: text(),
    /** Pupils: their class, and their row in its attendance list. */
    classroomId: uuid().references(() => classrooms.id, { onDelete: 'set null' }),
    classroomPupilId: uuid().references(() => classroomPupils.id, { onDelete: 'set null' }),
    birthDate: date({ mode: 'string' }),
    /** HMAC of the pupil's classroom-device code; shown once to the institution administrator. */
    signInCodeHash: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('roster_entries_external_id_key').on(t.institutionId, t.externalId), index('roster_entries_classroom_idx').on(t.classroomId)],
);

/**
 * A guardian's consent for a child under 14 (PIPL art. 31), recorded by the school that
 * imported the child: who recorded it, when, and which version of the notice it covered.
 */
export const guardianConsents = pgTable(
  'guardian_consents',
  {
    id: uuid().primaryKey().defaultRandom(),
    pupilUserId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    institutionId: uuid()
      .notNull()
      .references(() => institutions.id, { onDelete: 'restrict' }),
    guardianName: text().notNull(),
    guardianRelation: text().notNull(),
    noticeVersion: text().notNull(),
    recordedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('guardian_consents_pupil_notice_key').on(t.pupilUserId, t.noticeVersion)],
);

/** Which assistants run which receiving classroom, as the institution administrator assigned them. */
export const classroomAssistants = pgTable(
  'classroom_assistants',
  {
    classroomId: uuid()
      .notNull()
      .references(() => classrooms.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    assignedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    assignedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.classroomId, t.userId] })],
);

export type StaffInvitation = typeof staffInvitations.$inferSelect;
export type RosterEntry = typeof rosterEntries.$inferSelect;
export type GuardianConsent = typeof guardianConsents.$inferSelect;
