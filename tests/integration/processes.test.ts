import { request as httpRequest } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { testServiceEnv } from '../support/env.js';
import { freePort, startProcess as start, waitFor, type Running } from '../support/processes.js';

const baseUrl = inject('baseUrl');
const redis = new Redis(testServiceEnv().REDIS_URL);
afterAll(() => redis.quit());
// A test that fails half-way must not leave its processes running into later tests.
const started: Running[] = [];
const startProcess = (...args: Parameters<typeof start>) => {
  const p = start(...args);
  started.push(p);
  return p;
};
afterEach(() => {
  for (const p of started.splice(0)) p.child.kill('SIGKILL');
});

describe('/healthz', () => {
  it('reports database, Redis and a live worker', async () => {
    const res = await fetch(`${baseUrl}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; database: { ok: boolean }; redis: { ok: boolean }; worker: { ok: boolean; count: number } };
    expect(body).toMatchObject({ status: 'ok', database: { ok: true }, redis: { ok: true }, worker: { ok: true } });
    expect(body.worker.count).toBeGreaterThanOrEqual(1);
  });
});

describe('security headers', () => {
  it('sends a CSP with a per-response nonce, no framing, and nosniff; no HSTS over plain HTTP', async () => {
    const [a, b] = await Promise.all([fetch(`${baseUrl}/login`), fetch(`${baseUrl}/login`)]);
    const csp = a.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toBe(b.headers.get('content-security-policy'));
    expect(a.headers.get('x-content-type-options')).toBe('nosniff');
    expect(a.headers.get('x-powered-by')).toBeNull();
    expect(a.headers.get('strict-transport-security')).toBeNull();
    // Remix's inline scripts carry the nonce, so the page works under the CSP.
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    const html = await a.text();
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
    expect(inline.length).toBeGreaterThan(0);
    for (const m of inline) expect(m[1]).toContain(`nonce="${nonce}"`);
  });

  it('serves pages in Simplified Chinese by default and English after the switch', async () => {
    const zh = await (await fetch(`${baseUrl}/`)).text();
    expect(zh).toContain('<html lang="zh-CN"');
    expect(zh).toContain('欢迎来到八闽云课堂');
    const en = await (await fetch(`${baseUrl}/`, { headers: { Cookie: `edu_lang=${encodeURIComponent(Buffer.from(JSON.stringify('en')).toString('base64'))}` } })).text();
    expect(en).toContain('<html lang="en"');
    expect(en).toContain('Welcome to Bamin Cloud Classroom');
  });
});

describe('graceful shutdown', () => {
  it('a worker stops on SIGTERM with exit code 0 and leaves the liveness set', async () => {
    // A queue prefix of its own: in its few seconds alive it must not take the suite's jobs.
    const worker = startProcess('workers/index.ts', { ...testServiceEnv(), QUEUE_PREFIX: `shutdown${Date.now()}`, LOG_LEVEL: 'info' });
    await waitFor(async () => worker.output().includes('worker started'), 30_000, 'worker start');
    const id = /"workerId":"([^"]+)"/.exec(worker.output())![1]!;
    expect(await redis.zscore('edu:workers:heartbeat', id)).not.toBeNull();
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('worker stopped');
    expect(await redis.zscore('edu:workers:heartbeat', id)).toBeNull();
  });

  it('a web server finishes the request in flight before it exits on SIGTERM', async () => {
    const port = await freePort();
    const web = startProcess('app/server/main.ts', { ...testServiceEnv(), PORT: String(port), SESSION_SECRET: 'y'.repeat(40), LOG_LEVEL: 'info', NODE_ENV: 'test' });
    await waitFor(async () => web.output().includes('web server listening'), 30_000, 'web start');
    // Start a request and signal once the server has it: its "100 Continue" says it has read
    // the request's head and is answering. (Signalling after a fixed delay raced the server
    // accepting the connection at all.) Then expect a full answer.
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/signup', headers: { Expect: '100-continue', 'Content-Length': '1' } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body })).on('error', reject);
      });
      req.on('error', reject);
      req.on('continue', () => {
        web.child.kill('SIGTERM');
        req.end('x');
      });
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('</html>');
    expect(await web.exited).toBe(0);
    expect(web.output()).toContain('web server stopped');
  });
});
