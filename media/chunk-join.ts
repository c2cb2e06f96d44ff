import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { appendChunkToPlaylist, completePlaylist, parseMediaPlaylist } from './chunk-playlist.js';
import { readTrackTimescales, shiftSegmentTimes } from './fmp4-timeline.js';
import { replaceDirectory } from './hls.js';
import { MASTER_PLAYLIST, RUNG_PLAYLIST } from './ladder-command.js';

export { parseMediaPlaylist } from './chunk-playlist.js';

/**
 * Joins the ladders that chunks of one lecture were encoded into (each by transcodeLadder
 * with a `clip`, timestamps from 0) into one ladder: per rung one playlist listing every
 * chunk's segments in order, each segment's times shifted by its chunk's start, and the
 * one init segment they all share. The result is built in a hidden sibling folder and
 * renamed into place, so a failed or repeated join never leaves half a ladder; the chunk
 * ladders are only read.
 */
export interface LadderChunk {
  dir: string;
  startSeconds: number;
}

export interface JoinedRung {
  name: string;
  segments: number;
  durationSeconds: number;
}

export async function joinChunkLadders(options: { chunks: readonly LadderChunk[]; rungs: readonly string[]; outDir: string }): Promise<JoinedRung[]> {
  if (options.chunks.length === 0) throw new Error('nothing to join');
  const outDir = resolve(options.outDir);
  await mkdir(dirname(outDir), { recursive: true });
  const workDir = await mkdtemp(join(dirname(outDir), `.${basename(outDir)}.partial-`));
  try {
    await chmod(workDir, 0o755);
    await copyFile(join(options.chunks[0]!.dir, MASTER_PLAYLIST), join(workDir, MASTER_PLAYLIST));
    const joined: JoinedRung[] = [];
    for (const rung of options.rungs) joined.push(await joinRung(options.chunks, rung, join(workDir, rung)));
    await replaceDirectory(workDir, outDir);
    return joined;
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}

async function joinRung(chunks: readonly LadderChunk[], rung: string, outRungDir: string): Promise<JoinedRung> {
  await mkdir(outRungDir, { mode: 0o755 });
  let lecture: string | null = null;
  let init: Buffer | null = null;
  let timescales = new Map<number, number>();
  let durationSeconds = 0;
  for (const [i, chunk] of chunks.entries()) {
    const appended = appendChunkToPlaylist(lecture, await readFile(join(chunk.dir, rung, RUNG_PLAYLIST), 'utf8'), { lastChunk: i === chunks.length - 1 });
    const { initUri } = appended;
    const chunkInit = await readFile(join(chunk.dir, rung, initUri));
    if (init === null) {
      init = chunkInit;
      timescales = readTrackTimescales(init);
      await writeFile(join(outRungDir, initUri), init);
    }
    // One init segment serves every chunk only if the encoders were set up identically.
    if (!chunkInit.equals(init)) throw new Error(`chunk ${i} of ${rung} has a different init segment: its encoder settings differ`);
    for (const segment of appended.segments) {
      const data = await readFile(join(chunk.dir, rung, segment.from));
      await writeFile(join(outRungDir, segment.to), shiftSegmentTimes(data, timescales, chunk.startSeconds));
      durationSeconds += segment.durationSeconds;
    }
    lecture = appended.playlist;
  }
  const complete = completePlaylist(lecture!);
  await writeFile(join(outRungDir, RUNG_PLAYLIST), complete);
  return { name: rung, segments: parseMediaPlaylist(complete).segments.length, durationSeconds };
}
