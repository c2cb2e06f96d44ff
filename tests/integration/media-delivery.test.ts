import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient } from '../support/browserless.js';
import { closeTestSql, testSql } from '../support/db.js';

const baseUrl = inject('baseUrl');
const mediaRoot = inject('mediaRoot');
let lessonId = '';
let videoId = '';
let base = '';

// A published video made by hand (the pipeline itself is tested in lecture-upload):
// what matters here is who gets the files and how they are served.
beforeAll(async () => {
  const [lesson] = await testSql()<{ id: string }[]>`select l.id from lessons l join courses c on c.id = l.course_id where c.slug = 'fzu-linear-algebra-1' and l.position = 2`;
  lessonId = lesson!.id;
  await testSql()`update videos set status = 'replaced' where lesson_id = ${lessonId} and status = 'ready'`;
  const [video] = await testSql()<{ id: string }[]>`insert into videos (lesson_id, upload_id, source_bytes, status, storage_prefix, renditions)
    values (${lessonId}, ${`manual-${Date.now()}`}, 1, 'ready', 'x', ${JSON.stringify([{ name: '240p', width: 426, height: 240, bandwidthKbps: 97, playlist: '240p/index.m3u8' }])}::jsonb) returning id`;
  videoId = video!.id;
  const dir = path.join(mediaRoot, 'videos', videoId, 'hls', '240p');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(mediaRoot, 'videos', videoId, 'hls', 'master.m3u8'), `#EXTM3U\n${'#EXT-X-STREAM-INF:BANDWIDTH=97000,RESOLUTION=426x240\n240p/index.m3u8\n'.repeat(20)}`);
  await writeFile(path.join(dir, 'seg_0.m4s'), Buffer.alloc(10_000, 7));
  const student = new FormClient(baseUrl);
  await student.login('student@demo.edu.cn', demoPassword);
  const html = await (await student.get(`/lessons/${lessonId}`)).text();
  base = /\/media\/[0-9a-f-]{36}\/\d+\/[\w-]+\//.exec(html)![0];
});
afterAll(closeTestSql);

describe('published video is served only under a valid signature', () => {
  it('the lesson page hands a signed-in student a signed path for this video', () => {
    expect(base).toContain(`/media/${videoId}/`);
  });

  it('anonymous visitors get no lesson page (and so no signature)', async () => {
    const res = await new FormClient(baseUrl).get(`/lessons/${lessonId}`);
    expect(res.status).toBe(302);
  });

  it('serves the playlist gzipped with the HLS type, revalidated on every load (it grows while a lecture encodes)', async () => {
    const res = await fetch(`${baseUrl}${base}hls/master.m3u8`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    const etag = res.headers.get('etag');
    expect(etag).toBeTruthy();
    expect((await fetch(`${baseUrl}${base}hls/master.m3u8`, { headers: { 'If-None-Match': etag! } })).status).toBe(304);
    const raw = await fetch(`${baseUrl}${base}hls/master.m3u8`, { headers: { 'Accept-Encoding': 'identity' } });
    expect((await raw.text()).startsWith('#EXTM3U')).toBe(true);
  });

  it('serves segments with a year-long immutable cache and byte ranges', async () => {
    const whole = await fetch(`${baseUrl}${base}hls/240p/seg_0.m4s`);
    expect(whole.headers.get('content-type')).toBe('video/iso.segment');
    expect(whole.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    const part = await fetch(`${baseUrl}${base}hls/240p/seg_0.m4s`, { headers: { Range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 100-199/10000');
    expect((await part.arrayBuffer()).byteLength).toBe(100);
  });

  it('refuses a tampered signature, an expired link, another video under this signature, and paths out of the folder', async () => {
    const [, , id, expires, sig] = base.split('/');
    const tampered = `/media/${id}/${expires}/${sig!.slice(0, -2)}xx/hls/master.m3u8`;
    expect((await fetch(baseUrl + tampered)).status).toBe(403);
    const later = `/media/${id}/${Number(expires) + 3600}/${sig}/hls/master.m3u8`;
    expect((await fetch(baseUrl + later)).status).toBe(403);
    const expired = `/media/${id}/${Math.floor(Date.now() / 1000) - 10}/${sig}/hls/master.m3u8`;
    expect((await fetch(baseUrl + expired)).status).toBe(403);
    const otherVideo = `/media/00000000-0000-4000-8000-000000000000/${expires}/${sig}/hls/master.m3u8`;
    expect((await fetch(baseUrl + otherVideo)).status).toBe(403);
    for (const sneaky of ['hls/../../../../etc/passwd', 'hls/%2e%2e/%2e%2e/x.m3u8', '.hidden.m3u8', 'source.mp4']) {
      expect([403, 404]).toContain((await fetch(`${baseUrl}${base}${sneaky}`)).status);
    }
  });
});
