import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { mediaPaths } from '../../../workers/runtime/media-paths.js';
import { getEnv } from '../../env.server.js';
import { playerStart, lowestVideoVariant, type PlayerStart } from './player-start.js';

/**
 * Reads the two playlists the first frame needs (a few hundred bytes, from the page cache).
 * Null when the ladder has no video rung or cannot be read: the player then starts as before.
 */
export async function findPlayerStart(videoId: string, base: string, resumeAt: number): Promise<PlayerStart | null> {
  const ladder = mediaPaths(getEnv().MEDIA_ROOT).ladder(videoId);
  try {
    const master = await readFile(path.join(ladder, 'master.m3u8'), 'utf8');
    const variant = lowestVideoVariant(master);
    if (!variant || variant.uri.includes('..')) return null;
    const rung = await readFile(path.join(ladder, variant.uri), 'utf8');
    return playerStart(base, variant, rung, resumeAt);
  } catch {
    return null;
  }
}
