import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './identity.js';
import { institutions } from './places.js';

/** Subjects of the catalog's filter; codes stay stable, names live in the message catalogs. */
export const courseSubjects = [
  'mathematics',
  'physics',
  'chemistry',
  'biology',
  'computing',
  'chinese',
  'english',
  'history',
  'geography',
  'politics',
  'economics',
  'education',
  'engineering',
  'medicine',
  'arts',
  'agriculture',
] as const;
export type CourseSubject = (typeof courseSubjects)[number];

/** National/provincial quality course, "gold" course, virtual simulation lab, ordinary. */
export const courseLevels = ['national', 'provincial', 'gold', 'virtual-lab', 'ordinary'] as const;
export type CourseLevel = (typeof courseLevels)[number];
export const courseLevelEnum = pgEnum('course_level', courseLevels);

export const courseLanguages = ['zh', 'en', 'bilingual'] as const;
export type CourseLanguage = (typeof courseLanguages)[number];

/** Who may enrol: anyone, the course's own institution, or it and its listed partners. */
export const enrolmentPolicies = ['open', 'institution', 'partners'] as const;
export type EnrolmentPolicy = (typeof enrolmentPolicies)[number];
export const enrolmentPolicyEnum = pgEnum('enrolment_policy', enrolmentPolicies);

export const courses = pgTable(
  'courses',
  {
    id: uuid().primaryKey().defaultRandom(),
    institutionId: uuid()
      .notNull()
      .references(() => institutions.id, { onDelete: 'restrict' }),
    slug: text().notNull().unique(),
    titleZh: text().notNull(),
    titleEn: text(),
    summaryZh: text().notNull().default(''),
    summaryEn: text(),
    descriptionZh: text().notNull().default(''),
    descriptionEn: text(),
    prerequisitesZh: text().notNull().default(''),
    prerequisitesEn: text(),
    subject: text().$type<CourseSubject>().notNull().default('education'),
    level: courseLevelEnum().notNull().default('ordinary'),
    language: text().$type<CourseLanguage>().notNull().default('zh'),
    /** Exact decimal credits (never floats): 0 means the course offers no credit. */
    credits: numeric({ precision: 4, scale: 1 }).notNull().default('0'),
    classHours: integer().notNull().default(0),
    enrolmentPolicy: enrolmentPolicyEnum().notNull().default('open'),
    /** Final grade (percent) needed, with every lesson complete, for a completion record. */
    passGrade: numeric({ precision: 5, scale: 2 }).notNull().default('60'),
    /** Which attempt of a quiz counts toward the final grade. */
    attemptScoring: text().$type<'best' | 'latest'>().notNull().default('best'),
    publishedAt: timestamp({ withTimezone: true }),
    /** Search tokens (CJK unigrams and bigrams, Latin words) of every searchable text. */
    searchTokens: text().array().notNull().default(sql`'{}'::text[]`),
    titleTokens: text().array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('courses_institution_idx').on(t.institutionId),
    index('courses_catalog_idx').on(t.publishedAt, t.subject, t.level),
    index('courses_search_tokens_idx').using('gin', t.searchTokens),
    check('courses_credits_nonnegative', sql`${t.credits} >= 0 and ${t.classHours} >= 0`),
    check('courses_pass_grade_range', sql`${t.passGrade} between 0 and 100`),
  ],
);

/** Institutions whose students may enrol in a course with the `partners` policy. */
export const coursePartners = pgTable(
  'course_partners',
  {
    courseId: uuid()
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    institutionId: uuid()
      .notNull()
      .references(() => institutions.id, { onDelete: 'restrict' }),
  },
  (t) => [primaryKey({ columns: [t.courseId, t.institutionId] })],
);

export const courseTeachers = pgTable(
  'course_teachers',
  {
    courseId: uuid()
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.courseId, t.userId] }), index('course_teachers_user_idx').on(t.userId)],
);

export const courseModules = pgTable(
  'course_modules',
  {
    id: uuid().primaryKey().defaultRandom(),
    courseId: uuid()
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    position: integer().notNull(),
    titleZh: text().notNull(),
    titleEn: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('course_modules_course_idx').on(t.courseId, t.position)],
);

export const lessons = pgTable(
  'lessons',
  {
    id: uuid().primaryKey().defaultRandom(),
    courseId: uuid()
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    moduleId: uuid().references(() => courseModules.id, { onDelete: 'set null' }),
    position: integer().notNull(),
    titleZh: text().notNull(),
    titleEn: text(),
    /** Lesson text in a small, safe Markdown subset (rendered on the server, never raw HTML). */
    bodyZh: text().notNull().default(''),
    bodyEn: text(),
    /** Caption text of the lesson's video, kept for search. */
    captionText: text().notNull().default(''),
    /** Bumped by every studio save: a save carrying an older version is stale. */
    version: integer().notNull().default(1),
    /**
     * A draft is seen by the course's teachers only: students neither see nor need it (it
     * is not in the syllabus, the lesson counts, search or the completion rule). A class
     * recording starts as one; the teacher publishes it from the studio outline.
     */
    draft: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('lessons_course_idx').on(t.courseId, t.position), index('lessons_module_idx').on(t.moduleId)],
);

/** Downloadable files of a lesson (PDF, slides…), type-checked by content and size-limited. */
export const lessonMaterials = pgTable(
  'lesson_materials',
  {
    id: uuid().primaryKey().defaultRandom(),
    lessonId: uuid()
      .notNull()
      .references(() => lessons.id, { onDelete: 'cascade' }),
    fileName: text().notNull(),
    contentType: text().notNull(),
    sizeBytes: integer().notNull(),
    sha256: text().notNull(),
    uploadedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('lesson_materials_lesson_idx').on(t.lessonId)],
);

export const enrolments = pgTable(
  'enrolments',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    courseId: uuid()
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    /** The institution through which the student was allowed in (their own). */
    viaInstitutionId: uuid().references(() => institutions.id, { onDelete: 'set null' }),
    lastLessonId: uuid().references(() => lessons.id, { onDelete: 'set null' }),
    enrolledAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastActivityAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.courseId] }), index('enrolments_course_idx').on(t.courseId)],
);

/** A lesson counts as complete once each of its parts is done (video, text, quiz). */
export const lessonCompletions = pgTable(
  'lesson_completions',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    lessonId: uuid()
      .notNull()
      .references(() => lessons.id, { onDelete: 'cascade' }),
    textViewedAt: timestamp({ withTimezone: true }),
    completedAt: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.lessonId] }), index('lesson_completions_lesson_idx').on(t.lessonId)],
);

export const quizItemKinds = ['single', 'multiple', 'numeric', 'text'] as const;
export type QuizItemKind = (typeof quizItemKinds)[number];
export const quizItemKindEnum = pgEnum('quiz_item_kind', quizItemKinds);

export const quizzes = pgTable(
  'quizzes',
  {
    id: uuid().primaryKey().defaultRandom(),
    lessonId: uuid()
      .notNull()
      .unique()
      .references(() => lessons.id, { onDelete: 'cascade' }),
    attemptsAllowed: integer().notNull().default(1),
    dueAt: timestamp({ withTimezone: true }),
    /** Share of the final grade, relative to the course's other quizzes. */
    weight: numeric({ precision: 6, scale: 2 }).notNull().default('1'),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('quizzes_attempts_positive', sql`${t.attemptsAllowed} between 1 and 100`), check('quizzes_weight_nonnegative', sql`${t.weight} >= 0`)],
);

export type QuizOption = { id: string; labelZh: string; labelEn?: string | undefined };
export type QuizAnswerKey =
  | { kind: 'single'; optionId: string }
  | { kind: 'multiple'; optionIds: string[] }
  | { kind: 'numeric'; value: number; tolerance: number }
  | { kind: 'text'; accepted: string[] };

export const quizItems = pgTable(
  'quiz_items',
  {
    id: uuid().primaryKey().defaultRandom(),
    quizId: uuid()
      .notNull()
      .references(() => quizzes.id, { onDelete: 'cascade' }),
    position: integer().notNull(),
    kind: quizItemKindEnum().notNull(),
    promptZh: text().notNull(),
    promptEn: text(),
    options: jsonb().$type<QuizOption[]>().notNull().default([]),
    answerKey: jsonb().$type<QuizAnswerKey>().notNull(),
    points: numeric({ precision: 6, scale: 2 }).notNull().default('1'),
    feedbackZh: text().notNull().default(''),
    feedbackEn: text(),
    /** Bumped by every save: a save made from an older version is refused (two teachers, two tabs). */
    version: integer().notNull().default(1),
  },
  (t) => [index('quiz_items_quiz_idx').on(t.quizId, t.position)],
);

export type QuizResponse = { itemId: string; optionIds?: string[]; value?: string };
export type QuizItemResult = { itemId: string; correct: boolean; points: number; maxPoints: number };

export const quizAttempts = pgTable(
  'quiz_attempts',
  {
    id: uuid().primaryKey().defaultRandom(),
    quizId: uuid()
      .notNull()
      .references(() => quizzes.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    attemptNo: integer().notNull(),
    responses: jsonb().$type<QuizResponse[]>().notNull(),
    results: jsonb().$type<QuizItemResult[]>().notNull(),
    score: numeric({ precision: 8, scale: 2 }).notNull(),
    maxScore: numeric({ precision: 8, scale: 2 }).notNull(),
    submittedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('quiz_attempts_once_per_number').on(t.quizId, t.userId, t.attemptNo), index('quiz_attempts_user_idx').on(t.userId)],
);

/**
 * Issued when a student meets a course's completion rule. Credit transfer relies on it, so
 * a trigger (migration 0004) refuses every UPDATE and DELETE: it carries a snapshot of the
 * course, institution, credits, class hours, grade and date as they were when issued.
 */
export const completionRecords = pgTable(
  'completion_records',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    courseId: uuid()
      .notNull()
      .references(() => courses.id, { onDelete: 'restrict' }),
    institutionId: uuid()
      .notNull()
      .references(() => institutions.id, { onDelete: 'restrict' }),
    courseSlug: text().notNull(),
    courseTitleZh: text().notNull(),
    courseTitleEn: text(),
    institutionNameZh: text().notNull(),
    institutionNameEn: text().notNull(),
    credits: numeric({ precision: 4, scale: 1 }).notNull(),
    classHours: integer().notNull(),
    /** Percentage with two decimals; null when the course has no graded quiz (pass only). */
    finalGrade: numeric({ precision: 5, scale: 2 }),
    completedOn: date({ mode: 'string' }).notNull(),
    issuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('completion_records_once_per_course').on(t.userId, t.courseId), index('completion_records_course_idx').on(t.courseId)],
);

export type Course = typeof courses.$inferSelect;
export type CourseModule = typeof courseModules.$inferSelect;
export type Lesson = typeof lessons.$inferSelect;
export type Quiz = typeof quizzes.$inferSelect;
export type QuizItem = typeof quizItems.$inferSelect;
export type QuizAttempt = typeof quizAttempts.$inferSelect;
export type CompletionRecord = typeof completionRecords.$inferSelect;
