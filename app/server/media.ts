import path from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import { verifyMediaSignature } from '../features/learning/media-urls.server.js';
import { isServableMediaPath } from '../features/learning/media-urls.js';
import { mediaPaths } from '../../workers/runtime/media-paths.js';

const types: Record<string, string> = {
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.m4s': 'video/iso.segment',
  '.mp4': 'video/mp4',
  '.jpg': 'image/jpeg',
  '.vtt': 'text/vtt; charset=utf-8',
};
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Serves published video under a signed, expiring path. Segments never change once
 * published, so browsers keep them for a year (private: they are behind a signature);
 * playlists are small and gzip well. Byte ranges come from express's sendFile.
 */
export function serveSignedMedia({ mediaRoot, secret }: { mediaRoot: string; secret: string }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const match = /^\/([^/]+)\/(\d+)\/([\w-]+)\/(.+)$/.exec(req.path);
    if (!match || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    const [, videoId, expires, sig, rest] = match as unknown as [string, string, string, string, string];
    if (!uuid.test(videoId) || !isServableMediaPath(rest)) return res.status(404).type('text/plain').send('Not found');
    if (!verifyMediaSignature(videoId, Number(expires), sig, secret)) {
      return res.status(403).type('text/plain').send('This video link has expired or is not valid: reload the lesson page');
    }
    const ext = path.extname(rest);
    res.setHeader('Content-Type', types[ext] ?? 'application/octet-stream');
    res.setHeader('Cache-Control', ext === '.m3u8' || ext === '.vtt' ? 'private, max-age=300' : 'private, max-age=31536000, immutable');
    res.sendFile(rest, { root: mediaPaths(mediaRoot).video(videoId), dotfiles: 'deny', headers: {}, lastModified: true, acceptRanges: true }, (error) => {
      if (error && !res.headersSent) res.status((error as { status?: number }).status ?? 404).type('text/plain').send('Not found');
    });
  };
}
