import type { NextFunction, Request, Response } from 'express';

/**
 * Remix buffers a form body in memory, so an unbounded POST is a cheap way to exhaust a
 * node. Ordinary forms are a few KB; uploads go through their own resumable endpoint.
 */
export function limitFormBodies(maxBytes: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const length = req.get('content-length');
    if (length === undefined && req.get('transfer-encoding')) {
      return res.status(411).type('text/plain').send('Length Required: send Content-Length with form posts');
    }
    if (Number(length ?? 0) > maxBytes) {
      return res.status(413).type('text/plain').send(`Payload Too Large: forms are limited to ${Math.round(maxBytes / 1024)} KB`);
    }
    next();
  };
}
