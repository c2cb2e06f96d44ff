import type { NextFunction, Request, Response } from 'express';

/**
 * Remix buffers a form body in memory, so an unbounded POST is a cheap way to exhaust a
 * node. Ordinary forms are a few KB; uploads go through their own resumable endpoint.
 */
export type BodyLimitException = { method: 'POST'; path: RegExp; maxMultipartBytes: number };

/**
 * `exceptions` raise the multipart limit for one exact path each (lesson materials): the
 * route checks the real file size itself and answers 413 with a message.
 */
export function limitFormBodies(maxBytes: number, maxMultipartBytes = maxBytes, exceptions: BodyLimitException[] = []) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const length = req.get('content-length');
    if (length === undefined && req.get('transfer-encoding')) {
      return res.status(411).type('text/plain').send('Length Required: send Content-Length with form posts');
    }
    // Multipart forms carry small files (captions); big files go through resumable upload.
    const multipart = Boolean(req.is('multipart/form-data'));
    const exception = multipart ? exceptions.find((e) => e.method === req.method && e.path.test(req.path)) : undefined;
    const limit = exception ? exception.maxMultipartBytes : multipart ? maxMultipartBytes : maxBytes;
    if (Number(length ?? 0) > limit) {
      return res.status(413).type('text/plain').send(`Payload Too Large: forms are limited to ${Math.round(limit / 1024)} KB`);
    }
    next();
  };
}
