import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createQueue, enqueue } from '../../workers/queues.js';
import { closeTestSql, testSql } from '../support/db.js';
import { testServiceEnv } from '../support/env.js';
import { linkIn, mailTo, waitForMail } from '../support/mailbox.js';
import { waitFor } from '../support/processes.js';

// The mail layer on its own: an outbox row and a send-mail job, the real worker, nodemailer
// and the real SMTP server of the test set-up.
let queue: Queue;
beforeAll(() => {
  queue = createQueue('mail', { url: testServiceEnv().REDIS_URL }, () => {});
});
afterAll(async () => {
  await queue.close();
  await closeTestSql();
});

async function outbox(template: string, to: string, locale: 'zh-CN' | 'en', userId: string | null = null): Promise<string> {
  const [row] = await testSql()<{ id: string }[]>`
    insert into mail_messages (template, to_address, user_id, locale, link_base)
    values (${template}, ${to}, ${userId}, ${locale}, 'http://edu.test') returning id`;
  await enqueue({ mail: queue }, 'send-mail', { mailId: row!.id }, row!.id);
  return row!.id;
}

const statusOf = async (id: string) => (await testSql()<{ status: string }[]>`select status from mail_messages where id = ${id}`)[0]!.status;

describe('mail through SMTP', () => {
  it('sends a message in the recipient language, kept by the SMTP server as .eml with text and HTML', async () => {
    const to = `mail-${Date.now()}@example.org`;
    const id = await outbox('account-exists', to, 'en');
    const mail = await waitForMail(to);
    expect(mail.subject).toBe('You already have an account');
    expect(linkIn(mail, '/forgot-password').origin).toBe('http://edu.test');
    const raw = readFileSync(path.join(inject('mailDir'), mail.file), 'utf8');
    expect(raw).toMatch(/Content-Type: text\/html/);
    expect(raw).toMatch(/From: Edu Test <no-reply@edu\.test>/);
    await waitFor(async () => (await statusOf(id)) === 'sent', 10_000, 'the outbox row marked sent');

    const zh = `mail-zh-${Date.now()}@example.org`;
    await outbox('account-exists', zh, 'zh-CN');
    expect((await waitForMail(zh)).subject).toBe('您已经有账号了');
  });

  it('a reset mail carries a token the worker made; only its hash is stored and the job holds none', async () => {
    const [user] = await testSql()<{ id: string; email: string }[]>`select id, email from users where email = 'student@demo.edu.cn'`;
    const id = await outbox('password-reset', user!.email, 'zh-CN');
    const mail = await waitForMail(user!.email, { subject: /重置|Reset/ });
    const token = linkIn(mail, '/reset-password').searchParams.get('token')!;
    expect(token.length).toBeGreaterThan(30);
    const [stored] = await testSql()<{ token_hash: string; user_id: string; expires_at: Date; created_at: Date }[]>`
      select token_hash, user_id, expires_at, created_at from account_tokens where mail_id = ${id}`;
    expect(stored!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(stored!.user_id).toBe(user!.id);
    expect(stored!.expires_at.getTime() - stored!.created_at.getTime()).toBe(30 * 60_000);
    const job = await queue.getJob(`send-mail--${id}`);
    expect(JSON.stringify(job?.data)).not.toContain(token);
    expect(JSON.stringify(await testSql()`select * from mail_messages where id = ${id}`)).not.toContain(token);
  });

  it('a reset asked for an address with no account is skipped: nothing is sent', async () => {
    const to = `nobody-${Date.now()}@example.org`;
    const id = await outbox('password-reset', to, 'en');
    await waitFor(async () => (await statusOf(id)) === 'skipped', 10_000, 'the outbox row marked skipped');
    expect(mailTo(to)).toHaveLength(0);
    expect(existsSync(inject('mailDir'))).toBe(true);
  });
});
