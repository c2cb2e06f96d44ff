import type { Database } from '../../../db/client.js';
import { mailMessages, type Locale, type MailTemplate } from '../../../db/schema/index.js';
import { enqueue } from '../../../workers/queues.js';
import { publicBaseUrl } from '../../env.server.js';
import { getQueues } from '../queues.server.js';
import { getServices } from '../../services.server.js';

export type MailRequest = {
  template: MailTemplate;
  to: string;
  locale: Locale;
  userId?: string | null;
  /** Words for the template (a display name); never a secret: tokens are made by the worker. */
  params?: Record<string, string>;
};

type Executor = Pick<Database, 'insert'>;

/**
 * Writes the message to the outbox; pass the transaction of the change it belongs to, and
 * call `dispatchMail` with the id after the commit (a job must never name a row that a
 * rollback removed).
 */
export async function prepareMail(db: Executor, request: MailRequest): Promise<string> {
  const [row] = await db
    .insert(mailMessages)
    .values({ template: request.template, toAddress: request.to.toLowerCase(), userId: request.userId ?? null, locale: request.locale, params: request.params ?? {}, linkBase: publicBaseUrl() })
    .returning({ id: mailMessages.id });
  return row!.id;
}

/**
 * Hands prepared messages to the worker. The request never waits for SMTP: adding a job
 * is one Redis round trip whatever the relay is doing (decision 024).
 */
export async function dispatchMail(...mailIds: string[]): Promise<void> {
  for (const mailId of mailIds) await enqueue(getQueues(), 'send-mail', { mailId }, mailId);
}

/** Prepare and dispatch in one step, for a message that is not part of a larger change. */
export async function queueMail(request: MailRequest): Promise<string> {
  const id = await prepareMail(getServices().db, request);
  await dispatchMail(id);
  return id;
}
