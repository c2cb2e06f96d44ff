// A local SMTP server that keeps every message instead of delivering it: `npm start` and the
// tests send real mail through nodemailer to it. Each message is written to <dir>/<id>.eml
// and one JSON line in <dir>/index.jsonl (to, subject, links, file), which the tests
// (tests/support/mailbox.ts) and the admins' mailbox page (/admin/mail) read.
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type CapturedMail = { id: string; receivedAt: string; from: string; to: string[]; subject: string; text: string; links: string[]; file: string };

export type MailCapture = { port: number; close(): Promise<void> };

const linkPattern = /https?:\/\/[^\s<>"')]+/g;

export async function startMailCapture(options: { dir: string; port?: number; host?: string; onMail?: (mail: CapturedMail) => void }): Promise<MailCapture> {
  mkdirSync(options.dir, { recursive: true });
  const server = new SMTPServer({
    // Loopback only, no TLS or login: nothing leaves this machine.
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: 5 * 1024 * 1024,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        void simpleParser(raw)
          .then((parsed) => {
            const id = `${Date.now()}-${randomUUID().slice(0, 8)}`;
            const file = `${id}.eml`;
            writeFileSync(path.join(options.dir, file), raw);
            const text = parsed.text ?? '';
            const mail: CapturedMail = {
              id,
              receivedAt: new Date().toISOString(),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              subject: parsed.subject ?? '',
              text,
              links: [...new Set(text.match(linkPattern) ?? [])],
              file,
            };
            appendFileSync(path.join(options.dir, 'index.jsonl'), `${JSON.stringify(mail)}\n`);
            options.onMail?.(mail);
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
