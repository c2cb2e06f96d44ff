import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users, type Locale } from './identity.js';

/**
 * Every kind of mail the platform sends. A template that carries a link with a secret
 * (`tokenPurpose` in workers/mail/templates.ts) gets its token made by the worker that
 * sends it, so the secret never sits in a job payload or in this table.
 */
export const mailTemplates = ['verify-email', 'password-reset', 'account-exists', 'password-changed'] as const;
export type MailTemplate = (typeof mailTemplates)[number];

export const mailStatuses = ['queued', 'sent', 'skipped', 'failed'] as const;
export type MailStatus = (typeof mailStatuses)[number];

/**
 * The outbox: one row per message asked for. The web writes it and enqueues `send-mail`
 * with the row's id; the worker renders and sends it. `params` hold no secrets.
 */
export const mailMessages = pgTable(
  'mail_messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    template: text().$type<MailTemplate>().notNull(),
    /** Lower-cased address; for a password reset, the address typed (it may have no account). */
    toAddress: text().notNull(),
    userId: uuid().references(() => users.id, { onDelete: 'cascade' }),
    locale: text().$type<Locale>().notNull(),
    params: jsonb().$type<Record<string, string>>().notNull().default({}),
    /** The site's public address when the mail was asked for: links in the mail start with it. */
    linkBase: text().notNull(),
    status: text().$type<MailStatus>().notNull().default('queued'),
    attempts: integer().notNull().default(0),
    lastError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('mail_messages_created_idx').on(t.createdAt), index('mail_messages_user_idx').on(t.userId)],
);

export type MailMessage = typeof mailMessages.$inferSelect;
export type NewMailMessage = typeof mailMessages.$inferInsert;
