import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { generateLectureClip } from '../../media/fixtures.js';
import { FormClient, uniqueEmail } from '../support/browserless.js';
import { auditCount, closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';
import { waitFor } from '../support/processes.js';
import { cookieHeader, tusUpload } from '../support/tus.js';

const baseUrl = inject('baseUrl');
const mediaRoot = inject('mediaRoot');
let dir = '';
let clip: Buffer;
let teacher: FormClient;
let lessonId = '';

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'edu-upload-'));
  const clipPath = path.join(dir, 'lecture.mp4');
  await generateLectureClip(clipPath, { seconds: 9, width: 640, height: 360, fps: 25 });
  clip = await readFile(clipPath);
  teacher = new FormClient(baseUrl);
  expect((await teacher.login('teacher@demo.edu.cn', demoPassword)).status).toBe(302);
  const [lesson] = await testSql()<{ id: string }[]>`select l.id from lessons l join courses c on c.id = l.course_id where c.slug = 'fzu-linear-algebra-1' and l.position = 1`;
  lessonId = lesson!.id;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await closeTestSql();
});

async function videoOf(uploadUrl: string) {
  const uploadId = uploadUrl.split('/').pop()!;
  const [row] = await testSql()`select id, status, failures, progress_percent, renditions, storage_prefix from videos where upload_id = ${uploadId}`;
  return row;
}

async function settled(uploadUrl: string) {
  let row: Awaited<ReturnType<typeof videoOf>>;
  await waitFor(async () => {
    row = await videoOf(uploadUrl);
    return row !== undefined && ['ready', 'failed', 'cancelled'].includes(row.status as string);
  }, 120_000, 'the video to be ready or refused');
  return row!;
}

const as = (client: FormClient) => ({ cookie: cookieHeader(client.cookies), ip: client.ip });

describe('a teacher uploads a lecture and it becomes an HLS ladder', { timeout: 300_000 }, () => {
  it('survives a dropped connection: the second attempt resumes where the first stopped', async () => {
    const first = await tusUpload(baseUrl, clip, { ...as(teacher), metadata: { lessonId, filename: 'lecture.mp4' }, chunkSize: 64 * 1024, abortAtFraction: 0.4 });
    expect(first.error).toBeNull();
    expect(first.url).toMatch(/\/uploads\/tus\/[0-9a-f-]{36}$/);
    expect(await videoOf(first.url!)).toBeUndefined(); // nothing is transcoded before the upload is complete

    const resumed = await tusUpload(baseUrl, clip, { ...as(teacher), metadata: { lessonId, filename: 'lecture.mp4' }, chunkSize: 64 * 1024, resumeFrom: first.url! });
    expect(resumed.error).toBeNull();
    expect(resumed.url).toBe(first.url);
    expect(resumed.startOffset!).toBeGreaterThan(clip.length * 0.35);

    const video = await settled(first.url!);
    expect(video.status, JSON.stringify(video.failures)).toBe('ready');
    expect(video.progress_percent).toBe(100);
    expect((video.renditions as { name: string }[]).map((r) => r.name)).toEqual(['360p', '240p', '144p', 'audio']);

    const ladder = path.join(mediaRoot, video.storage_prefix as string);
    const master = await readFile(path.join(ladder, 'master.m3u8'), 'utf8');
    expect(master).toContain('#EXTM3U');
    for (const rung of ['360p', '240p', '144p', 'audio']) {
      const playlist = await readFile(path.join(ladder, rung, 'index.m3u8'), 'utf8');
      expect(playlist).toContain('#EXT-X-MAP');
      const durations = [...playlist.matchAll(/#EXTINF:([\d.]+)/g)].map((m) => Number(m[1]));
      expect(durations.slice(0, -1).every((d) => d <= 4.1)).toBe(true);
      expect(durations.reduce((a, b) => a + b, 0)).toBeCloseTo(9, 0);
    }
    expect(master).not.toMatch(/720p|480p/); // never upscaled from a 360p source
    const videoDir = path.dirname(ladder);
    expect(existsSync(path.join(videoDir, 'poster.jpg'))).toBe(true);
    expect(existsSync(path.join(videoDir, 'thumbnails', 'thumbnails.vtt'))).toBe(true);
    // The sizes the storage check holds the files to: every segment, init segment and still, as published.
    const sizes = JSON.parse(await readFile(path.join(videoDir, 'files.json'), 'utf8')) as Record<string, number>;
    const rungPlaylists = [...master.matchAll(/^(\w+)\/index\.m3u8$/gm)].length;
    expect(rungPlaylists).toBe(4);
    expect(Object.keys(sizes)).toContain('poster.jpg');
    expect(Object.keys(sizes)).toContain('hls/240p/init_0.mp4');
    expect(Object.keys(sizes).filter((name) => name.endsWith('.m3u8') || name.endsWith('.vtt'))).toEqual([]);
    for (const [name, size] of Object.entries(sizes)) expect(statSync(path.join(videoDir, name)).size, name).toBe(size);
    // Nothing half-done is left beside the published ladder.
    expect(readdirSync(videoDir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('a second upload replaces the first only once it is ready', async () => {
    const [{ n: readyBefore }] = (await testSql()`select count(*)::int as n from videos where lesson_id = ${lessonId} and status = 'ready'`) as unknown as [{ n: number }];
    expect(readyBefore).toBe(1);
    const second = await tusUpload(baseUrl, clip, { ...as(teacher), metadata: { lessonId, filename: 'take-2.mp4' } });
    expect((await settled(second.url!)).status).toBe('ready');
    const statuses = await testSql()`select status from videos where lesson_id = ${lessonId} order by created_at`;
    expect(statuses.map((s) => s.status).slice(-2)).toEqual(['replaced', 'ready']);
  });
});

describe('captions', () => {
  const srt = '1\n00:00:01,000 --> 00:00:03,500\n同学们好，今天讲向量。\n\n2\n00:00:04,000 --> 00:00:06,000\n先看一个例子。\n';
  let videoId = '';
  let readyLadder = '';
  beforeAll(async () => {
    const [row] = await testSql()<{ id: string; storage_prefix: string }[]>`select id, storage_prefix from videos where lesson_id = ${lessonId} and status = 'ready'`;
    videoId = row!.id;
    readyLadder = path.join(mediaRoot, row!.storage_prefix);
  });

  it('an SRT file becomes a WebVTT subtitle rendition announced in the master playlist', async () => {
    const res = await teacher.postMultipart(`/studio/lessons/${lessonId}`, { intent: 'captions', videoId, language: 'zh-CN' }, { file: { name: 'lecture.srt', type: 'application/x-subrip', content: srt } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('字幕已添加（2 条）');
    const vtt = await readFile(path.join(readyLadder, 'subs', 'zh-CN.vtt'), 'utf8');
    expect(vtt.startsWith('WEBVTT')).toBe(true);
    expect(vtt).toContain('00:00:01.000 --> 00:00:03.500');
    const master = await readFile(path.join(readyLadder, 'master.m3u8'), 'utf8');
    expect(master).toContain('#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="中文",LANGUAGE="zh-CN"');
    expect(master.split('\n').filter((l) => l.startsWith('#EXT-X-STREAM-INF')).every((l) => l.includes('SUBTITLES="subs"'))).toBe(true);
    const [row] = await testSql()`select captions from videos where id = ${videoId}`;
    expect(row!.captions).toEqual([{ language: 'zh-CN', cues: 2 }]);
    // What the lecture says is now searchable in the catalog.
    const [lesson] = await testSql()`select caption_text from lessons where id = ${lessonId}`;
    expect(lesson!.caption_text).toBe('同学们好，今天讲向量。\n先看一个例子。');
    const found = await (await fetch(`${baseUrl}/courses?q=${encodeURIComponent('今天讲向量')}`)).text();
    expect(found).toContain('href="/courses/fzu-linear-algebra-1"');
  });

  it('a malformed file is refused with the line that is wrong, and the stored captions stay as they were', async () => {
    const before = await readFile(path.join(readyLadder, 'subs', 'zh-CN.vtt'), 'utf8');
    const bad = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nfine\n\n00:00:05.000 --> 00:00:03.000\nends before it starts\n';
    const res = await teacher.postMultipart(`/studio/lessons/${lessonId}`, { intent: 'captions', videoId, language: 'zh-CN' }, { file: { name: 'bad.vtt', type: 'text/vtt', content: bad } });
    expect(res.status).toBe(422);
    expect(await res.text()).toMatch(/字幕文件第 6 行有误/);
    expect(await readFile(path.join(readyLadder, 'subs', 'zh-CN.vtt'), 'utf8')).toBe(before);
  });

  it('refuses a caption file over 1 MB', async () => {
    const res = await teacher.postMultipart(`/studio/lessons/${lessonId}`, { intent: 'captions', videoId, language: 'en' }, { file: { name: 'huge.vtt', type: 'text/vtt', content: 'WEBVTT\n\n' + 'x'.repeat(1100 * 1024) } });
    expect(res.status).toBe(413);
  });

  it('captions sent while the video is still encoding are published with it, before students see it', async () => {
    const upload = await tusUpload(baseUrl, clip, { ...as(teacher), metadata: { lessonId, filename: 'lecture-with-captions.mp4' } });
    expect(upload.error).toBeNull();
    const inWorks = await videoOf(upload.url!);
    expect(['queued', 'probing', 'processing']).toContain(inWorks!.status);
    const vtt = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nWelcome to vectors.\n';
    const res = await teacher.postMultipart(`/studio/lessons/${lessonId}`, { intent: 'captions', videoId: inWorks!.id as string, language: 'en' }, { file: { name: 'lecture.vtt', type: 'text/vtt', content: vtt } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('会在视频发布时一起发布');
    const page = await (await teacher.get(`/studio/lessons/${lessonId}`)).text();
    expect(page.includes('随视频发布的字幕：英文') || (await videoOf(upload.url!))!.status === 'ready').toBe(true);

    const ready = await settled(upload.url!);
    expect(ready.status).toBe('ready');
    const [row] = await testSql()`select captions from videos where id = ${ready.id}`;
    expect(row!.captions).toEqual([{ language: 'en', cues: 1 }]);
    const ladder = path.join(mediaRoot, ready.storage_prefix as string);
    expect(await readFile(path.join(ladder, 'subs', 'en.vtt'), 'utf8')).toContain('Welcome to vectors.');
    expect(await readFile(path.join(ladder, 'master.m3u8'), 'utf8')).toContain('LANGUAGE="en"');
    expect(existsSync(path.join(mediaRoot, 'videos', ready.id as string, 'captions-pending', 'en.vtt'))).toBe(false);
  });

  it('a new upload of the same recording can take over the previous video\'s captions, only when the teacher asks', async () => {
    const [previous] = await testSql()<{ id: string }[]>`select id from videos where lesson_id = ${lessonId} and status = 'ready'`;
    const upload = await tusUpload(baseUrl, clip, { ...as(teacher), metadata: { lessonId, filename: 'same-recording-again.mp4' } });
    expect(upload.error).toBeNull();
    const again = (await videoOf(upload.url!))!;
    const page = await (await teacher.get(`/studio/lessons/${lessonId}`)).text();
    expect(page).toContain('沿用上一版视频的字幕（英文）');
    expect(page).toContain(`name="fromVideoId" value="${previous!.id}"`);

    // A video of another lesson is not a source (a replaced one, so no other test's lesson changes).
    const [elsewhere] = await testSql()<{ id: string }[]>`insert into videos (lesson_id, upload_id, source_bytes, status, captions)
      select id, ${`copy-captions-${Date.now()}`}, 1, 'replaced', '[{"language":"en","cues":1}]'::jsonb from lessons where id <> ${lessonId} limit 1 returning id`;
    const refused = await teacher.post(`/studio/lessons/${lessonId}`, { intent: 'copy-captions', videoId: again.id as string, fromVideoId: elsewhere!.id });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('上一版视频的字幕文件已不在存储中');

    const res = await teacher.post(`/studio/lessons/${lessonId}`, { intent: 'copy-captions', videoId: again.id as string, fromVideoId: previous!.id });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/已沿用上一版视频的字幕：英文/);
    const ready = await settled(upload.url!);
    expect(ready.status).toBe('ready');
    const [row] = await testSql()`select captions from videos where id = ${ready.id}`;
    expect(row!.captions).toEqual([{ language: 'en', cues: 1 }]);
    expect(await readFile(path.join(mediaRoot, ready.storage_prefix as string, 'subs', 'en.vtt'), 'utf8')).toContain('Welcome to vectors.');
    // With captions of its own, the offer goes.
    expect(await (await teacher.get(`/studio/lessons/${lessonId}`)).text()).not.toContain('沿用上一版视频的字幕');
  });

  it('a student cannot add captions', async () => {
    const student = new FormClient(baseUrl);
    await student.login('student@demo.edu.cn', demoPassword);
    const res = await student.postMultipart(`/studio/lessons/${lessonId}`, { intent: 'captions', videoId, language: 'en' }, { file: { name: 'x.srt', type: 'text/plain', content: srt } });
    expect(res.status).toBe(403);
  });
});

describe('hostile or broken uploads are refused with the reason, and nothing else is touched', () => {
  const cases: [string, () => Promise<Buffer>][] = [
    ['a text file renamed .mp4', async () => Buffer.from('this is not a video, just some notes\n'.repeat(50))],
    ['an HLS playlist that points at /etc/passwd', async () => Buffer.from('#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n')],
    ['a truncated video', async () => clip.subarray(0, Math.floor(clip.length / 3))],
  ];
  for (const [name, make] of cases) {
    it(name, async () => {
      const lesson2 = (await testSql()`select l.id from lessons l join courses c on c.id = l.course_id where c.slug = 'fzu-linear-algebra-1' and l.position = 2`)[0]!.id as string;
      const res = await tusUpload(baseUrl, await make(), { ...as(teacher), metadata: { lessonId: lesson2, filename: 'upload.mp4' } });
      expect(res.error).toBeNull();
      const video = await settled(res.url!);
      expect(video.status).toBe('failed');
      expect((video.failures as { code: string }[]).map((f) => f.code)).toEqual(expect.arrayContaining([expect.stringMatching(/unreadable|no-media-stream|unknown-duration|transcode-video-failed/)]));
      expect(existsSync(path.join(mediaRoot, 'videos', video.id as string, 'hls'))).toBe(false);
      // The refused file itself is not kept.
      await waitFor(async () => !existsSync(path.join(mediaRoot, 'uploads', res.url!.split('/').pop()!)), 10_000, 'the refused upload to be deleted');
    });
  }
});

describe('only the course’s teachers may upload', () => {
  it('a student is refused with 403 and the attempt is audited', async () => {
    const student = new FormClient(baseUrl);
    await student.login('student@demo.edu.cn', demoPassword);
    const before = await auditCount('access.denied', { actorEmail: 'student@demo.edu.cn' });
    const res = await tusUpload(baseUrl, clip, { ...as(student), metadata: { lessonId } });
    expect(res.error?.message).toMatch(/response code: 403/);
    expect(await auditCount('access.denied', { actorEmail: 'student@demo.edu.cn' })).toBe(before + 1);
  });

  it('a teacher of another course is refused, and cannot continue someone else’s upload', async () => {
    const email = uniqueEmail('other-teacher');
    const other = new FormClient(baseUrl);
    await other.signUp({ displayName: '别校老师', email, password: 'another-password', institutionId: await institutionIdBySlug('fzu') });
    await testSql()`insert into memberships (user_id, institution_id, role) select id, ${await institutionIdBySlug('fzu')}, 'teacher' from users where email = ${email}`;
    const refused = await tusUpload(baseUrl, clip, { ...as(other), metadata: { lessonId } });
    expect(refused.error?.message).toMatch(/response code: 403/);

    const mine = await tusUpload(baseUrl, clip, { ...as(teacher), metadata: { lessonId }, chunkSize: 64 * 1024, abortAtFraction: 0.2 });
    const hijack = await tusUpload(baseUrl, clip, { ...as(other), metadata: { lessonId }, resumeFrom: mine.url! });
    expect(hijack.error?.message).toMatch(/response code: 403/);
    const anonymous = await fetch(mine.url!, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } });
    expect(anonymous.status).toBe(401);
  });

  it('refuses a file over 4 GB before a byte is sent', async () => {
    const res = await fetch(`${baseUrl}/uploads/tus`, {
      method: 'POST',
      headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': String(5 * 1024 ** 3), Cookie: cookieHeader(teacher.cookies), 'Upload-Metadata': `lessonId ${Buffer.from(lessonId).toString('base64')}` },
    });
    expect(res.status).toBe(413);
  });
});

describe('cancelling a video', () => {
  it('takes it off the lesson and deletes its ladder and source', async () => {
    const [video] = await testSql()<{ id: string; upload_id: string }[]>`select id, upload_id from videos where lesson_id = ${lessonId} and status = 'ready'`;
    const videoDir = path.join(mediaRoot, 'videos', video!.id);
    expect(existsSync(videoDir)).toBe(true);
    const res = await teacher.post(`/studio/lessons/${lessonId}`, { intent: 'cancel', videoId: video!.id });
    expect(res.status).toBe(200);
    await waitFor(async () => !existsSync(videoDir) && !existsSync(path.join(mediaRoot, 'uploads', video!.upload_id)), 10_000, 'the files to be deleted');
    expect(await testSql()`select 1 from videos where lesson_id = ${lessonId} and status = 'ready'`).toHaveLength(0);
  });
});
