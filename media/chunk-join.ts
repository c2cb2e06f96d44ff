import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { readTrackTimescales, shiftSegmentTimes } from './fmp4-timeline.js';
import { replaceDirectory } from './hls.js';
import { MASTER_PLAYLIST, RUNG_PLAYLIST } from './ladder-command.js';

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

interface MediaPlaylist {
  header: string[];
  targetDuration: number;
  initUri: string;
  segments: { durationSeconds: number; uri: string }[];
}

export function parseMediaPlaylist(text: string): MediaPlaylist {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const firstSegment = lines.findIndex((l) => l.startsWith('#EXTINF:'));
  const header = (firstSegment === -1 ? lines : lines.slice(0, firstSegment)).filter((l) => l !== '#EXT-X-ENDLIST');
  const initUri = header.map((l) => /^#EXT-X-MAP:URI="([^"]+)"/.exec(l)?.[1]).find(Boolean);
  if (!initUri) throw new Error('media playlist without EXT-X-MAP');
  const segments: MediaPlaylist['segments'] = [];
  for (let i = Math.max(firstSegment, 0); i < lines.length; i++) {
    const duration = /^#EXTINF:([\d.]+)/.exec(lines[i]!)?.[1];
    if (duration === undefined) continue;
    const uri = lines.slice(i + 1).find((l) => !l.startsWith('#'));
    if (!uri) throw new Error('EXTINF without a segment URI');
    segments.push({ durationSeconds: Number(duration), uri });
  }
  const targetDuration = Number(/^#EXT-X-TARGETDURATION:(\d+)/m.exec(header.join('\n'))?.[1] ?? 0);
  return { header, targetDuration, initUri, segments };
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

/**
 * The AAC encoder pads a chunk's audio by one frame; on the audio-only rung that frame
 * spills into a segment of its own (32 ms at 32 kHz). The next chunk's first AAC frame
 * (its priming) covers the same instant, so the spill is dropped from every chunk but the
 * last: otherwise the playlist's timeline would drift 32 ms per chunk from the media's.
 */
const PADDING_SPILL_MAX_SECONDS = 0.1;

function withoutPaddingSpill(playlist: MediaPlaylist, lastChunk: boolean): MediaPlaylist {
  const tail = playlist.segments.at(-1);
  if (lastChunk || !tail || tail.durationSeconds >= PADDING_SPILL_MAX_SECONDS) return playlist;
  return { ...playlist, segments: playlist.segments.slice(0, -1) };
}

async function joinRung(chunks: readonly LadderChunk[], rung: string, outRungDir: string): Promise<JoinedRung> {
  await mkdir(outRungDir, { mode: 0o755 });
  const playlists = await Promise.all(chunks.map(async (c) => parseMediaPlaylist(await readFile(join(c.dir, rung, RUNG_PLAYLIST), 'utf8'))));
  const first = playlists[0]!;
  const init = await readFile(join(chunks[0]!.dir, rung, first.initUri));
  const timescales = readTrackTimescales(init);
  await writeFile(join(outRungDir, first.initUri), init);
  const entries: string[] = [];
  let total = 0;
  for (const [i, chunk] of chunks.entries()) {
    const playlist = withoutPaddingSpill(playlists[i]!, i === chunks.length - 1);
    const chunkInit = await readFile(join(chunk.dir, rung, playlist.initUri));
    // One init segment serves every chunk only if the encoders were set up identically.
    if (!chunkInit.equals(init)) throw new Error(`chunk ${i} of ${rung} has a different init segment: its encoder settings differ`);
    for (const segment of playlist.segments) {
      const name = `seg_${String(entries.length / 2).padStart(5, '0')}.m4s`;
      const data = await readFile(join(chunk.dir, rung, segment.uri));
      await writeFile(join(outRungDir, name), shiftSegmentTimes(data, timescales, chunk.startSeconds));
      entries.push(`#EXTINF:${segment.durationSeconds.toFixed(6)},`, name);
      total += segment.durationSeconds;
    }
  }
  const targetDuration = Math.max(...playlists.map((p) => p.targetDuration));
  const header = first.header.map((l) => (l.startsWith('#EXT-X-TARGETDURATION:') ? `#EXT-X-TARGETDURATION:${targetDuration}` : l));
  await writeFile(join(outRungDir, RUNG_PLAYLIST), [...header, ...entries, '#EXT-X-ENDLIST', ''].join('\n'));
  return { name: rung, segments: entries.length / 2, durationSeconds: total };
}
