import type { RequestHandler } from 'express';

export const CLOCK_PATH = '/clock';

const nowMs = () => performance.timeOrigin + performance.now();

/**
 * The server's half of an NTP-style exchange: when the request arrived (t1) and when the
 * reply left (t2), in milliseconds with sub-millisecond precision. Public (the time is no
 * secret) and mounted before logging, as screens ask every 10 s.
 */
export const serveClock: RequestHandler = (_req, res) => {
  const t1 = nowMs();
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', 'application/json');
  res.end(`{"t1":${t1},"t2":${nowMs()}}`);
};
