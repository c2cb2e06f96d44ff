import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { RenderedMail } from './templates.js';

export type MailSettings = { smtpUrl: string; from: string };

/**
 * An SMTP transport with short timeouts: a slow or dead relay fails the job (BullMQ
 * retries it later) instead of holding a worker for minutes.
 */
export function createMailTransport(settings: MailSettings): Transporter {
  const options: SMTPTransport.Options = { url: settings.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };
  return nodemailer.createTransport(options, { from: settings.from });
}

/** The relay as it may appear in logs: host and port only, never the user or password in the URL. */
export function describeSmtpUrl(smtpUrl: string): string {
  try {
    const u = new URL(smtpUrl);
    return `${u.protocol}//${u.hostname}:${u.port || (u.protocol === 'smtps:' ? 465 : 587)}`;
  } catch {
    return '(unparseable SMTP_URL)';
  }
}

export async function deliverMail(transport: Transporter, from: string, to: string, mail: RenderedMail & { messageId: string }): Promise<void> {
  await transport.sendMail({ from, to, subject: mail.subject, text: mail.text, html: mail.html, messageId: mail.messageId });
}
