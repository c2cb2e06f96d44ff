// What the lesson page fetches before any JavaScript bundle (see
// app/components/player/first-frame.ts): the lowest video rung's init segment and the
// segment holding the resume position, with the exact codecs, read from the ladder's own
// playlists so that no file naming is assumed here.

export interface PlayerStart {
  initUrl: string;
  segmentUrl: string;
  /** Where playback begins (the resume position; 0 for the start). */
  startAt: number;
  /**
   * What the rung's playlist lists (the whole lecture once it is ready): the page's player
   * shows this length from its first frame, so a jump made before hls.js arrives is kept.
   */
  listedSeconds: number;
  mimeType: string;
}

function attribute(line: string, name: string): string | undefined {
  const match = new RegExp(`[:,]${name}=(?:"([^"]*)"|([^,]*))`).exec(line);
  return match?.[1] ?? match?.[2];
}

/**
 * The lowest video variant of a master playlist (by height): the cautious start, about
 * 20 KB for a 4 s 144p segment with its audio. hls.js moves up once it has measured the link.
 */
export function lowestVideoVariant(master: string): { uri: string; codecs: string } | null {
  const lines = master.split('\n').map((l) => l.trim());
  let best: { uri: string; codecs: string; height: number } | null = null;
  lines.forEach((line, i) => {
    if (!line.startsWith('#EXT-X-STREAM-INF:')) return;
    const height = Number(attribute(line, 'RESOLUTION')?.split('x')[1]);
    const codecs = attribute(line, 'CODECS');
    const uri = lines.slice(i + 1).find((l) => l !== '' && !l.startsWith('#'));
    if (!(height > 0) || !codecs || !uri) return;
    if (!best || height < best.height) best = { uri, codecs, height };
  });
  const found = best as { uri: string; codecs: string } | null;
  return found ? { uri: found.uri, codecs: found.codecs } : null;
}

/**
 * The init segment and the media segment that contains `position` in a media playlist;
 * past the listed end, the last segment (`end` then tells that the position is not there).
 */
export function segmentAt(playlist: string, position: number): { init: string; segment: string; start: number; end: number } | null {
  const lines = playlist.split('\n').map((l) => l.trim());
  const init = lines.map((l) => (l.startsWith('#EXT-X-MAP:') ? attribute(l, 'URI') : undefined)).find(Boolean);
  if (!init) return null;
  let start = 0;
  let duration: number | null = null;
  let last: { segment: string; start: number; end: number } | null = null;
  for (const line of lines) {
    if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice('#EXTINF:'.length));
    else if (line !== '' && !line.startsWith('#') && duration !== null) {
      last = { segment: line, start, end: start + duration };
      if (position < start + duration) return { init, ...last };
      start += duration;
      duration = null;
    }
  }
  return last ? { init, ...last } : null;
}

/** The sum of a media playlist's segment durations. */
export function listedSeconds(playlist: string): number {
  let total = 0;
  for (const match of playlist.matchAll(/^#EXTINF:([\d.]+)/gm)) total += Number.parseFloat(match[1]!);
  return Math.round(total * 1000) / 1000;
}

/**
 * The first frame's URLs under the signed base; null when the rung's playlist has no
 * segment yet. A resume position past what is listed (a lecture still encoding, a
 * position from an earlier upload) starts at the last listed segment instead: nothing
 * seeks to media that does not exist yet.
 */
export function playerStart(base: string, variant: { uri: string; codecs: string }, rungPlaylist: string, resumeAt: number): PlayerStart | null {
  const found = segmentAt(rungPlaylist, resumeAt);
  if (!found) return null;
  const rungDir = variant.uri.slice(0, variant.uri.lastIndexOf('/') + 1);
  return {
    initUrl: `${base}hls/${rungDir}${found.init}`,
    segmentUrl: `${base}hls/${rungDir}${found.segment}`,
    startAt: resumeAt < found.end ? resumeAt : found.start,
    listedSeconds: listedSeconds(rungPlaylist),
    mimeType: `video/mp4; codecs="${variant.codecs}"`,
  };
}
