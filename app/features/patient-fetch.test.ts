import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadError, fetchPatiently } from './patient-fetch.js';

// A real HTTP server on loopback whose answer to each request is scripted per path.
type Behaviour = (res: ServerResponse, nth: number) => void;
const behaviours = new Map<string, Behaviour>();
const counts = new Map<string, number>();
const open = new Set<ServerResponse>();
let server: Server;
let base = '';

const BODY = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => i % 251));
const half = BODY.subarray(0, BODY.length / 2);
const whole = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': BODY.length }).end(BODY);
/** Headers and half the body, then nothing more (the connection stays open). */
const stallHalfway = (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': BODY.length });
  res.write(half);
};
const neverAnswer = () => {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    const nth = (counts.get(path) ?? 0) + 1;
    counts.set(path, nth);
    open.add(res);
    res.on('close', () => open.delete(res));
    (behaviours.get(path) ?? ((r) => r.writeHead(404).end()))(res, nth);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of open) res.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const quick = { stallMs: 300, attempts: 3, retryDelay: () => 10 };

describe('fetchPatiently', () => {
  it('abandons an attempt that stops delivering bytes and gets the whole file on the next', async () => {
    behaviours.set('/stall-once', (res, nth) => (nth === 1 ? stallHalfway(res) : whole(res)));
    const progress: number[] = [];
    const got = await fetchPatiently(`${base}/stall-once`, { ...quick, onProgress: (b) => progress.push(b) });
    expect(Buffer.from(got.body).equals(BODY)).toBe(true);
    expect(got.headers.get('content-type')).toBe('video/mp4');
    expect(counts.get('/stall-once')).toBe(2);
    // The first attempt got half, the second started from 0 again.
    expect(progress).toContain(half.length);
    expect(progress.lastIndexOf(0)).toBeGreaterThan(progress.indexOf(half.length));
    expect(progress.at(-1)).toBe(BODY.length);
  });

  it('asks again when the server never answers, and on 503', async () => {
    behaviours.set('/silent-once', (res, nth) => (nth === 1 ? neverAnswer() : whole(res)));
    behaviours.set('/busy-twice', (res, nth) => (nth <= 2 ? res.writeHead(503).end() : whole(res)));
    expect((await fetchPatiently(`${base}/silent-once`, quick)).body.length).toBe(BODY.length);
    expect(counts.get('/silent-once')).toBe(2);
    expect((await fetchPatiently(`${base}/busy-twice`, quick)).body.length).toBe(BODY.length);
    expect(counts.get('/busy-twice')).toBe(3);
  });

  it('keeps a slow but steady download going far past the stall limit', async () => {
    // 16 pieces, one every 100 ms against a 300 ms limit: 1.6 s in all, one attempt.
    behaviours.set('/steady', (res) => {
      res.writeHead(200, { 'content-length': BODY.length });
      let i = 0;
      const timer = setInterval(() => {
        res.write(BODY.subarray(i * 4096, (i + 1) * 4096));
        if (++i === 16) {
          clearInterval(timer);
          res.end();
        }
      }, 100);
    });
    const got = await fetchPatiently(`${base}/steady`, quick);
    expect(Buffer.from(got.body).equals(BODY)).toBe(true);
    expect(counts.get('/steady')).toBe(1);
  });

  it('gives up after the last attempt with the reason, and at once on a refusal', async () => {
    behaviours.set('/always-stalls', stallHalfway);
    const stalled = await fetchPatiently(`${base}/always-stalls`, quick).catch((e: unknown) => e);
    expect(stalled).toBeInstanceOf(DownloadError);
    expect(stalled).toMatchObject({ message: 'no data for 0.3 s', kind: 'stalled' });
    expect(counts.get('/always-stalls')).toBe(3);

    behaviours.set('/forbidden', (res) => res.writeHead(403).end());
    const refused = await fetchPatiently(`${base}/forbidden`, quick).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'DownloadError', message: 'HTTP 403', status: 403, kind: 'refused' });

    behaviours.set('/always-busy', (res) => res.writeHead(503).end());
    expect(await fetchPatiently(`${base}/always-busy`, quick).catch((e: unknown) => e)).toMatchObject({ kind: 'server', status: 503 });
    expect(counts.get('/always-busy')).toBe(3);
    // Nothing listening on the port: a network failure.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    expect(await fetchPatiently(`http://127.0.0.1:${port}/x`, quick).catch((e: unknown) => e)).toMatchObject({ kind: 'network' });
    expect(counts.get('/forbidden')).toBe(1);
  });

  it('stops for good when the caller aborts, also while waiting to ask again', async () => {
    behaviours.set('/abort', stallHalfway);
    const controller = new AbortController();
    const pending = fetchPatiently(`${base}/abort`, { ...quick, retryDelay: () => 60_000, signal: controller.signal }).catch((e: unknown) => e);
    // After the first stall (300 ms) it waits a minute; abort during that wait.
    await new Promise((r) => setTimeout(r, 600));
    controller.abort(new Error('cleared'));
    expect(await pending).toMatchObject({ message: 'cleared' });
    expect(counts.get('/abort')).toBe(1);
  });
});
