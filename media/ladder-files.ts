import path from 'node:path';
import { MASTER_PLAYLIST } from './ladder-command.js';

/**
 * Which files of a published ladder are missing from storage: the master playlist, every
 * playlist it names (rungs, audio, captions) and every init segment, segment and caption
 * file those name. A ladder is only whole if a player can fetch all of them.
 */

/** What a playlist refers to, relative to its folder: its URI lines and the URI="…" of its tags. */
export function playlistReferences(text: string): string[] {
  const refs: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (!line.startsWith('#')) refs.push(line);
    else for (const m of line.matchAll(/URI="([^"]+)"/g)) refs.push(m[1]!);
  }
  return refs;
}

export interface LadderFilesReport {
  /** Files the playlists name, master included. */
  referenced: number;
  /** Ladder-relative names, in the order found. */
  missing: string[];
}

/**
 * Walks the ladder from `master.m3u8`. `present` holds the names (relative to the ladder's
 * folder) that storage lists; `read` reads a playlist. A reference that leaves the ladder's
 * folder or names another host counts as missing: our ladders never make one.
 */
export async function missingLadderFiles(present: ReadonlySet<string>, read: (name: string) => Promise<string | null>): Promise<LadderFilesReport> {
  const missing: string[] = [];
  const seen = new Set<string>([MASTER_PLAYLIST]);
  const queue = [MASTER_PLAYLIST];
  while (queue.length > 0) {
    const name = queue.shift()!;
    const text = present.has(name) ? await read(name) : null;
    if (text === null) {
      missing.push(name);
      continue;
    }
    for (const ref of playlistReferences(text)) {
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(name), ref));
      if (seen.has(resolved)) continue;
      seen.add(resolved);
      if (/^[a-z][\w+.-]*:/i.test(ref) || resolved.startsWith('../') || path.posix.isAbsolute(resolved)) missing.push(ref);
      else if (/\.m3u8$/.test(resolved)) queue.push(resolved);
      else if (!present.has(resolved)) missing.push(resolved);
    }
  }
  return { referenced: seen.size, missing };
}

/**
 * The sizes of a published video's media files, relative to its folder (`hls/240p/seg_00000.m4s`,
 * `poster.jpg`, `thumbnails/…`), as stored when it was published. Segments, init segments
 * and stills never change after that (playlists do: captions rewrite the master), so a
 * later check can tell a file cut short or overwritten from a whole one.
 */
export type PublishedFileSizes = Record<string, number>;
export const FILE_SIZES_NAME = 'files.json';

export const isUnchangingMediaFile = (name: string) => /\.(m4s|mp4|jpg)$/.test(name);

/** What the record names that storage no longer holds at its published size (absent or another size). */
export function damagedFiles(published: PublishedFileSizes, present: ReadonlyMap<string, number>): string[] {
  return Object.entries(published)
    .filter(([name, size]) => present.get(name) !== size)
    .map(([name]) => name);
}

/** Parses a stored record; null for anything that is not one (the check then walks the playlists only). */
export function parseFileSizes(text: string): PublishedFileSizes | null {
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.every(([, size]) => Number.isSafeInteger(size) && (size as number) >= 0) ? (value as PublishedFileSizes) : null;
  } catch {
    return null;
  }
}
