// Captions as HLS subtitle renditions: one WebVTT file per language, wrapped in a
// one-segment playlist, and announced in the master playlist, so hls.js and Safari's
// native player both list them in their captions menu.

export const SUBTITLE_GROUP = 'subs';

/** Each caption language's name in the player's menu, in that language. */
export const CAPTION_TRACK_NAMES = { 'zh-CN': '中文', en: 'English' } as const;

export interface SubtitleTrack {
  /** BCP 47, e.g. zh-CN. */
  language: string;
  /** Shown in the player's menu, in the track's own language (中文, English). */
  name: string;
  /** The track's playlist, relative to the master playlist. */
  uri: string;
}

export function subtitlePlaylist(vttFileName: string, durationSeconds: number): string {
  const duration = Math.max(1, Math.ceil(durationSeconds));
  return ['#EXTM3U', '#EXT-X-VERSION:3', `#EXT-X-TARGETDURATION:${duration}`, '#EXT-X-PLAYLIST-TYPE:VOD', `#EXTINF:${duration.toFixed(3)},`, vttFileName, '#EXT-X-ENDLIST', ''].join('\n');
}

const quoted = (s: string) => `"${s.replace(/["\r\n]/g, '')}"`;

/**
 * The master playlist with exactly these subtitle tracks: earlier subtitle lines and
 * SUBTITLES attributes are removed first, so applying it again gives the same text.
 */
export function withSubtitles(master: string, tracks: readonly SubtitleTrack[]): string {
  const lines = master
    .split('\n')
    .filter((l) => !l.startsWith('#EXT-X-MEDIA:TYPE=SUBTITLES'))
    .map((l) => (l.startsWith('#EXT-X-STREAM-INF:') ? l.replace(/,SUBTITLES="[^"]*"/, '') : l));
  if (tracks.length === 0) return lines.join('\n');
  const media = tracks.map(
    (t, i) =>
      `#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="${SUBTITLE_GROUP}",NAME=${quoted(t.name)},LANGUAGE=${quoted(t.language)},DEFAULT=NO,AUTOSELECT=${i === 0 ? 'YES' : 'NO'},URI=${quoted(t.uri)}`,
  );
  const firstVariant = lines.findIndex((l) => l.startsWith('#EXT-X-STREAM-INF:'));
  const withAttr = lines.map((l) => (l.startsWith('#EXT-X-STREAM-INF:') ? `${l},SUBTITLES="${SUBTITLE_GROUP}"` : l));
  const at = firstVariant === -1 ? withAttr.length : firstVariant;
  return [...withAttr.slice(0, at), ...media, ...withAttr.slice(at)].join('\n');
}
