import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, date, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { completionRecords, courses } from './courses.js';
import { users } from './identity.js';
import { institutions } from './places.js';

/**
 * A grade-conversion table: percentage bands to grade points, the quadratic formula
 * 4 - 3(100 - x)^2/1600 (x >= pass mark), or pass/fail. Grades and points are integer
 * hundredths so no float ever touches a grade; `ectsHoursPerCredit` (25-30) maps hours to ECTS.
 */
export type ConversionDefinition = (
  | { kind: 'bands'; bands: { minHundredths: number; pointsHundredths: number; label: string }[] }
  | { kind: 'formula'; formula: 'quadratic-4'; passMarkHundredths: number }
  | { kind: 'pass-fail'; passMarkHundredths: number }
) & { ectsHoursPerCredit?: number | undefined };

export const gradingScales = ['percent', 'pass-fail'] as const;
export type GradingScale = (typeof gradingScales)[number];

/** One per institution: how it counts credits and which conversion table is in force. */
export const creditPolicies = pgTable(
  'credit_policies',
  {
    institutionId: uuid()
      .primaryKey()
      .references(() => institutions.id, { onDelete: 'cascade' }),
    /** Class hours that make one credit (16 at most Chinese universities). */
    hoursPerCredit: integer().notNull().default(16),
    gradingScale: text().$type<GradingScale>().notNull().default('percent'),
    currentTableId: uuid(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('credit_policies_hours_positive', sql`${t.hoursPerCredit} between 1 and 100`)],
);

/** Never edited once created: a change is a new version, and decisions cite the version used. */
export const gradeConversionTables = pgTable(
  'grade_conversion_tables',
  {
    id: uuid().primaryKey().defaultRandom(),
    institutionId: uuid()
      .notNull()
      .references(() => institutions.id, { onDelete: 'cascade' }),
    version: integer().notNull(),
    nameZh: text().notNull(),
    nameEn: text().notNull(),
    definition: jsonb().$type<ConversionDefinition>().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('grade_conversion_tables_version').on(t.institutionId, t.version)],
);

export const ruleTargetKinds = ['course', 'elective'] as const;
export type RuleTargetKind = (typeof ruleTargetKinds)[number];

/** An articulation rule of the home institution: completed source courses count as a target. */
export const equivalencyRules = pgTable(
  'equivalency_rules',
  {
    id: uuid().primaryKey().defaultRandom(),
    institutionId: uuid()
      .notNull()
      .references(() => institutions.id, { onDelete: 'cascade' }),
    targetKind: text().$type<RuleTargetKind>().notNull(),
    /** The home course's code and title; empty for elective credit. */
    targetCode: text().notNull().default(''),
    targetTitleZh: text().notNull().default(''),
    targetTitleEn: text().notNull().default(''),
    credits: numeric({ precision: 4, scale: 1 }).notNull(),
    /** Percentage; null = any passing completion counts. */
    minGrade: numeric({ precision: 5, scale: 2 }),
    effectiveFrom: date({ mode: 'string' }).notNull(),
    effectiveUntil: date({ mode: 'string' }),
    autoApprove: boolean().notNull().default(false),
    publicNote: text().notNull().default(''),
    privateNote: text().notNull().default(''),
    active: boolean().notNull().default(true),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** Set when a registrar turned a one-off decision into this rule. */
    fromRequestId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('equivalency_rules_institution_idx').on(t.institutionId, t.active),
    check('equivalency_rules_credits_positive', sql`${t.credits} > 0`),
    check('equivalency_rules_min_grade_range', sql`${t.minGrade} is null or ${t.minGrade} between 0 and 100`),
    check('equivalency_rules_window', sql`${t.effectiveUntil} is null or ${t.effectiveUntil} >= ${t.effectiveFrom}`),
  ],
);

/** Source courses of a rule: every course of one alternative is needed (AND); any alternative will do (OR). */
export const equivalencyRuleSources = pgTable(
  'equivalency_rule_sources',
  {
    ruleId: uuid()
      .notNull()
      .references(() => equivalencyRules.id, { onDelete: 'cascade' }),
    alternative: integer().notNull(),
    courseId: uuid()
      .notNull()
      .references(() => courses.id, { onDelete: 'restrict' }),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.alternative, t.courseId] }), index('equivalency_rule_sources_course_idx').on(t.courseId)],
);

export const creditRequestStatuses = ['submitted', 'auto-matched', 'in-review', 'more-info', 'approved', 'denied', 'posted'] as const;
export type CreditRequestStatus = (typeof creditRequestStatuses)[number];

export const creditRequests = pgTable(
  'credit_requests',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    /** The student's home institution, whose registrars decide. */
    institutionId: uuid()
      .notNull()
      .references(() => institutions.id, { onDelete: 'restrict' }),
    completionRecordId: uuid()
      .notNull()
      .references(() => completionRecords.id, { onDelete: 'restrict' }),
    /** Copied from the completion record so the queue filters without a join. */
    sourceInstitutionId: uuid()
      .notNull()
      .references(() => institutions.id, { onDelete: 'restrict' }),
    sourceCourseId: uuid()
      .notNull()
      .references(() => courses.id, { onDelete: 'restrict' }),
    targetKind: text().$type<RuleTargetKind>().notNull(),
    targetCode: text().notNull().default(''),
    targetTitle: text().notNull().default(''),
    note: text().notNull().default(''),
    status: text().$type<CreditRequestStatus>().notNull().default('submitted'),
    /** Bumped by every change: a decision carrying an older version lost a race. */
    version: integer().notNull().default(1),
    ruleId: uuid().references(() => equivalencyRules.id, { onDelete: 'set null' }),
    matchReasons: jsonb().$type<{ code: string }[]>().notNull().default([]),
    awardedCredits: numeric({ precision: 4, scale: 1 }),
    /** Grade points with two decimals, or null for pass/fail. */
    convertedGrade: numeric({ precision: 4, scale: 2 }),
    convertedLabel: text(),
    conversionTableId: uuid().references(() => gradeConversionTables.id, { onDelete: 'restrict' }),
    conversionTableVersion: integer(),
    decisionReason: text(),
    decidedBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp({ withTimezone: true }),
    appealReason: text(),
    appealedAt: timestamp({ withTimezone: true }),
    postedAt: timestamp({ withTimezone: true }),
    submittedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('credit_requests_once_per_record').on(t.completionRecordId, t.institutionId),
    index('credit_requests_queue_idx').on(t.institutionId, t.status, t.submittedAt),
    index('credit_requests_source_idx').on(t.institutionId, t.sourceInstitutionId, t.submittedAt),
    index('credit_requests_user_idx').on(t.userId),
    index('credit_requests_rule_idx').on(t.ruleId, t.status),
  ],
);

/** The timeline a student follows: one row per status change. */
export const creditRequestEvents = pgTable(
  'credit_request_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    requestId: uuid()
      .notNull()
      .references(() => creditRequests.id, { onDelete: 'cascade' }),
    fromStatus: text().$type<CreditRequestStatus>(),
    toStatus: text().$type<CreditRequestStatus>().notNull(),
    actorUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    note: text().notNull().default(''),
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('credit_request_events_request_idx').on(t.requestId, t.id)],
);

export type CreditPolicy = typeof creditPolicies.$inferSelect;
export type GradeConversionTable = typeof gradeConversionTables.$inferSelect;
export type EquivalencyRule = typeof equivalencyRules.$inferSelect;
export type CreditRequest = typeof creditRequests.$inferSelect;
export type CreditRequestEvent = typeof creditRequestEvents.$inferSelect;
