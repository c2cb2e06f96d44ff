import { pipeline } from 'node:stream/promises';
import type { NextFunction, Request, Response } from 'express';
import { verifyMediaSignature } from '../features/learning/media-urls.server.js';
import { isServableLivePath, isServableMediaPath, type MediaScope } from '../features/learning/media-urls.js';
import { parseByteRange } from '../../workers/storage/media-storage.js';
import { liveKeys, RangeNotSatisfiableError, videoKeys, type MediaStorage, type StoredObject } from '../../workers/storage/index.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** How each kind of signed folder is found, checked and cached. */
const scopes: Record<MediaScope, { folder: (id: string) => string; servable: (rest: string) => boolean; playlistCache: string }> = {
  // Playlists may still grow while a lecture encodes.
  media: { folder: videoKeys.video, servable: isServableMediaPath, playlistCache: 'private, max-age=300' },
  // A live playlist changes every second: never reuse one.
  live: { folder: liveKeys.broadcast, servable: isServableLivePath, playlistCache: 'no-store' },
};

function sendHeaders(res: Response, file: StoredObject, rest: string, partial: boolean, playlistCache: string) {
  const playlist = /\.(m3u8|vtt)$/.test(rest);
  res.status(partial ? 206 : 200);
  res.setHeader('Content-Type', file.contentType);
  // Segments never change once published, so browsers keep them for a year (private:
  // they are behind a signature).
  res.setHeader('Cache-Control', playlist ? playlistCache : 'private, max-age=31536000, immutable');
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Length', String(file.end - file.start + 1));
  if (partial) res.setHeader('Content-Range', `bytes ${file.start}-${file.end}/${file.size}`);
  if (file.etag) res.setHeader('ETag', file.etag);
  if (file.lastModified) res.setHeader('Last-Modified', file.lastModified.toUTCString());
}

/**
 * Serves published video under a signed, expiring path, from whichever storage holds it
 * (local disk or S3: the web node proxies, see docs/decisions/012-media-storage.md).
 * Playlists are small and gzip well (the compression middleware does it); segments are
 * served whole or by one byte range.
 */
export function serveSignedMedia({ storage, secret, scope = 'media' }: { storage: MediaStorage; secret: string; scope?: MediaScope }) {
  const { folder, servable, playlistCache } = scopes[scope];
  return async (req: Request, res: Response, next: NextFunction) => {
    const match = /^\/([^/]+)\/(\d+)\/([\w-]+)\/(.+)$/.exec(req.path);
    if (!match || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    const [, videoId, expires, sig, rest] = match as unknown as [string, string, string, string, string];
    if (!uuid.test(videoId) || !servable(rest)) return res.status(404).type('text/plain').send('Not found');
    if (!verifyMediaSignature(videoId, Number(expires), sig, secret, Date.now(), scope)) {
      return res.status(403).type('text/plain').send('This video link has expired or is not valid: reload the lesson page');
    }
    // If-Range would need validators compared first: the whole file is always correct.
    const range = req.headers['if-range'] ? null : parseByteRange(req.headers.range);
    try {
      const file = await storage.read(folder(videoId) + rest, range ?? undefined);
      if (!file) return res.status(404).type('text/plain').send('Not found');
      if (!range && file.etag && req.headers['if-none-match'] === file.etag) {
        file.body.destroy();
        return res.status(304).end();
      }
      sendHeaders(res, file, rest, range !== null, playlistCache);
      if (req.method === 'HEAD') {
        file.body.destroy();
        return res.end();
      }
      await pipeline(file.body, res);
    } catch (error) {
      if (error instanceof RangeNotSatisfiableError) return res.status(416).setHeader('Content-Range', `bytes */${error.size}`).end();
      if (res.headersSent) return res.destroy();
      next(error);
    }
  };
}
