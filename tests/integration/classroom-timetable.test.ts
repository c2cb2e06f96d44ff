import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient } from '../support/browserless.js';
import { classroomIdByName, newDemoSession } from '../support/classroom.js';
import { closeTestSql, testSql } from '../support/db.js';

const baseUrl = inject('baseUrl');
const teacher = new FormClient(baseUrl);
const assistant = new FormClient(baseUrl);
let lessonId = '';
let lead = '';
let guangze = '';
let minqing = '';

beforeAll(async () => {
  await teacher.login('teacher@demo.edu.cn', demoPassword);
  await assistant.login('assistant@demo.edu.cn', demoPassword);
  const [lesson] = await testSql()<{ id: string }[]>`select l.id from lessons l join courses c on c.id = l.course_id where c.slug = 'fzu-linear-algebra-1' and l.position = 1`;
  lessonId = lesson!.id;
  [lead, guangze, minqing] = (await Promise.all(['智慧教室 A101', '高二（1）班', '六年级（2）班'].map(classroomIdByName))) as [string, string, string];
});
afterAll(closeTestSql);

function scheduleForm(fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return body;
}

async function postSchedule(client: FormClient, fields: Record<string, string | string[]>) {
  const body = scheduleForm({ intent: 'schedule', csrf: decodeURIComponent(await client.csrfToken()), ...fields });
  const res = await fetch(`${baseUrl}/classroom`, { method: 'POST', body, redirect: 'manual', headers: { Cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'X-Forwarded-For': client.ip, 'Content-Type': 'application/x-www-form-urlencoded' } });
  return { status: res.status, html: await res.text() };
}

describe('timetable', () => {
  it('a teacher schedules a weekly lesson for two rural classrooms: one session per week, in China Standard Time', async () => {
    const slides = `幻灯片一-${Date.now()}\n幻灯片二`;
    const res = await postSchedule(teacher, { lessonId, leadClassroomId: lead, receiverIds: [guangze, minqing], startsAt: '2031-03-03T08:30', minutes: '45', weeks: '3', slides });
    expect(res.status).toBe(200);
    expect(res.html).toContain('已安排 3 节课。');
    const rows = await testSql()`select starts_at, ends_at, series_id from live_sessions where slides->>0 = ${slides.split('\n')[0]!} order by starts_at`;
    expect(rows.map((r) => (r.starts_at as Date).toISOString())).toEqual(['2031-03-03T00:30:00.000Z', '2031-03-10T00:30:00.000Z', '2031-03-17T00:30:00.000Z']);
    expect(new Set(rows.map((r) => r.series_id)).size).toBe(1);
    expect((rows[0]!.ends_at as Date).getTime() - (rows[0]!.starts_at as Date).getTime()).toBe(45 * 60_000);
    // Both sides see them among their upcoming sessions.
    for (const who of [teacher, assistant]) {
      const page = await (await who.get('/classroom')).text();
      expect(page).toContain('2031年3月3日');
    }
  });

  it('refuses a receiving classroom at the teacher’s own school, a lesson they do not teach, and non-teachers', async () => {
    const before = await testSql()`select count(*)::int as n from live_sessions`;
    expect((await postSchedule(teacher, { lessonId, leadClassroomId: lead, receiverIds: [lead], startsAt: '2031-04-01T08:30', minutes: '45', weeks: '1' })).status).toBe(403);
    const [other] = await testSql()<{ id: string }[]>`select l.id from lessons l join courses c on c.id = l.course_id where c.slug <> 'fzu-linear-algebra-1' and not exists (select 1 from course_teachers ct join users u on u.id = ct.user_id where ct.course_id = c.id and u.email = 'teacher@demo.edu.cn') limit 1`;
    expect(other, 'the demo catalog has courses the demo teacher does not teach').toBeDefined();
    expect((await postSchedule(teacher, { lessonId: other!.id, leadClassroomId: lead, receiverIds: [guangze], startsAt: '2031-04-01T08:30', minutes: '45', weeks: '1' })).status).toBe(403);
    expect((await postSchedule(teacher, { lessonId, leadClassroomId: lead, receiverIds: [guangze], startsAt: 'tomorrow', minutes: '45', weeks: '1' })).status).toBe(400);
    expect((await postSchedule(assistant, { lessonId, leadClassroomId: lead, receiverIds: [guangze], startsAt: '2031-04-01T08:30', minutes: '45', weeks: '1' })).status).toBe(403);
    expect(await testSql()`select count(*)::int as n from live_sessions`).toEqual(before);
  });

  it('without JavaScript the console’s buttons are plain forms that work', async () => {
    const sessionId = await newDemoSession();
    const res = await teacher.post(`/classroom/sessions/${sessionId}/console`, { intent: 'slide', slide: '2' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('第 3 / 3 页');
    const [s] = await testSql()`select status, state->>'slide' as slide, last_seq from live_sessions where id = ${sessionId}`;
    expect(s).toMatchObject({ status: 'live', slide: '2', last_seq: 1 });
  });

  it('the report counts attendance, questions and poll answers per classroom', async () => {
    const sessionId = await newDemoSession();
    const cmd = (who: FormClient, fields: Record<string, string>) => who.post(`/classroom/sessions/${sessionId}/commands`, fields).then((r) => r.status);
    expect(await cmd(assistant, { intent: 'attendance', mode: 'headcount', headcount: '38' })).toBe(200);
    expect(await cmd(assistant, { intent: 'ask', body: '为什么？', clientKey: `k-${Date.now()}` })).toBe(200);
    expect(await cmd(teacher, { intent: 'poll-open', question: '懂了吗？', options: '懂了\n没懂' })).toBe(200);
    const [poll] = await testSql()<{ id: string }[]>`select id from session_polls where session_id = ${sessionId}`;
    expect(await cmd(assistant, { intent: 'poll-answer', pollId: poll!.id, 'counts[0]': '30', 'counts[1]': '8' })).toBe(200);
    expect(await cmd(assistant, { intent: 'poll-answer', pollId: poll!.id, 'counts[0]': '30' })).toBe(409); // one count per option
    expect(await cmd(assistant, { intent: 'status', buffering: '0' })).toBe(200);
    const html = await (await teacher.get(`/classroom/sessions/${sessionId}/report`)).text();
    expect(html).toContain('1/2 个接收教室上线，共 38 人到课，1 个提问，1 次投票。');
    expect(html).toMatch(/懂了<!-- -->: <!-- -->30 人/);
  });
});
