import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, integer, jsonb, pgEnum, pgTable, primaryKey, real, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { courses, lessons } from './courses.js';
import { users } from './identity.js';
import { institutions } from './places.js';

/** A physical room at a school: a lead classroom in the city or a receiving one in the country. */
export const classrooms = pgTable(
  'classrooms',
  {
    id: uuid().primaryKey().defaultRandom(),
    institutionId: uuid()
      .notNull()
      .references(() => institutions.id, { onDelete: 'restrict' }),
    nameZh: text().notNull(),
    nameEn: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** An archived room keeps its history (sessions, attendance) but takes no new classes or pupils. */
    archivedAt: timestamp({ withTimezone: true }),
  },
  (t) => [unique('classrooms_institution_name_key').on(t.institutionId, t.nameZh)],
);

/** Pupils of a receiving classroom, for roll-call; rural pupils often have no account. */
export const classroomPupils = pgTable(
  'classroom_pupils',
  {
    id: uuid().primaryKey().defaultRandom(),
    classroomId: uuid()
      .notNull()
      .references(() => classrooms.id, { onDelete: 'cascade' }),
    displayName: text().notNull(),
  },
  (t) => [unique('classroom_pupils_name_key').on(t.classroomId, t.displayName)],
);

/** A teacher's live class: a course taught from a lead classroom, followed by receiving classrooms. */
export const liveClasses = pgTable(
  'live_classes',
  {
    id: uuid().primaryKey().defaultRandom(),
    courseId: uuid()
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    teacherId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    leadClassroomId: uuid()
      .notNull()
      .references(() => classrooms.id, { onDelete: 'restrict' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('live_classes_teacher_idx').on(t.teacherId)],
);

export const liveClassReceivers = pgTable(
  'live_class_receivers',
  {
    liveClassId: uuid()
      .notNull()
      .references(() => liveClasses.id, { onDelete: 'cascade' }),
    classroomId: uuid()
      .notNull()
      .references(() => classrooms.id, { onDelete: 'restrict' }),
  },
  (t) => [primaryKey({ columns: [t.liveClassId, t.classroomId] }), index('live_class_receivers_classroom_idx').on(t.classroomId)],
);

export const sessionStatuses = ['scheduled', 'live', 'ended'] as const;
export type SessionStatus = (typeof sessionStatuses)[number];
export const sessionStatusEnum = pgEnum('live_session_status', sessionStatuses);

/** The shared playback state every screen follows; see app/features/classrooms/playback-state.ts. */
export type PlaybackState = { playing: boolean; position: number; anchorAt: number; slide: number; waitingFor: string[] };

/** One timetabled occurrence; a weekly series is one row per week sharing `seriesId`. */
export const liveSessions = pgTable(
  'live_sessions',
  {
    id: uuid().primaryKey().defaultRandom(),
    liveClassId: uuid()
      .notNull()
      .references(() => liveClasses.id, { onDelete: 'cascade' }),
    lessonId: uuid()
      .notNull()
      .references(() => lessons.id, { onDelete: 'restrict' }),
    seriesId: uuid(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    status: sessionStatusEnum().notNull().default('scheduled'),
    /** Slide texts the console steps through (one per page). */
    slides: jsonb().$type<string[]>().notNull().default([]),
    waitForBuffering: boolean().notNull().default(false),
    state: jsonb().$type<PlaybackState>().notNull().default({ playing: false, position: 0, anchorAt: 0, slide: 0, waitingFor: [] }),
    /** The last event's sequence number; events are numbered 1, 2, 3… per session. */
    lastSeq: integer().notNull().default(0),
    startedAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('live_sessions_class_idx').on(t.liveClassId, t.startsAt), index('live_sessions_starts_idx').on(t.startsAt), check('live_sessions_ends_after_start', sql`${t.endsAt} > ${t.startsAt}`)],
);

/** Every change screens must see, in order: replayed to a screen that missed it. */
export const sessionEvents = pgTable(
  'session_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    sessionId: uuid()
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    seq: integer().notNull(),
    kind: text().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('session_events_seq_key').on(t.sessionId, t.seq)],
);

/** A receiving classroom's live status in a session: hand, buffering, and its connection figures. */
export const sessionClassrooms = pgTable(
  'session_classrooms',
  {
    sessionId: uuid()
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    classroomId: uuid()
      .notNull()
      .references(() => classrooms.id, { onDelete: 'restrict' }),
    joinedAt: timestamp({ withTimezone: true }),
    lastSeenAt: timestamp({ withTimezone: true }),
    handRaisedAt: timestamp({ withTimezone: true }),
    buffering: boolean().notNull().default(false),
    rttMs: real(),
    bufferSeconds: real(),
    rung: text(),
    driftMs: real(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.classroomId] })],
);

export const attendanceModes = ['roster', 'headcount'] as const;
export type AttendanceMode = (typeof attendanceModes)[number];

export const sessionAttendance = pgTable(
  'session_attendance',
  {
    sessionId: uuid()
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    classroomId: uuid()
      .notNull()
      .references(() => classrooms.id, { onDelete: 'restrict' }),
    mode: text().$type<AttendanceMode>().notNull(),
    presentPupilIds: jsonb().$type<string[]>().notNull().default([]),
    headcount: integer().notNull(),
    recordedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.classroomId] }), check('session_attendance_headcount', sql`${t.headcount} >= 0`)],
);

export const sessionQuestions = pgTable(
  'session_questions',
  {
    id: uuid().primaryKey().defaultRandom(),
    sessionId: uuid()
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    classroomId: uuid()
      .notNull()
      .references(() => classrooms.id, { onDelete: 'restrict' }),
    askedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** Chosen by the sending screen: a retried send is stored once. */
    clientKey: text().notNull(),
    body: text().notNull(),
    answeredAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('session_questions_client_key').on(t.sessionId, t.clientKey), index('session_questions_session_idx').on(t.sessionId, t.createdAt)],
);

export const sessionPolls = pgTable(
  'session_polls',
  {
    id: uuid().primaryKey().defaultRandom(),
    sessionId: uuid()
      .notNull()
      .references(() => liveSessions.id, { onDelete: 'cascade' }),
    question: text().notNull(),
    options: jsonb().$type<string[]>().notNull(),
    closedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('session_polls_session_idx').on(t.sessionId, t.createdAt)],
);

/** A classroom's answer: how many pupils chose each option (the assistant counts hands). */
export const sessionPollAnswers = pgTable(
  'session_poll_answers',
  {
    pollId: uuid()
      .notNull()
      .references(() => sessionPolls.id, { onDelete: 'cascade' }),
    classroomId: uuid()
      .notNull()
      .references(() => classrooms.id, { onDelete: 'restrict' }),
    counts: jsonb().$type<number[]>().notNull(),
    answeredBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    answeredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.pollId, t.classroomId] })],
);

export type Classroom = typeof classrooms.$inferSelect;
export type LiveClass = typeof liveClasses.$inferSelect;
export type LiveSession = typeof liveSessions.$inferSelect;
export type SessionEvent = typeof sessionEvents.$inferSelect;
export type SessionQuestion = typeof sessionQuestions.$inferSelect;
export type SessionPoll = typeof sessionPolls.$inferSelect;
