import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MASTER_PLAYLIST, RUNG_PLAYLIST } from './ladder-command.js';

/**
 * Lets students start a lecture while the rest of it is still being encoded. ffmpeg
 * encodes every rung in step (one process), so once each rung's playlist lists its first
 * segment, a player can start at 0 on any rung; the encoder runs faster than real time, so
 * playback does not catch up with it.
 */

/** Media segments listed in an HLS media playlist. */
export function countSegments(playlist: string): number {
  return playlist.match(/^#EXTINF:/gm)?.length ?? 0;
}

/**
 * True once master.m3u8 names every rung and every rung's playlist lists at least
 * `minSegments` segments. A read racing ffmpeg's rename only delays the answer.
 */
export async function isLadderPlayable(dir: string, rungs: readonly string[], minSegments = 1): Promise<boolean> {
  const master = await readFile(join(dir, MASTER_PLAYLIST), 'utf8').catch(() => '');
  if (!rungs.every((rung) => master.includes(`${rung}/${RUNG_PLAYLIST}`))) return false;
  for (const rung of rungs) {
    const playlist = await readFile(join(dir, rung, RUNG_PLAYLIST), 'utf8').catch(() => '');
    if (countSegments(playlist) < minSegments) return false;
  }
  return true;
}

export interface PlayableWatch {
  stop(): void;
}

/**
 * Polls rather than fs.watch: ffmpeg replaces playlists by rename, which inotify reports
 * inconsistently across file systems (and not at all on some network mounts).
 */
export function watchUntilPlayable(options: {
  dir: string;
  rungs: readonly string[];
  onPlayable: () => void;
  /** A throwing onPlayable lands here instead of becoming an unhandled rejection. */
  onError?: (error: unknown) => void;
  intervalMs?: number;
  minSegments?: number;
}): PlayableWatch {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    const playable = await isLadderPlayable(options.dir, options.rungs, options.minSegments);
    if (stopped) return;
    if (!playable) {
      timer = setTimeout(poll, options.intervalMs ?? 250);
      return;
    }
    stopped = true;
    try {
      options.onPlayable();
    } catch (error) {
      options.onError?.(error);
    }
  };
  timer = setTimeout(poll, 0);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/**
 * Once the ladder is complete its playlists will never change again: VOD tells players
 * and caches so. ffmpeg has already appended EXT-X-ENDLIST; the rename keeps a player
 * that reloads the playlist at this moment from reading half a file.
 */
export async function markPlaylistsComplete(dir: string, rungs: readonly string[]): Promise<void> {
  for (const rung of rungs) {
    const path = join(dir, rung, RUNG_PLAYLIST);
    const playlist = await readFile(path, 'utf8');
    if (!playlist.includes('#EXT-X-ENDLIST')) throw new Error(`${rung} playlist is not complete`);
    await writeFile(`${path}.tmp`, playlist.replace('#EXT-X-PLAYLIST-TYPE:EVENT', '#EXT-X-PLAYLIST-TYPE:VOD'));
    await rename(`${path}.tmp`, path);
  }
}
