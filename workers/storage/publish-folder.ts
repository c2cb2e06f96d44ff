import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { assertStoragePrefix, type MediaStorage } from './media-storage.js';
import { playlistReferences } from '../../media/ladder-files.js';

// Publishing a folder (an HLS ladder, a poster and thumbnails) so that a viewer never
// meets half of it: every file a playlist names is stored before that playlist, and a
// master playlist after the rung playlists it names. A lesson's video row is marked
// playable or ready only after this resolves, so nobody is handed a link earlier.

export const PUT_CONCURRENCY = 4;

export type FolderPublication = {
  /** Non-playlist files (segments, init segments, images), relative paths. */
  files: string[];
  /** Playlists as read now, deepest first (rungs, then the master). */
  playlists: { file: string; content: Buffer }[];
};

/** The relative paths a playlist names (media/ladder-files.ts), without absolute or other-host references. */
export function localPlaylistReferences(playlist: string): string[] {
  return playlistReferences(playlist).filter((ref) => !/^[a-z][\w+.-]*:/i.test(ref) && !ref.startsWith('/'));
}

const isPlaylist = (file: string) => file.endsWith('.m3u8');
const depth = (file: string) => file.split('/').length;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((file) => !file.split('/').some((part) => part.startsWith('.')) && !file.endsWith('.tmp'));
}

/**
 * What to publish from `dir`. While ffmpeg is still writing (`final: false`) only what
 * the playlists list right now, read once, so a segment being written is never taken;
 * once it is done, every file.
 */
export async function planFolderPublication(dir: string, { final }: { final: boolean }): Promise<FolderPublication> {
  const all = await filesUnder(dir);
  const playlistFiles = all.filter(isPlaylist).sort((a, b) => depth(b) - depth(a) || a.localeCompare(b));
  const playlists = await Promise.all(playlistFiles.map(async (file) => ({ file, content: await readFile(path.join(dir, file)) })));
  if (final) return { files: all.filter((f) => !isPlaylist(f)), playlists };
  const present = new Set(all);
  const files = new Set<string>();
  for (const { file, content } of playlists) {
    for (const ref of localPlaylistReferences(content.toString('utf8'))) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), ref));
      if (target.startsWith('..') || !present.has(target)) throw new Error(`${file} names ${ref}, which is not there yet`);
      if (!isPlaylist(target)) files.add(target);
    }
  }
  return { files: [...files].sort(), playlists };
}

export async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

/** Remembers what one publisher already stored, so repeated early publishing sends only what changed. */
export type PublishMemory = Map<string, string>;

/**
 * Mirrors `dir` under `prefix`: new files first, then playlists deepest first. With
 * `final` (the folder is complete), objects under the prefix that the folder does not
 * have (an earlier attempt's) are removed last, unless `keepOthers`. Safe to repeat;
 * returns how many objects were written.
 */
export async function publishFolder(storage: MediaStorage, dir: string, prefix: string, options: { final: boolean; keepOthers?: boolean; memory?: PublishMemory }): Promise<number> {
  assertStoragePrefix(prefix);
  const plan = await planFolderPublication(dir, options);
  const memory = options.memory ?? new Map<string, string>();
  const stored = new Map((await storage.list(prefix)).map((o) => [o.key.slice(prefix.length), o.size]));
  let written = 0;
  const pending = [];
  for (const file of plan.files) {
    const size = String((await stat(path.join(dir, file))).size);
    // Segments never change once listed: same name and size means already there.
    if (memory.get(file) === size || String(stored.get(file)) === size) continue;
    pending.push({ file, size });
  }
  await inBatches(pending, PUT_CONCURRENCY, async ({ file, size }) => {
    await storage.put(prefix + file, { file: path.join(dir, file) });
    memory.set(file, size);
    written += 1;
  });
  for (const { file, content } of plan.playlists) {
    const text = content.toString('utf8');
    if (memory.get(file) === text) continue;
    await storage.put(prefix + file, content);
    memory.set(file, text);
    written += 1;
  }
  if (options.final && !options.keepOthers) {
    const keep = new Set([...plan.files, ...plan.playlists.map((p) => p.file)]);
    await storage.remove([...stored.keys()].filter((file) => !keep.has(file)).map((file) => prefix + file));
  }
  return written;
}

/**
 * The reverse of publishFolder: every object under `prefix` into `dir` (which should be
 * empty), e.g. a chunk ladder another worker node published, for the join. Returns how
 * many files were written.
 */
export async function fetchFolder(storage: MediaStorage, prefix: string, dir: string): Promise<number> {
  assertStoragePrefix(prefix);
  const objects = await storage.list(prefix);
  await inBatches(objects, PUT_CONCURRENCY, async ({ key }) => {
    const object = await storage.read(key);
    if (!object) throw new Error(`${key} vanished while being fetched`);
    const target = path.join(dir, ...key.slice(prefix.length).split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await pipeline(object.body, createWriteStream(target));
  });
  return objects.length;
}
