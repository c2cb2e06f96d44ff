import { pipeline } from 'node:stream/promises';
import type { NextFunction, Request, Response } from 'express';
import { verifyLiveSignature, verifyMediaSignature, verifySlidesSignature } from '../features/learning/media-urls.server.js';
import { isServableLivePath, isServableMediaPath } from '../features/learning/media-urls.js';
import { isServableSlidePath } from '../../media/slide-files.js';
import { parseByteRange } from '../../workers/storage/media-storage.js';
import { liveKeys, RangeNotSatisfiableError, slideKeys, videoKeys, type MediaStorage, type StoredObject } from '../../workers/storage/index.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function sendHeaders(res: Response, file: StoredObject, rest: string, partial: boolean, playlistCache = 'private, no-cache') {
  const playlist = /\.(m3u8|vtt)$/.test(rest);
  res.status(partial ? 206 : 200);
  res.setHeader('Content-Type', file.contentType);
  // Segments never change once published, so browsers keep them for a year (private:
  // they are behind a signature). Playlists grow while a lecture encodes (EVENT): a player
  // reloading one must see the new segments, so it is revalidated every time (a 304 by
  // ETag when unchanged); with a max-age, hls.js kept the cached copy and stalled at its end.
  res.setHeader('Cache-Control', playlist ? playlistCache : 'private, max-age=31536000, immutable');
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Length', String(file.end - file.start + 1));
  if (partial) res.setHeader('Content-Range', `bytes ${file.start}-${file.end}/${file.size}`);
  if (file.etag) res.setHeader('ETag', file.etag);
  if (file.lastModified) res.setHeader('Last-Modified', file.lastModified.toUTCString());
}

/** What one signed path serves: `/<id>/<expires>/<signature>/<rest>` → a storage key. */
type SignedFolder = {
  verify: (id: string, expires: number, signature: string, secret: string) => boolean;
  isServable: (rest: string) => boolean;
  keyOf: (id: string, rest: string) => string;
  expired: string;
  /** Cache-Control of playlists, when not the lesson video's revalidate-every-time. */
  playlistCache?: string;
  /** A validly signed request for a file storage does not have. */
  onMissing?: (id: string, rest: string) => void;
};

/**
 * Serves published video under a signed, expiring path, from whichever storage holds it
 * (local disk or S3: the web node proxies, see docs/decisions/012-media-storage.md).
 * Playlists are small and gzip well (the compression middleware does it); segments are
 * served whole or by one byte range.
 */
export function serveSignedMedia({ storage, secret, onMissing }: { storage: MediaStorage; secret: string; onMissing?: SignedFolder['onMissing'] }) {
  return serveSignedFolder(storage, secret, { verify: verifyMediaSignature, isServable: isServableMediaPath, keyOf: (id, rest) => videoKeys.video(id) + rest, expired: 'This video link has expired or is not valid: reload the lesson page', onMissing });
}

/** A live broadcast's rolling HLS window (decision 021): its own signing scope, and a playlist that changes every second is never reused. */
export function serveSignedLive({ storage, secret }: { storage: MediaStorage; secret: string }) {
  return serveSignedFolder(storage, secret, { verify: verifyLiveSignature, isServable: isServableLivePath, keyOf: (id, rest) => liveKeys.broadcast(id) + rest, expired: 'This live link has expired or is not valid: reload the classroom page', playlistCache: 'no-store' });
}

/** A live session's slide images (decision 023), signed per session like lesson video. */
export function serveSignedSlides({ storage, secret }: { storage: MediaStorage; secret: string }) {
  return serveSignedFolder(storage, secret, { verify: verifySlidesSignature, isServable: isServableSlidePath, keyOf: (id, rest) => slideKeys.session(id) + rest, expired: 'This slide link has expired or is not valid: reload the classroom page' });
}

function serveSignedFolder(storage: MediaStorage, secret: string, folder: SignedFolder) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const match = /^\/([^/]+)\/(\d+)\/([\w-]+)\/(.+)$/.exec(req.path);
    if (!match || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    const [, id, expires, sig, rest] = match as unknown as [string, string, string, string, string];
    if (!uuid.test(id) || !folder.isServable(rest)) return res.status(404).type('text/plain').send('Not found');
    if (!folder.verify(id, Number(expires), sig, secret)) {
      return res.status(403).type('text/plain').send(folder.expired);
    }
    // If-Range would need validators compared first: the whole file is always correct.
    const range = req.headers['if-range'] ? null : parseByteRange(req.headers.range);
    try {
      const file = await storage.read(folder.keyOf(id, rest), range ?? undefined);
      if (!file) {
        folder.onMissing?.(id, rest);
        return res.status(404).type('text/plain').send('Not found');
      }
      if (!range && file.etag && req.headers['if-none-match'] === file.etag) {
        file.body.destroy();
        return res.status(304).end();
      }
      sendHeaders(res, file, rest, range !== null, folder.playlistCache);
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
