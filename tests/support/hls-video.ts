import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateLectureClip } from '../../media/fixtures.js';
import { run } from './processes.js';
import { testSql } from './db.js';

/**
 * A published one-rung HLS lecture for a lesson, made directly with ffmpeg (the pipeline
 * is tested elsewhere): pages that play video get real fMP4 segments in seconds.
 */
export async function publishTestVideo(lessonId: string, mediaRoot: string, seconds = 60): Promise<string> {
  const work = await mkdtemp(path.join(tmpdir(), 'edu-hls-'));
  try {
    const clip = path.join(work, 'clip.mp4');
    await generateLectureClip(clip, { seconds, width: 426, height: 240, fps: 25 });
    await testSql()`update videos set status = 'replaced' where lesson_id = ${lessonId} and status = 'ready'`;
    const [video] = await testSql()<{ id: string }[]>`insert into videos (lesson_id, upload_id, source_bytes, status, storage_prefix, duration_seconds, renditions)
      values (${lessonId}, ${`test-hls-${Date.now()}`}, 1, 'ready', 'x', ${seconds}, ${JSON.stringify([{ name: '240p', width: 426, height: 240, bandwidthKbps: 150, playlist: '240p/index.m3u8' }])}::jsonb) returning id`;
    const hls = path.join(mediaRoot, 'videos', video!.id, 'hls');
    await mkdir(path.join(hls, '240p'), { recursive: true });
    const out = await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', clip, '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50', '-keyint_min', '50', '-sc_threshold', '0', '-c:a', 'aac', '-b:a', '64k', '-f', 'hls', '-hls_time', '2', '-hls_playlist_type', 'vod', '-hls_segment_type', 'fmp4', '-hls_fmp4_init_filename', 'init.mp4', '-hls_segment_filename', path.join(hls, '240p', 'seg_%d.m4s'), path.join(hls, '240p', 'index.m3u8')]);
    if (out.code !== 0) throw new Error(out.output);
    await writeFile(path.join(hls, 'master.m3u8'), '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-STREAM-INF:BANDWIDTH=250000,RESOLUTION=426x240,CODECS="avc1.42c015,mp4a.40.2"\n240p/index.m3u8\n');
    return video!.id;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
