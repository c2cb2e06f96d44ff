import http from 'node:http';
import type { Socket } from 'node:net';
import { clockSample, estimateClockOffset, type ClockSample } from '../app/features/classrooms/clock-offset.js';

/** A signed-in HTTP identity for the simulated screens: the cookies a browser would hold. */
export type Identity = { cookie: string; csrf: string };

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function cookiesOf(res: Response, into: Map<string, string>) {
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(';')[0]!;
    into.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
  }
}

export async function login(base: string, email: string, password: string): Promise<Identity> {
  const jar = new Map<string, string>();
  const page = await fetch(`${base}/login`);
  cookiesOf(page, jar);
  await page.arrayBuffer();
  const csrf = decodeURIComponent(jar.get('edu_csrf')!);
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${base}/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ email, password, csrf }), headers: { Cookie: cookie(), 'Content-Type': 'application/x-www-form-urlencoded' } });
  await res.arrayBuffer();
  if (res.status !== 302) throw new Error(`login of ${email} failed: ${res.status}`);
  cookiesOf(res, jar);
  return { cookie: cookie(), csrf };
}

/** One simulated receiving screen: an SSE stream, counting its bytes and when each event arrived. */
export class ScreenStream {
  bytesIn = 0;
  bytesOut = 0;
  lastSeq = 0;
  readonly arrivals = new Map<number, number>();
  private req: http.ClientRequest | null = null;
  private socketBytes = { read: 0, written: 0 };

  constructor(readonly base: string, readonly path: string, readonly who: Identity) {}

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const url = new URL(this.path, this.base);
      this.req = http.get(url, { agent: false, headers: { Cookie: this.who.cookie, Accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream ${res.statusCode}`));
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const at = performance.now();
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const id = /^id: (\d+)$/m.exec(block);
            if (id) {
              this.lastSeq = Number(id[1]);
              this.arrivals.set(this.lastSeq, at);
              if (/^event: snapshot$/m.test(block)) resolve();
            }
          }
          this.count(res.socket);
        });
      });
      this.req.on('error', reject);
    });
  }

  private count(socket: Socket | null) {
    if (!socket) return;
    this.socketBytes = { read: socket.bytesRead, written: socket.bytesWritten };
    this.bytesIn = this.socketBytes.read;
    this.bytesOut = this.socketBytes.written;
  }

  close() {
    this.req?.destroy();
  }
}

/** Round trips of /clock with optional injected one-way delays (ms) on each leg. */
export async function sampleClock(base: string, count: number, legDelay: () => number, spacingMs = 150): Promise<ClockSample[]> {
  const samples: ClockSample[] = [];
  const now = () => performance.timeOrigin + performance.now();
  for (let i = 0; i < count; i++) {
    const t0 = now();
    await sleep(legDelay());
    const body = await new Promise<string>((resolve, reject) => {
      http.get(`${base}/clock`, { agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve(text));
      }).on('error', reject);
    });
    await sleep(legDelay());
    const { t1, t2 } = JSON.parse(body) as { t1: number; t2: number };
    samples.push(clockSample({ t0, t1, t2, t3: now() }));
    await sleep(spacingMs);
  }
  return samples;
}

/** Error (ms, absolute) of the filtered estimate and of a single exchange; the true offset is 0 on one machine. */
export function offsetErrors(samples: ClockSample[]) {
  return { filtered: Math.abs(estimateClockOffset(samples)!.offsetMs), single: Math.abs(samples[0]!.offsetMs) };
}

/** A request with its bytes counted on the wire (headers included), as a screen's periodic status report or clock sample. */
export function countedRequest(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method, headers: init.headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: (res.socket?.bytesRead ?? 0) + (res.socket?.bytesWritten ?? 0) }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}
