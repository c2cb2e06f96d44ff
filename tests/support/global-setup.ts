import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { testServiceEnv } from './env.js';
import { startMailCapture, type MailCapture } from '../../scripts/mail-capture-server.js';
import { freePort, startProcess, waitFor, type Running } from './processes.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    mediaRoot: string;
    /** Where the test SMTP server keeps what it receives (tests/support/mailbox.ts reads it). */
    mailDir: string;
  }
}

let web: Running | undefined;
let worker: Running | undefined;
let mail: MailCapture | undefined;

/** The real built server and worker, on a free port, against the test database and Redis. */
export default async function setup(project: TestProject) {
  const port = await freePort();
  const mediaRoot = mkdtempSync(path.join(tmpdir(), 'edu-media-'));
  const mailDir = mkdtempSync(path.join(tmpdir(), 'edu-mail-'));
  // A real SMTP server: the worker sends through nodemailer exactly as in production.
  mail = await startMailCapture({ dir: mailDir });
  const env = {
    ...testServiceEnv(),
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    SESSION_SECRET: process.env.SESSION_SECRET ?? randomBytes(32).toString('hex'),
    SECURE_COOKIES: '0',
    // Tests speak for many clients from one address, each naming itself in X-Forwarded-For.
    TRUST_PROXY: '1',
    LOG_LEVEL: 'warn',
    MEDIA_ROOT: mediaRoot,
    // The real ladder, encoded fast: tests check structure, the benchmark checks quality.
    VIDEO_ENCODER_PRESET: 'ultrafast',
    SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
    MAIL_FROM: 'Edu Test <no-reply@edu.test>',
    MAIL_CAPTURE_DIR: mailDir,
  };
  process.env.DATABASE_URL = env.DATABASE_URL;
  process.env.REDIS_URL = env.REDIS_URL;
  // Tests that start a second web process need the same secret to share sessions.
  process.env.SESSION_SECRET = env.SESSION_SECRET;
  worker = startProcess('workers/index.ts', env);
  web = startProcess('app/server/main.ts', env);
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => (await fetch(`${baseUrl}/healthz`)).ok, 60_000, 'the test server to report healthy');
  } catch (error) {
    console.error(web.output(), worker.output());
    throw error;
  }
  project.provide('baseUrl', baseUrl);
  project.provide('mediaRoot', mediaRoot);
  project.provide('mailDir', mailDir);
  return async () => {
    web?.child.kill('SIGTERM');
    worker?.child.kill('SIGTERM');
    await Promise.all([web?.exited, worker?.exited]);
    await mail?.close();
    rmSync(mediaRoot, { recursive: true, force: true });
    rmSync(mailDir, { recursive: true, force: true });
  };
}
