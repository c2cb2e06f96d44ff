import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity.js';
import { institutions } from './places.js';

export const auditActions = [
  'auth.login',
  'auth.login-failed',
  'auth.logout',
  'auth.signup',
  'auth.signup-refused',
  'auth.email-verified',
  'auth.password-reset-requested',
  'auth.password-reset',
  'auth.password-changed',
  'auth.sessions-ended',
  'access.denied',
  'people.viewed',
  'account.exported',
  'account.erased',
  'role.granted',
  'role.revoked',
  'role.proposed',
  'role.rejected',
  'membership.verified',
  'second-factor.enrolled',
  'second-factor.failed',
  'second-factor.recovery-used',
  'institution.created',
  'institution.updated',
  'credits.decided',
  'credits.rule-saved',
  'credential.revoked',
  'credential.key-rotated',
  'quiz.regraded',
  'ledger.checkpoint-signed',
  'progress.clipped',
  'staff.invited',
  'staff.invitation-accepted',
  'staff.invitation-revoked',
  'staff.revoked',
  'mail-domain.added',
  'mail-domain.removed',
  'membership.verified',
  'classroom.saved',
  'roster.imported',
  'roster.codes-issued',
  'auth.pupil-login',
  'auth.pupil-login-failed',
  'sso.signed-in',
  'sso.refused',
  'sso.linked',
  'sso.settings-saved',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** Append-only: the application never updates or deletes rows here. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    occurredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid().references(() => users.id, { onDelete: 'restrict' }),
    action: text().$type<AuditAction>().notNull(),
    subjectUserId: uuid().references(() => users.id, { onDelete: 'restrict' }),
    institutionId: uuid().references(() => institutions.id, { onDelete: 'restrict' }),
    ip: text(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    index('audit_log_actor_idx').on(t.actorUserId, t.occurredAt),
    index('audit_log_subject_idx').on(t.subjectUserId, t.occurredAt),
    index('audit_log_action_idx').on(t.action, t.occurredAt),
  ],
);

export type AuditEntry = typeof auditLog.$inferSelect;
export type NewAuditEntry = typeof auditLog.$inferInsert;
