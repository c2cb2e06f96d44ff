import type { Job } from 'bullmq';
import { and, eq, isNull } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import { createAccountToken } from '../../db/account-tokens.js';
import type { Database } from '../../db/client.js';
import { accountTokens, mailMessages, users, type MailMessage } from '../../db/schema/index.js';
import type { Logger } from '../runtime/logger.js';
import type { JobPayloads } from '../queues.js';
import { mailLink, renderMail, templates } from '../mail/templates.js';
import { deliverMail } from '../mail/transport.js';

export type MailJobContext = { db: Database; log: Logger; transport: Transporter | null; from: string };

/**
 * Sends one outbox message. A template with a token gets a fresh one here, so the secret
 * exists only in this process and in the mail; a retry first voids the token of the try
 * before. A password reset for an address with no account is marked skipped: the web
 * did the same work for it as for a real one, and nothing goes out.
 */
export async function sendMail(ctx: MailJobContext, job: Job<JobPayloads['send-mail']>): Promise<{ status: string }> {
  const { db } = ctx;
  const [message] = await db.select().from(mailMessages).where(eq(mailMessages.id, job.data.mailId));
  if (!message || message.status !== 'queued') return { status: message?.status ?? 'gone' };
  const recipient = await resolveRecipient(db, message);
  if (!recipient) {
    await db.update(mailMessages).set({ status: 'skipped' }).where(eq(mailMessages.id, message.id));
    return { status: 'skipped' };
  }
  if (!ctx.transport) {
    await db.update(mailMessages).set({ status: 'failed', lastError: 'SMTP_URL is not set' }).where(eq(mailMessages.id, message.id));
    ctx.log.error({ mailId: message.id, template: message.template }, 'mail not sent: SMTP_URL is not set');
    return { status: 'failed' };
  }
  const definition = templates[message.template];
  let token: string | undefined;
  if (definition.tokenPurpose && recipient.userId) {
    await db.update(accountTokens).set({ usedAt: new Date() }).where(and(eq(accountTokens.mailId, message.id), isNull(accountTokens.usedAt)));
    token = await createAccountToken(db, { purpose: definition.tokenPurpose, userId: recipient.userId, email: message.toAddress, mailId: message.id });
  }
  const mail = renderMail(message.template, recipient.locale, message.params, mailLink(message.linkBase, message.template, token));
  await db.update(mailMessages).set({ attempts: message.attempts + 1 }).where(eq(mailMessages.id, message.id));
  try {
    await deliverMail(ctx.transport, ctx.from, message.toAddress, { ...mail, messageId: `<${message.id}@edu.invalid>` });
  } catch (error) {
    const reason = error instanceof Error ? error.message.slice(0, 300) : String(error);
    const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await db.update(mailMessages).set({ lastError: reason, ...(final ? { status: 'failed' as const } : {}) }).where(eq(mailMessages.id, message.id));
    throw error;
  }
  await db.update(mailMessages).set({ status: 'sent', sentAt: new Date(), lastError: null }).where(eq(mailMessages.id, message.id));
  return { status: 'sent' };
}

/** Who the message is for; for a reset asked by address, the live account with that address. */
async function resolveRecipient(db: Database, message: MailMessage): Promise<{ userId: string | null; locale: MailMessage['locale'] } | null> {
  if (message.template !== 'password-reset') return { userId: message.userId, locale: message.locale };
  const [user] = await db
    .select({ id: users.id, locale: users.locale })
    .from(users)
    .where(and(eq(users.email, message.toAddress), isNull(users.erasedAt)));
  return user ? { userId: user.id, locale: user.locale } : null;
}
