/**
 * The media playlists of a lecture encoded in chunks (decision 014), built one chunk at a
 * time: chunk k's segments are appended, renumbered, to what chunks 0..k-1 made. The same
 * steps serve the join (all chunks at once, then completed) and early playback (each
 * chunk appended to the published EVENT playlist as soon as it and its predecessors are
 * done), so the playlists students see while the lecture encodes are prefixes of the
 * joined ones, segment names included.
 */

export interface MediaPlaylist {
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

/** Segment n of the lecture (0-based), whichever chunk encoded it. */
export const lectureSegmentName = (n: number) => `seg_${String(n).padStart(5, '0')}.m4s`;

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

export interface ChunkAppend {
  /** The rung's playlist with the chunk appended: EVENT, no ENDLIST (players keep reloading it). */
  playlist: string;
  /** The init segment every chunk of the rung shares. */
  initUri: string;
  /** Each of the chunk's segments: its name in the chunk's ladder, and in the lecture's. */
  segments: { from: string; to: string; durationSeconds: number }[];
}

function withPlaylistType(header: readonly string[], type: 'EVENT' | 'VOD'): string[] {
  const line = `#EXT-X-PLAYLIST-TYPE:${type}`;
  if (header.some((l) => l.startsWith('#EXT-X-PLAYLIST-TYPE:'))) return header.map((l) => (l.startsWith('#EXT-X-PLAYLIST-TYPE:') ? line : l));
  const at = header.findIndex((l) => l.startsWith('#EXT-X-TARGETDURATION:'));
  return [...header.slice(0, at + 1), line, ...header.slice(at + 1)];
}

/**
 * Appends one chunk's rung playlist to the lecture's (`lecture` null: this is chunk 0).
 * Pure: the caller moves the segments (shifting their times by the chunk's start) and
 * stores the playlist. `lastChunk` keeps the audio rung's final padding segment, which
 * only the lecture's very end has.
 */
export function appendChunkToPlaylist(lecture: string | null, chunkPlaylist: string, options: { lastChunk: boolean }): ChunkAppend {
  const chunk = withoutPaddingSpill(parseMediaPlaylist(chunkPlaylist), options.lastChunk);
  const base = lecture === null ? { ...chunk, segments: [] } : parseMediaPlaylist(lecture);
  // One init segment serves the whole lecture only if every chunk names the same one.
  if (chunk.initUri !== base.initUri) throw new Error(`chunk names init segment ${chunk.initUri}, the lecture ${base.initUri}`);
  const segments = chunk.segments.map((s, i) => ({ from: s.uri, to: lectureSegmentName(base.segments.length + i), durationSeconds: s.durationSeconds }));
  const all = [...base.segments, ...segments.map((s) => ({ uri: s.to, durationSeconds: s.durationSeconds }))];
  const targetDuration = Math.max(base.targetDuration, chunk.targetDuration);
  const header = withPlaylistType(base.header, 'EVENT').map((l) => (l.startsWith('#EXT-X-TARGETDURATION:') ? `#EXT-X-TARGETDURATION:${targetDuration}` : l));
  return { playlist: [...header, ...renderEntries(all), ''].join('\n'), initUri: chunk.initUri, segments };
}

/** The lecture's playlist once every chunk is in: VOD and ENDLIST, it will not change again. */
export function completePlaylist(lecture: string): string {
  const { header, segments } = parseMediaPlaylist(lecture);
  return [...withPlaylistType(header, 'VOD'), ...renderEntries(segments), '#EXT-X-ENDLIST', ''].join('\n');
}

function renderEntries(segments: readonly { durationSeconds: number; uri: string }[]): string[] {
  return segments.flatMap((s) => [`#EXTINF:${s.durationSeconds.toFixed(6)},`, s.uri]);
}
