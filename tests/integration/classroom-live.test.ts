import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient } from '../support/browserless.js';
import { newDemoSession } from '../support/classroom.js';
import { closeTestSql, testSql } from '../support/db.js';
import { testServiceEnv } from '../support/env.js';
import { freePort, run, startProcess, waitFor, type Running } from '../support/processes.js';

// The teacher's live voice and camera (decision 021): chunks posted to any web process,
// one packager on the worker, HLS the classrooms play, the recording a lesson video after.
const baseA = inject('baseUrl');
let work = '';
let webB: Running | undefined;
let baseB = '';
let portB = 0;
const teacher = new FormClient(baseA);
const assistant = new FormClient(baseA);
const student = new FormClient(baseA);
let outsider: FormClient;
/** A camera-and-microphone WebM like MediaRecorder's (VP8 + Opus, 320x240, 15 fps). */
let webm: Buffer;
const SOURCE_SECONDS = 12;

function startB(): Running {
  return startProcess('app/server/main.ts', {
    ...testServiceEnv(), NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(portB), SESSION_SECRET: process.env.SESSION_SECRET,
    SECURE_COOKIES: '0', TRUST_PROXY: '1', LOG_LEVEL: 'warn', MEDIA_ROOT: inject('mediaRoot'),
  });
}

function sameBrowserOn(base: string, client: FormClient): FormClient {
  const other = new FormClient(base, client.ip);
  for (const [k, v] of client.cookies) other.cookies.set(k, v);
  return other;
}

/** Byte slices of the file, as a recorder's timeslices cut it (not on cluster boundaries). */
function slices(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

async function ffprobe(file: string) {
  const out = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type,codec_name,width,height', '-of', 'json', file]);
  expect(out.code, out.output).toBe(0);
  return JSON.parse(out.output.slice(out.output.indexOf('{'))) as { format: { duration?: string }; streams: { codec_type: string; codec_name: string; width?: number; height?: number }[] };
}

async function newAssistantAt(slug: string): Promise<FormClient> {
  const email = `live-${slug}-${Date.now()}@test.edu.cn`;
  const [hash] = await testSql()<{ password_hash: string }[]>`select password_hash from users where email = 'assistant@demo.edu.cn'`;
  const [u] = await testSql()<{ id: string }[]>`insert into users (email, display_name, pseudonym, password_hash) values (${email}, ${slug}, ${`p-live-${slug}-${Date.now()}`}, ${hash!.password_hash}) returning id`;
  await testSql()`insert into memberships (user_id, institution_id, role) select ${u!.id}, id, 'assistant' from institutions where slug = ${slug}`;
  const client = new FormClient(baseA);
  expect((await client.login(email, demoPassword)).status).toBe(302);
  return client;
}

type LiveStatus = { live: { broadcastId: string; withVideo: boolean; playlists: { audio: string; video: string | null } } | null; latest: { status: string; videoStatus: string | null; recordingLessonId: string | null } | null };

async function liveStatus(client: FormClient, sessionId: string): Promise<LiveStatus> {
  const res = await client.get(`/classroom/sessions/${sessionId}/live`);
  expect(res.status).toBe(200);
  return (await res.json()) as LiveStatus;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'edu-live-'));
  const file = path.join(work, 'camera.webm');
  const made = await run('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=15`, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', String(SOURCE_SECONDS), '-c:v', 'libvpx', '-b:v', '200k', '-deadline', 'realtime', '-c:a', 'libopus', '-b:a', '32k', '-f', 'webm', file]);
  expect(made.code, made.output).toBe(0);
  webm = await readFile(file);
  portB = await freePort();
  baseB = `http://127.0.0.1:${portB}`;
  webB = startB();
  expect((await teacher.login('teacher@demo.edu.cn', demoPassword)).status).toBe(302);
  expect((await assistant.login('assistant@demo.edu.cn', demoPassword)).status).toBe(302);
  expect((await student.login('student@demo.edu.cn', demoPassword)).status).toBe(302);
  outsider = await newAssistantAt('fjnu');
  await waitFor(async () => (await fetch(`${baseB}/clock`).catch(() => null))?.ok ?? false, 60_000, 'web process B to answer');
});

afterAll(async () => {
  webB?.child.kill('SIGTERM');
  await webB?.exited;
  await rm(work, { recursive: true, force: true });
  await closeTestSql();
});

describe('live teacher voice and camera', () => {
  it('chunks posted across two web processes, one restarted mid-broadcast, become live HLS and then a complete lesson recording', async () => {
    const sessionId = await newDemoSession();
    const started = await teacher.post(`/classroom/sessions/${sessionId}/live`, { intent: 'live-start', camera: '1' });
    expect(started.status).toBe(200);
    const { broadcastId } = (await started.json()) as { broadcastId: string };
    // A second start while on air is refused.
    expect((await teacher.post(`/classroom/sessions/${sessionId}/live`, { intent: 'live-start', camera: '0' })).status).toBe(409);

    const chunks = slices(webm, 12 * 1024);
    const post = (client: FormClient, seq: number) => client.postBytes(`/classroom/sessions/${sessionId}/live/chunks?broadcast=${broadcastId}&seq=${seq}`, chunks[seq]!);
    const half = Math.floor(chunks.length / 2);
    let teacherB = sameBrowserOn(baseB, teacher);
    // The first half alternately to A and B; chunk 2 sent twice (a retry); 4 before 3.
    for (let seq = 0; seq < half; seq++) {
      if (seq === 3) continue;
      expect((await post(seq % 2 ? teacherB : teacher, seq)).status).toBe(201);
      if (seq === 4) expect((await post(teacher, 3)).status).toBe(201);
    }
    expect((await post(teacherB, 2)).status).toBe(200);

    // Web process B dies hard and comes back; what it accepted is not lost.
    webB!.child.kill('SIGKILL');
    await webB!.exited;
    webB = startB();
    await waitFor(async () => (await fetch(`${baseB}/clock`).catch(() => null))?.ok ?? false, 60_000, 'web process B to come back');
    teacherB = sameBrowserOn(baseB, teacher);
    for (let seq = half; seq < chunks.length; seq++) expect((await post(seq % 2 ? teacherB : teacher, seq)).status).toBe(201);

    // While on air the classroom gets signed playlists; both rungs play (ffprobe reads init + segments).
    const status = await liveStatus(assistant, sessionId);
    expect(status.live?.broadcastId).toBe(broadcastId);
    expect(status.latest).toBeNull(); // the recording's progress is the teacher's
    const { audio, video } = status.live!.playlists;
    for (const [playlist, kind] of [[audio, 'audio'], [video!, 'video']] as const) {
      let text = '';
      await waitFor(async () => {
        const res = await assistant.get(playlist);
        text = res.ok ? await res.text() : '';
        return (text.match(/\.m4s/g) ?? []).length >= 3;
      }, 60_000, `${kind} playlist with segments`);
      const res = await assistant.get(playlist);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const base = playlist.slice(0, playlist.lastIndexOf('/') + 1);
      const segments = text.split('\n').filter((l) => l.endsWith('.m4s'));
      const parts = [await (await assistant.get(base + 'init.mp4')).arrayBuffer()];
      for (const s of segments) parts.push(await (await assistant.get(base + s)).arrayBuffer());
      const joined = path.join(work, `${kind}.mp4`);
      await writeFile(joined, Buffer.concat(parts.map((p) => Buffer.from(p))));
      const probe = await ffprobe(joined);
      expect(probe.streams.map((s) => s.codec_type).sort()).toEqual(kind === 'audio' ? ['audio'] : ['audio', 'video']);
      if (kind === 'video') expect(probe.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', height: 240 });
      expect(Number(probe.format.duration)).toBeGreaterThan(1.5);
    }
    // A link with a broken signature, or a lesson-video signature on a live path, is refused.
    const broken = audio.replace(/\/([\w-]{32})\//, '/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/');
    expect((await fetch(baseA + broken)).status).toBe(403);

    const stopped = await teacher.post(`/classroom/sessions/${sessionId}/live`, { intent: 'live-stop', broadcastId, lastChunk: String(chunks.length - 1) });
    expect(stopped.status).toBe(200);
    // Chunks after the last one announced are not taken.
    expect((await teacher.postBytes(`/classroom/sessions/${sessionId}/live/chunks?broadcast=${broadcastId}&seq=${chunks.length}`, chunks[0]!)).status).toBe(409);
    expect((await liveStatus(assistant, sessionId)).live).toBeNull();

    let latest: LiveStatus['latest'] = null;
    await waitFor(async () => {
      latest = (await liveStatus(teacher, sessionId)).latest;
      return latest?.videoStatus === 'ready' || latest?.status === 'failed' || latest?.videoStatus === 'failed';
    }, 180_000, 'the recording to be transcoded');
    expect(latest).toMatchObject({ status: 'recorded', videoStatus: 'ready' });
    const [lesson] = await testSql()<{ title_zh: string; draft: boolean; module_id: string | null; source_module: string | null; duration: number }[]>`
      select l.title_zh, l.draft, l.module_id, sl.module_id as source_module, v.duration_seconds as duration
      from live_broadcasts b join lessons l on l.id = b.recording_lesson_id join videos v on v.id = b.recording_video_id
      join live_sessions s on s.id = b.session_id join lessons sl on sl.id = s.lesson_id where b.id = ${broadcastId}`;
    expect(lesson!.title_zh).toMatch(/^课堂录像 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);
    expect(lesson!.module_id).toBe(lesson!.source_module);
    // The classroom's voices reach students only once the teacher publishes the recording.
    expect(lesson!.draft).toBe(true);
    // Every chunk made it: the recording is as long as the camera file.
    expect(lesson!.duration).toBeGreaterThan(SOURCE_SECONDS - 0.5);
    expect(lesson!.duration).toBeLessThan(SOURCE_SECONDS + 0.5);
    const [{ n }] = (await testSql()<{ n: number }[]>`select count(*)::int as n from live_broadcasts where id = ${broadcastId} and packaged_chunks = ${chunks.length}`) as unknown as [{ n: number }];
    expect(n).toBe(1);
  }, 300_000);

  it('only the session’s teacher publishes; only the teacher and scheduled classrooms fetch', async () => {
    const sessionId = await newDemoSession();
    const livePath = `/classroom/sessions/${sessionId}/live`;
    // Nobody but the teacher goes on air.
    for (const client of [assistant, student, outsider]) expect((await client.post(livePath, { intent: 'live-start', camera: '1' })).status).toBe(403);
    const started = await teacher.post(livePath, { intent: 'live-start', camera: '0' });
    const { broadcastId } = (await started.json()) as { broadcastId: string };
    const chunkPath = `${livePath}/chunks?broadcast=${broadcastId}&seq=0`;
    const bytes = webm.subarray(0, 4096);
    for (const client of [assistant, student, outsider]) expect((await client.postBytes(chunkPath, bytes)).status).toBe(403);
    // Without the CSRF header, or over the size limit, the teacher is refused too.
    expect((await teacher.postBytes(chunkPath, bytes, { csrf: false })).status).toBe(403);
    expect((await teacher.postBytes(chunkPath, Buffer.alloc(300 * 1024))).status).toBe(413);
    expect((await teacher.postBytes(`${livePath}/chunks?broadcast=${broadcastId}&seq=-1`, bytes)).status).toBe(400);
    // Fetching the signed playlists: the scheduled classroom yes, a student or another school's assistant no.
    expect((await liveStatus(assistant, sessionId)).live?.withVideo).toBe(false);
    expect((await student.get(livePath)).status).toBe(403);
    expect((await outsider.get(livePath)).status).toBe(403);
    const [{ n }] = (await testSql()<{ n: number }[]>`select count(*)::int as n from audit_log where action = 'access.denied' and details->>'sessionId' = ${sessionId}`) as unknown as [{ n: number }];
    expect(n).toBeGreaterThanOrEqual(8);
    // Ending the session takes the teacher off air.
    expect((await teacher.post(`/classroom/sessions/${sessionId}/console`, { intent: 'end' })).status).toBeLessThan(400);
    expect((await liveStatus(teacher, sessionId)).live).toBeNull();
  }, 120_000);
});
