import { text } from 'node:stream/consumers';
import { MASTER_PLAYLIST } from '../../../media/ladder-command.js';
import { videoKeys } from '../../../workers/storage/index.js';
import { getMediaStorage } from './media-storage.server.js';
import { lowestVideoVariant, playerStart, type PlayerStart } from './player-start.js';

/**
 * Reads the two playlists the first frame needs (a few hundred bytes) from media storage.
 * Null when the ladder has no video rung or cannot be read: the player then starts as before.
 */
export async function findPlayerStart(videoId: string, base: string, resumeAt: number): Promise<PlayerStart | null> {
  const storage = getMediaStorage();
  const ladder = videoKeys.ladder(videoId);
  try {
    const master = await storage.read(`${ladder}${MASTER_PLAYLIST}`);
    const variant = master ? lowestVideoVariant(await text(master.body)) : null;
    if (!variant || variant.uri.includes('..')) return null;
    const rung = await storage.read(`${ladder}${variant.uri}`);
    return rung ? playerStart(base, variant, await text(rung.body), resumeAt) : null;
  } catch {
    return null;
  }
}
