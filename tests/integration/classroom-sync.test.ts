import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sessionChannel } from '../../db/session-log.js';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient } from '../support/browserless.js';
import { classroomIdByName, newDemoSession } from '../support/classroom.js';
import { closeTestSql, testSql } from '../support/db.js';
import { testServiceEnv } from '../support/env.js';
import { freePort, startProcess, waitFor, type Running } from '../support/processes.js';
import { SseReader } from '../support/sse.js';

// Two web processes on one Redis and one database, as behind a load balancer: the
// teacher on A, the Guangze classroom's screen on B.
const baseA = inject('baseUrl');
let portB = 0;
let baseB = '';
let webB: Running | undefined;
const teacher = new FormClient(baseA);
let assistantA: FormClient;
let assistantB: FormClient;
let guangze = '';

function startB(): Running {
  return startProcess('app/server/main.ts', {
    ...testServiceEnv(),
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(portB),
    SESSION_SECRET: process.env.SESSION_SECRET,
    SECURE_COOKIES: '0',
    TRUST_PROXY: '1',
    LOG_LEVEL: 'warn',
    MEDIA_ROOT: inject('mediaRoot'),
  });
}

async function healthy(base: string) {
  await waitFor(async () => (await fetch(`${base}/clock`)).ok, 60_000, `${base} to answer`);
}

/** The same signed-in browser, talking to the other web process. */
function sameBrowserOn(base: string, client: FormClient): FormClient {
  const other = new FormClient(base, client.ip);
  for (const [k, v] of client.cookies) other.cookies.set(k, v);
  return other;
}

beforeAll(async () => {
  portB = await freePort();
  baseB = `http://127.0.0.1:${portB}`;
  webB = startB();
  expect((await teacher.login('teacher@demo.edu.cn', demoPassword)).status).toBe(302);
  assistantA = new FormClient(baseA);
  expect((await assistantA.login('assistant@demo.edu.cn', demoPassword)).status).toBe(302);
  await healthy(baseB);
  assistantB = sameBrowserOn(baseB, assistantA);
  guangze = await classroomIdByName('高二（1）班');
});

afterAll(async () => {
  webB?.child.kill('SIGTERM');
  await webB?.exited;
  await closeTestSql();
});

/** A new assistant at a school (signed in on process A). */
async function newAssistant(slug: string): Promise<FormClient> {
  const email = `assistant-${slug}-${Date.now()}@test.edu.cn`;
  const [hash] = await testSql()<{ password_hash: string }[]>`select password_hash from users where email = 'assistant@demo.edu.cn'`;
  const [u] = await testSql()<{ id: string }[]>`insert into users (email, display_name, pseudonym, password_hash) values (${email}, ${slug}, ${`p-${slug}-${Date.now()}`}, ${hash!.password_hash}) returning id`;
  await testSql()`insert into memberships (user_id, institution_id, role) select ${u!.id}, id, 'assistant' from institutions where slug = ${slug}`;
  const client = new FormClient(baseA);
  expect((await client.login(email, demoPassword)).status).toBe(302);
  return client;
}

async function stream(client: FormClient, sessionId: string, since?: number): Promise<SseReader> {
  const res = await client.get(`/classroom/sessions/${sessionId}/events${since !== undefined ? `?since=${since}` : ''}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  return new SseReader(res);
}

async function command(client: FormClient, sessionId: string, fields: Record<string, string>) {
  const res = await client.post(`/classroom/sessions/${sessionId}/commands`, fields);
  return { status: res.status, body: (await res.json()) as { ok: boolean; seq: number | null; reason?: string } };
}

describe('synchronised classroom across two web processes', () => {
  it('the teacher’s play on process A reaches the screen on process B, scheduled at a shared future instant', async () => {
    const sessionId = await newDemoSession();
    const screen = await stream(assistantB, sessionId);
    const snap = await screen.find((e) => e.event === 'snapshot');
    expect(JSON.parse(snap.data)).toMatchObject({ status: 'scheduled', state: { playing: false } });
    const sentAt = Date.now();
    const play = await command(teacher, sessionId, { intent: 'play' });
    expect(play).toMatchObject({ status: 200, body: { ok: true, seq: 1 } });
    const got = await screen.find((e) => e.event === 'playback');
    expect(got.id).toBe('1');
    const payload = JSON.parse(got.data) as { state: { playing: boolean; anchorAt: number }; status: string };
    expect(payload.state.playing).toBe(true);
    expect(payload.status).toBe('live');
    expect(payload.state.anchorAt).toBeGreaterThan(sentAt); // in the future when sent
    await screen.close();
  });

  it('a question from the screen on B reaches the teacher on A; another classroom’s screen does not see it', async () => {
    const sessionId = await newDemoSession();
    const console_ = await stream(teacher, sessionId);
    const minqing = await stream(await newAssistant('mq-bandong-primary'), sessionId);
    await console_.find((e) => e.event === 'snapshot');
    await minqing.find((e) => e.event === 'snapshot');
    const asked = await command(assistantB, sessionId, { intent: 'ask', body: '负数系数可以吗？', clientKey: 'q-abc-12345' });
    expect(asked.status).toBe(200);
    const q = await console_.find((e) => e.event === 'question');
    expect(JSON.parse(q.data)).toMatchObject({ question: { body: '负数系数可以吗？', classroomId: guangze, answered: false } });
    // Minqing's screen sees the next public event but never Guangze's question.
    await command(teacher, sessionId, { intent: 'slide', slide: '1' });
    await minqing.find((e) => e.event === 'playback');
    expect(minqing.ofKind('question')).toHaveLength(0);
    await minqing.close();
    // The same send retried (lost reply) is stored once.
    const again = await command(assistantB, sessionId, { intent: 'ask', body: '负数系数可以吗？', clientKey: 'q-abc-12345' });
    expect(again.body).toMatchObject({ ok: true, seq: null });
    expect(await testSql()`select 1 from session_questions where session_id = ${sessionId}`).toHaveLength(1);
    await console_.close();
  });

  it('a screen that reconnects with its last seq gets exactly the events it missed, in order', async () => {
    const sessionId = await newDemoSession();
    const first = await stream(assistantB, sessionId);
    const snap = await first.find((e) => e.event === 'snapshot');
    await first.close();
    const since = Number(snap.id);
    await command(teacher, sessionId, { intent: 'play' });
    await command(teacher, sessionId, { intent: 'slide', slide: '1' });
    // Seeks are kept inside the lesson's published video, and files that run earlier may
    // publish one on this lesson (lecture-journey: 12 s), so the seek stays under that.
    await command(teacher, sessionId, { intent: 'seek', position: '8' });
    const again = await stream(assistantA, sessionId, since); // reconnects through the other process
    const seek = await again.find((e) => e.event === 'playback' && e.id === String(since + 3));
    expect(JSON.parse(seek.data)).toMatchObject({ state: { position: 8, slide: 1, playing: true } });
    const replayed = again.events.filter((e) => e.id !== null);
    expect(replayed.map((e) => e.id)).toEqual([since + 1, since + 2, since + 3].map(String));
    expect(again.ofKind('snapshot')).toHaveLength(0);
    await again.close();
  });

  it('a poll answer sent while web process B restarts is not lost, and B’s screens catch up after it', async () => {
    const sessionId = await newDemoSession();
    const console_ = await stream(teacher, sessionId);
    await console_.find((e) => e.event === 'snapshot');
    expect((await command(teacher, sessionId, { intent: 'poll-open', question: '2 + 3 = ?', options: '5\n6' })).status).toBe(200);
    const [poll] = await testSql()<{ id: string }[]>`select id from session_polls where session_id = ${sessionId}`;
    const screen = await stream(assistantB, sessionId);
    const snap = await screen.find((e) => e.event === 'snapshot');
    const lastSeen = Number(snap.id);

    webB!.child.kill('SIGTERM'); // B starts shutting down…
    const answer = { intent: 'poll-answer', pollId: poll!.id, 'counts[0]': '27', 'counts[1]': '3' };
    let outcome = await command(assistantB, sessionId, answer).catch((e: Error) => ({ status: 0, body: { ok: false, seq: null, reason: e.message } }));
    await screen.closed; // B ends its streams so screens reconnect elsewhere
    expect(await webB!.exited).toBe(0);
    webB = startB(); // …and comes back
    await healthy(baseB);
    // A screen whose send failed sends it again (answers are per classroom: a repeat is harmless).
    if (outcome.status !== 200) outcome = await command(assistantB, sessionId, answer);
    expect(outcome.status).toBe(200);

    const tally = await console_.find((e) => e.event === 'poll' && JSON.parse(e.data).poll.classroomsAnswered === 1);
    expect(JSON.parse(tally.data).poll.tallies).toEqual([27, 3]);
    const stored = await testSql()`select counts from session_poll_answers where poll_id = ${poll!.id}`;
    expect(stored.map((r) => r.counts)).toEqual([[27, 3]]);
    // The screen reconnects to the restarted B with its last seq and gets the tally it missed.
    const back = await stream(assistantB, sessionId, lastSeen);
    const caught = await back.find((e) => e.event === 'poll');
    expect(JSON.parse(caught.data).poll.tallies).toEqual([27, 3]);
    await Promise.all([back.close(), console_.close()]);
  });

  it('with “wait for buffering” on, a classroom stalled for over a second pauses everyone, and play resumes when it has buffered', async () => {
    const sessionId = await newDemoSession();
    const console_ = await stream(teacher, sessionId);
    await console_.find((e) => e.event === 'snapshot');
    await command(teacher, sessionId, { intent: 'wait', on: '1' });
    await command(teacher, sessionId, { intent: 'play' });
    await command(assistantB, sessionId, { intent: 'status', buffering: '1', rttMs: '180', bufferSeconds: '0', driftMs: '-900', rung: '144p' });
    const paused = await console_.find((e) => e.event === 'playback' && JSON.parse(e.data).command === 'wait');
    expect(JSON.parse(paused.data).state).toMatchObject({ playing: false, waitingFor: [guangze] });
    const figures = await console_.find((e) => e.event === 'connection');
    expect(JSON.parse(figures.data).connection).toMatchObject({ classroomId: guangze, rttMs: 180, rung: '144p', driftMs: -900, buffering: true });
    await command(assistantB, sessionId, { intent: 'status', buffering: '0', rttMs: '150', bufferSeconds: '8' });
    const resumed = await console_.find((e) => e.event === 'playback' && JSON.parse(e.data).command === 'play');
    expect(JSON.parse(resumed.data).state).toMatchObject({ playing: true, waitingFor: [] });
    const [row] = await testSql()`select rtt_ms, buffer_seconds, buffering from session_classrooms where session_id = ${sessionId} and classroom_id = ${guangze}`;
    expect(row).toMatchObject({ rtt_ms: 150, buffer_seconds: 8, buffering: false });
    await console_.close();
  });

  it('attendance counts only the classroom’s own pupils; a headcount replaces it; both are stored', async () => {
    const sessionId = await newDemoSession();
    const pupils = await testSql()<{ id: string; classroom_id: string }[]>`select p.id, p.classroom_id from classroom_pupils p`;
    const mine = pupils.filter((p) => p.classroom_id === guangze).slice(0, 3).map((p) => p.id);
    const foreign = pupils.find((p) => p.classroom_id !== guangze)!.id;
    const body = new URLSearchParams({ intent: 'attendance', mode: 'roster', csrf: decodeURIComponent(await assistantA.csrfToken()) });
    for (const id of [...mine, foreign]) body.append('pupilIds', id);
    const res = await fetch(`${baseA}/classroom/sessions/${sessionId}/commands`, { method: 'POST', body, headers: { Cookie: [...assistantA.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'X-Forwarded-For': assistantA.ip, 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(200);
    const [roster] = await testSql()`select mode, headcount, present_pupil_ids from session_attendance where session_id = ${sessionId}`;
    expect(roster).toMatchObject({ mode: 'roster', headcount: 3 });
    expect([...roster!.present_pupil_ids].sort()).toEqual([...mine].sort());
    await command(assistantA, sessionId, { intent: 'attendance', mode: 'headcount', headcount: '41' });
    const [count] = await testSql()`select mode, headcount from session_attendance where session_id = ${sessionId}`;
    expect(count).toMatchObject({ mode: 'headcount', headcount: 41 });
  });

  it('heartbeats keep an idle stream alive: a ping carries the server time', async () => {
    // The heartbeat is every 15 s; this waits for one instead of asserting its timing.
    const sessionId = await newDemoSession();
    const screen = await stream(assistantA, sessionId);
    const ping = await screen.find((e) => e.event === 'ping', { timeoutMs: 40_000 });
    expect(Math.abs(Number(ping.data) - Date.now())).toBeLessThan(60_000);
    await screen.close();
  });

  it('a screen that goes away is forgotten: once a session’s last stream on a process closes, that process unsubscribes', async () => {
    const sessionId = await newDemoSession();
    const redis = new Redis(testServiceEnv().REDIS_URL);
    try {
      const subscribers = async () => ((await redis.pubsub('NUMSUB', sessionChannel(sessionId))) as [string, number])[1];
      const screens = [await stream(assistantA, sessionId), await stream(assistantA, sessionId), await stream(assistantB, sessionId)];
      await Promise.all(screens.map((s) => s.find((e) => e.event === 'snapshot')));
      expect(await subscribers()).toBe(2); // one subscription per process, whatever its number of screens
      await screens[0]!.close();
      await command(teacher, sessionId, { intent: 'play' });
      await screens[1]!.find((e) => e.event === 'playback');
      expect(await subscribers()).toBe(2);
      await Promise.all(screens.slice(1).map((s) => s.close()));
      await waitFor(async () => (await subscribers()) === 0, 10_000, 'both processes to unsubscribe');
    } finally {
      redis.disconnect();
    }
  });
});

describe('only the teacher controls, only scheduled classrooms join', () => {
  let sessionId = '';
  let student: FormClient;
  let otherAssistant: FormClient;
  beforeAll(async () => {
    sessionId = await newDemoSession();
    student = new FormClient(baseA);
    await student.login('student@demo.edu.cn', demoPassword);
    // An assistant at a school none of whose classrooms is scheduled (Minjiang University).
    const email = `assistant-mju-${Date.now()}@test.edu.cn`;
    const [hash] = await testSql()<{ password_hash: string }[]>`select password_hash from users where email = 'assistant@demo.edu.cn'`;
    const [u] = await testSql()<{ id: string }[]>`insert into users (email, display_name, pseudonym, password_hash) values (${email}, 'mju', ${`p-${Date.now()}`}, ${hash!.password_hash}) returning id`;
    await testSql()`insert into memberships (user_id, institution_id, role) select ${u!.id}, id, 'assistant' from institutions where slug = 'mju'`;
    otherAssistant = new FormClient(baseA);
    expect((await otherAssistant.login(email, demoPassword)).status).toBe(302);
  });

  it('a student and an unscheduled classroom’s assistant cannot join (403, audited)', async () => {
    for (const who of [student, otherAssistant]) {
      const [before] = await testSql()`select count(*)::int as n from audit_log where action = 'access.denied' and details->>'sessionId' = ${sessionId}`;
      for (const path of ['events', 'screen', 'console']) {
        const res = await who.get(`/classroom/sessions/${sessionId}/${path}`);
        expect(res.status, path).toBe(403);
        await res.arrayBuffer();
      }
      const [after] = await testSql()`select count(*)::int as n from audit_log where action = 'access.denied' and details->>'sessionId' = ${sessionId}`;
      expect(after!.n).toBe(before!.n + 3);
    }
  });

  it('nobody but the teacher can play, seek or end; nothing is stored', async () => {
    for (const who of [student, otherAssistant, assistantA]) {
      for (const intent of ['play', 'end']) {
        const res = await who.post(`/classroom/sessions/${sessionId}/commands`, { intent });
        expect(res.status).toBe(403);
        await res.arrayBuffer();
      }
    }
    const [s] = await testSql()`select last_seq, status from live_sessions where id = ${sessionId}`;
    expect(s).toMatchObject({ last_seq: 0, status: 'scheduled' });
  });

  it('an assistant cannot act for a classroom that is not theirs', async () => {
    const minqing = await classroomIdByName('六年级（2）班');
    const res = await assistantA.post(`/classroom/sessions/${sessionId}/commands`, { intent: 'hand', raised: '1', classroom: minqing });
    expect(res.status).toBe(403);
    await res.arrayBuffer();
    expect(await testSql()`select 1 from session_classrooms where session_id = ${sessionId}`).toHaveLength(0);
  });

  it('commands without the CSRF token are refused', async () => {
    const res = await teacher.post(`/classroom/sessions/${sessionId}/commands`, { intent: 'play' }, { csrf: false });
    expect(res.status).toBe(403);
    await res.arrayBuffer();
  });
});
