import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makePdf } from '../../app/features/studio/material-fixtures.js';
import { demoPassword, demoUsers } from '../../db/seed/demo-data.js';
import { FormClient } from '../support/browserless.js';
import { auditCount, closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';

const baseUrl = inject('baseUrl');
const roles = ['anonymous', 'student', 'teacher', 'assistant', 'registrar', 'institution_admin', 'admin'] as const;
type Who = (typeof roles)[number];

// What each kind of visitor gets for each page. `login` means redirected to /login;
// `home` redirected to /. The demo registrar works at fjnu (福建师范大学) and fzu, not mju.
type Outcome = 200 | 400 | 403 | 404 | 405 | 410 | 'login' | 'device' | 'home' | 'admin-home' | 'enrol';
const everyone = (o: Outcome) => Object.fromEntries(roles.map((r) => [r, o])) as Record<Who, Outcome>;
const signedIn = (o: Outcome) => ({ ...everyone(o), anonymous: 'login' as Outcome });
const adminOnly = { ...signedIn(403), admin: 200 as Outcome };

const matrix: [string, Record<Who, Outcome>][] = [
  ['/', everyone(200)],
  ['/healthz', everyone(200)],
  ['/login', { ...everyone('home'), anonymous: 200 }],
  ['/signup', { ...everyone('home'), anonymous: 200 }],
  ['/account', signedIn(200)],
  ['/account/data.json', signedIn(200)],
  ['/account/delete', signedIn(200)],
  ['/account/password', signedIn(200)],
  ['/account/email', signedIn(200)],
  ['/account/sessions', signedIn(200)],
  // A mailed link: the token, not a session, is the proof; opening it only shows a button.
  ['/account/verify-email?token=not-a-token', everyone(200)],
  ['/forgot-password', everyone(200)],
  ['/reset-password?token=not-a-token', everyone(200)],
  ['/signup/sent', everyone(200)],
  ['/privacy', everyone(200)],
  ['/admin', { ...adminOnly, admin: 'admin-home' }],
  ['/admin/institutions', adminOnly],
  ['/admin/people', adminOnly],
  ['/admin/people/:student', adminOnly],
  ['/admin/audit', adminOnly],
  ['/admin/media', adminOnly],
  ['/admin/mail', adminOnly],
  ['/admin/queues', adminOnly],
  ['/institutions/fjnu/members', { ...signedIn(403), registrar: 200, admin: 200 }],
  ['/institutions/mju/members', { ...signedIn(403), admin: 200 }],
  ['/institutions/no-such-school/members', { ...everyone(404) }],
  ['/no/such/page', everyone(404)],
  ['/studio/lessons/:lesson', { ...signedIn(403), teacher: 200, admin: 200 }],
  ['/studio/lessons/:lesson/events', { ...signedIn(403), teacher: 200, admin: 200 }],
  ['/studio/lessons/00000000-0000-4000-8000-000000000000', everyone(404)],
  // Enrolled students (the demo student is) and the course's teachers (and admins) as a preview;
  // anyone else signed in is sent to the course page to enrol.
  ['/lessons/:lesson', { ...signedIn('enrol'), student: 200, teacher: 200, admin: 200 }],
  ['/courses', everyone(200)],
  ['/courses?q=%E7%BA%BF%E4%BB%A3&subject=mathematics&page=2', everyone(200)],
  ['/courses/fzu-linear-algebra-1', everyone(200)],
  ['/courses/no-such-course', everyone(404)],
  ['/api/catalog', everyone(200)],
  ['/api/catalog?q=%E7%BA%BF%E4%BB%A3&pageSize=5', everyone(200)],
  ['/api/catalog?pageSize=1000', everyone(400)],
  ['/api/catalog/fzu-linear-algebra-1', everyone(200)],
  ['/api/catalog/no-such-course', everyone(404)],
  ['/catalog.csv', everyone(200)],
  ['/institutions/fzu', everyone(200)],
  ['/institutions/no-such-school', everyone(404)],
  ['/studio', { ...signedIn(403), teacher: 200, admin: 200 }],
  ['/studio/courses/:course', { ...signedIn(403), teacher: 200, admin: 200 }],
  ['/studio/courses/:course/stats', { ...signedIn(403), teacher: 200, admin: 200 }],
  ['/studio/courses/00000000-0000-4000-8000-000000000000', everyone(404)],
  ['/studio/courses/00000000-0000-4000-8000-000000000000/stats', everyone(404)],
  ['/studio/lessons/:lesson/text', { ...signedIn(403), teacher: 200, admin: 200 }],
  ['/studio/lessons/:lesson/materials', { ...signedIn(403), teacher: 200, admin: 200 }],
  ['/lessons/:lesson/materials/:material', { ...signedIn('enrol'), student: 200, teacher: 200, admin: 200 }],
  ['/lessons/:lesson/materials/00000000-0000-4000-8000-000000000000', { ...signedIn('enrol'), student: 404, teacher: 404, admin: 404 }],
  ['/lessons/not-a-lesson', { ...everyone(404), anonymous: 'login' }],
  // The demo student is enrolled in the demo course; its teacher (and an admin) preview it.
  ['/lessons/:quizLesson/quiz', { ...signedIn('enrol'), student: 200, teacher: 200, admin: 200 }],
  ['/lessons/:lesson/quiz', { ...signedIn('enrol'), student: 404, teacher: 404, admin: 404 }],
  ['/studio/lessons/:quizLesson/quiz', { ...signedIn(403), teacher: 200, admin: 200 }],
  ['/studio/lessons/00000000-0000-4000-8000-000000000000/quiz', everyone(404)],
  // Synchronised classrooms: the demo session is taught by the demo teacher and received
  // by the demo assistant's school (Guangze No. 1 Middle School).
  ['/classroom', signedIn(200)],
  ['/classroom/sessions/:session/console', { ...signedIn(403), teacher: 200 }],
  ['/classroom/sessions/:session/screen', { ...signedIn(403), assistant: 200 }],
  ['/classroom/sessions/:session/events', { ...signedIn(403), teacher: 200, assistant: 200 }],
  ['/classroom/sessions/:session/report', { ...signedIn(403), teacher: 200, assistant: 200, admin: 200 }],
  // The teacher's live voice/camera: the signed playlists for the teacher and the scheduled classrooms only.
  ['/classroom/sessions/:session/live', { ...signedIn(403), teacher: 200, assistant: 200 }],
  ['/classroom/sessions/:session/live/chunks', everyone(405)],
  ['/classroom/sessions/00000000-0000-4000-8000-000000000000/live', everyone(404)],
  // Slide decks: only the teacher manages them; a scheduled classroom's screen lists what to
  // prefetch; page images need the session's signature (expired or forged: 403).
  ['/classroom/sessions/:session/slides', { ...signedIn(403), teacher: 200 }],
  ['/classroom/sessions/:session/prefetch', { ...signedIn(403), assistant: 200 }],
  ['/classroom/sessions/00000000-0000-4000-8000-000000000000/slides', everyone(404)],
  ['/classroom/sw.js', everyone(200)],
  ['/slides/:session/1/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/00000000-0000-4000-8000-000000000000/page-001.webp', everyone(403)],
  ['/slides/:session/1/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/00000000-0000-4000-8000-000000000000/source.pdf', everyone(404)],
  ['/classroom/sessions/00000000-0000-4000-8000-000000000000/console', everyone(404)],
  ['/classroom/sessions/not-a-session/screen', everyone(404)],
  // Credit recognition: students' own pages, registrars of their own institution only
  // (the admin role does not decide credits), public lookup and credential verification.
  ['/credits', signedIn(200)],
  ['/credits/transcript', signedIn(200)],
  ['/credits/transcript.csv', signedIn(200)],
  ['/credits/requests/00000000-0000-4000-8000-000000000000', { ...everyone(404), anonymous: 'login' }],
  ['/credits/lookup', everyone(200)],
  ['/institutions/fjnu/credits', { ...signedIn(403), registrar: 200 }],
  ['/institutions/fjnu/credits/rules', { ...signedIn(403), registrar: 200 }],
  ['/institutions/fjnu/credits/policy', { ...signedIn(403), registrar: 200 }],
  ['/institutions/fjnu/credits/requests/00000000-0000-4000-8000-000000000000', { ...signedIn(403), registrar: 404 }],
  ['/institutions/mju/credits', signedIn(403)],
  ['/institutions/no-such-school/credits', everyone(404)],
  ['/admin/ledger', adminOnly],
  ['/credentials/00000000-0000-4000-8000-000000000000', everyone(404)],
  ['/credentials/issuers/fjnu', everyone(200)],
  // No credential issued there yet: no status list, and asking makes no signing key.
  ['/credentials/status/gz-no1-middle', everyone(404)],
  ['/api/credentials/verify', everyone(405)],
  // The institution administrator's console: the demo one runs Guangze No. 1 Middle School
  // (gz-no1-middle); a provincial administrator may act there too; nobody else, nowhere else.
  ['/institutions/gz-no1-middle/onboarding', { ...signedIn(403), institution_admin: 200, admin: 200 }],
  ['/institutions/gz-no1-middle/onboarding/staff', { ...signedIn(403), institution_admin: 200, admin: 200 }],
  ['/institutions/gz-no1-middle/onboarding/domains', { ...signedIn(403), institution_admin: 200, admin: 200 }],
  ['/institutions/gz-no1-middle/onboarding/classrooms', { ...signedIn(403), institution_admin: 200, admin: 200 }],
  ['/institutions/gz-no1-middle/onboarding/rosters', { ...signedIn(403), institution_admin: 200, admin: 200 }],
  ['/institutions/gz-no1-middle/members', { ...signedIn(403), institution_admin: 200, admin: 200 }],
  ['/institutions/fjnu/onboarding', { ...signedIn(403), admin: 200 }],
  ['/institutions/fjnu/onboarding/rosters', { ...signedIn(403), admin: 200 }],
  ['/institutions/no-such-school/onboarding', everyone(404)],
  // A browser not set up as a classroom device lists no class and no pupil.
  ['/device', everyone(200)],
  ['/device/00000000-0000-4000-8000-000000000000', everyone('device')],
  ['/membership/verify', signedIn(200)],
  ['/invitation?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', everyone(410)],
  ['/invitation', everyone(410)],
];

const clients = new Map<Who, FormClient>();
let studentId = '';
let lessonId = '';
let sessionId = '';
let courseId = '';
let materialId = '';
let quizLessonId = '';

beforeAll(async () => {
  clients.set('anonymous', new FormClient(baseUrl));
  for (const u of demoUsers) {
    const c = new FormClient(baseUrl);
    const res = await c.login(u.email, demoPassword);
    expect(res.status, `demo ${u.role} logs in`).toBe(302);
    expect(roles, `the matrix has a column for the demo ${u.role}`).toContain(u.role);
    clients.set(u.role as Who, c);
  }
  const [row] = await testSql()<{ id: string }[]>`select id from users where email = 'student@demo.edu.cn'`;
  studentId = row!.id;
  const [lesson] = await testSql()<{ id: string }[]>`select l.id from lessons l join courses c on c.id = l.course_id where c.slug = 'fzu-linear-algebra-1' and l.position = 1`;
  lessonId = lesson!.id;
  courseId = (await testSql()<{ id: string }[]>`select id from courses where slug = 'fzu-linear-algebra-1'`)[0]!.id;
  // One stored material, as the studio would have written it.
  const pdf = makePdf();
  const [material] = await testSql()<{ id: string }[]>`
    insert into lesson_materials (lesson_id, file_name, content_type, size_bytes, sha256) values (${lessonId}, 'matrix.pdf', 'application/pdf', ${pdf.length}, 'x') returning id`;
  materialId = material!.id;
  const dir = path.join(inject('mediaRoot'), 'materials', lessonId);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, materialId), pdf);
  const [quizLesson] = await testSql()<{ id: string }[]>`select l.id from lessons l join courses c on c.id = l.course_id join quizzes q on q.lesson_id = l.id where c.slug = 'fzu-linear-algebra-1'`;
  quizLessonId = quizLesson!.id;
  const [session] = await testSql()<{ id: string }[]>`select s.id from live_sessions s join live_classes lc on lc.id = s.live_class_id join users u on u.id = lc.teacher_id where u.email = 'teacher@demo.edu.cn' order by s.starts_at limit 1`;
  sessionId = session!.id;
});
afterAll(closeTestSql);

function expectOutcome(res: Response, expected: Outcome, label: string) {
  const location = res.headers.get('location') ?? '';
  if (expected === 'login') {
    expect(res.status, label).toBe(302);
    expect(location, label).toMatch(/^\/login\?redirectTo=/);
  } else if (expected === 'home') {
    expect([res.status, location], label).toEqual([302, '/']);
  } else if (expected === 'enrol') {
    expect(res.status, label).toBe(302);
    expect(location, label).toMatch(/^\/courses\/[a-z0-9-]+\?enrol=required$/);
  } else if (expected === 'device') {
    expect([res.status, location], label).toEqual([302, '/device']);
  } else if (expected === 'admin-home') {
    expect([res.status, location], label).toEqual([302, '/admin/institutions']);
  } else {
    expect(res.status, label).toBe(expected);
  }
}

describe('authorisation matrix: every page × every role', () => {
  for (const [path, outcomes] of matrix) {
    for (const who of roles) {
      it(`${who} GET ${path} → ${outcomes[who]}`, async () => {
        const res = await clients.get(who)!.get(path.replace(':student', studentId).replace(':quizLesson', quizLessonId).replace(':lesson', lessonId).replace(':course', courseId).replace(':material', materialId).replace(':session', sessionId));
        expectOutcome(res, outcomes[who], `${who} ${path}`);
        if (res.headers.get('content-type')?.startsWith('text/event-stream')) await res.body?.cancel(); // a live stream never ends
        else await res.arrayBuffer();
      });
    }
  }
});

describe('state-changing requests are authorised on the server', () => {
  for (const who of ['student', 'teacher', 'assistant', 'registrar'] as const) {
    it(`${who} cannot create an institution: 403, an audit entry, nothing written`, async () => {
      const email = demoUsers.find((u) => u.role === who)!.email;
      const deniedBefore = await auditCount('access.denied', { actorEmail: email });
      const slug = `sneaky-${who}-${Date.now()}`;
      const res = await clients.get(who)!.post('/admin/institutions', {
        intent: 'create',
        slug,
        nameZh: '伪造学校',
        nameEn: 'Forged',
        kind: 'school',
        regionId: (await testSql()`select id from regions limit 1`)[0]!.id as string,
      });
      expect(res.status).toBe(403);
      expect(await testSql()`select id from institutions where slug = ${slug}`).toHaveLength(0);
      expect(await auditCount('access.denied', { actorEmail: email })).toBe(deniedBefore + 1);
    });

    it(`${who} cannot grant themselves the admin role`, async () => {
      const [me] = await testSql()<{ id: string }[]>`select id from users where email = ${demoUsers.find((u) => u.role === who)!.email}`;
      const res = await clients.get(who)!.post(`/admin/people/${me!.id}`, {
        intent: 'grant',
        institutionId: await institutionIdBySlug('fj-edu-dept'),
        role: 'admin',
      });
      expect(res.status).toBe(403);
      const rows = await testSql()`select 1 from memberships where user_id = ${me!.id} and role = 'admin'`;
      expect(rows).toHaveLength(0);
    });
  }

  it('only the session’s teacher may go on air or send live media; everyone else is refused (audited), nothing stored', async () => {
    const before = (await testSql()`select count(*)::int as n from live_broadcasts where session_id = ${sessionId}`)[0]!.n as number;
    for (const who of ['anonymous', 'student', 'assistant', 'registrar', 'admin'] as const) {
      const start = await clients.get(who)!.post(`/classroom/sessions/${sessionId}/live`, { intent: 'live-start', camera: '1' });
      const chunk = await clients.get(who)!.postBytes(`/classroom/sessions/${sessionId}/live/chunks?broadcast=00000000-0000-4000-8000-000000000000&seq=0`, new Uint8Array([0x1a, 0x45, 0xdf, 0xa3]));
      for (const res of [start, chunk]) expectOutcome(res, who === 'anonymous' ? 'login' : 403, `${who} live`);
    }
    expect((await testSql()`select count(*)::int as n from live_broadcasts where session_id = ${sessionId}`)[0]!.n).toBe(before);
  });

  it('a registrar reading another institution’s members is refused and audited', async () => {
    const before = await auditCount('access.denied', { actorEmail: 'registrar@demo.edu.cn' });
    const res = await clients.get('registrar')!.get('/institutions/mju/members');
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('没有权限');
    expect(await auditCount('access.denied', { actorEmail: 'registrar@demo.edu.cn' })).toBe(before + 1);
  });

  it('only the course’s teachers may cancel a lesson’s video', async () => {
    for (const who of ['student', 'assistant', 'registrar'] as const) {
      const res = await clients.get(who)!.post(`/studio/lessons/${lessonId}`, { intent: 'cancel', videoId: '00000000-0000-4000-8000-000000000000' });
      expect(res.status, who).toBe(403);
    }
  });

  it('only the course’s teachers may change it, its lessons’ text or materials (403 each)', async () => {
    for (const who of ['student', 'assistant', 'registrar'] as const) {
      const client = clients.get(who)!;
      expect((await client.post(`/studio/courses/${courseId}`, { intent: 'unpublish' })).status, who).toBe(403);
      expect((await client.post(`/studio/lessons/${lessonId}/text`, { version: '1', bodyZh: 'x' })).status, who).toBe(403);
      expect((await client.post(`/studio/lessons/${lessonId}/materials`, { intent: 'delete', materialId })).status, who).toBe(403);
      expect((await client.post('/studio', { intent: 'create', institutionId: await institutionIdBySlug('fzu'), titleZh: '伪造课程' })).status, who).toBe(403);
    }
    expect((await testSql()`select published_at from courses where id = ${courseId}`)[0]!.published_at).not.toBeNull();
    expect(await testSql()`select 1 from lesson_materials where id = ${materialId}`).toHaveLength(1);
    expect(await testSql()`select 1 from courses where title_zh = '伪造课程'`).toHaveLength(0);
  });

  it('a teacher cannot create a course at another institution', async () => {
    const res = await clients.get('teacher')!.post('/studio', { intent: 'create', institutionId: await institutionIdBySlug('fjnu'), titleZh: '越权课程' });
    expect(res.status).toBe(403);
    expect(await testSql()`select 1 from courses where title_zh = '越权课程'`).toHaveLength(0);
  });

  it('only the course’s teachers may change its quiz; only enrolled students’ answers are recorded', async () => {
    const [quiz] = await testSql()<{ id: string; attempts_allowed: number }[]>`select id, attempts_allowed from quizzes where lesson_id = ${quizLessonId}`;
    for (const who of ['student', 'assistant', 'registrar'] as const) {
      const res = await clients.get(who)!.post(`/studio/lessons/${quizLessonId}/quiz`, { intent: 'settings', attemptsAllowed: '100', weight: '1' });
      expect(res.status, who).toBe(403);
    }
    expect((await testSql()`select attempts_allowed from quizzes where id = ${quiz!.id}`)[0]!.attempts_allowed).toBe(quiz!.attempts_allowed);
    for (const who of ['assistant', 'registrar'] as const) {
      const res = await clients.get(who)!.post(`/lessons/${quizLessonId}/quiz`, { attemptNo: '1' });
      expect([res.status, res.headers.get('location')], who).toEqual([302, '/courses/fzu-linear-algebra-1?enrol=required']);
    }
    expect(await testSql()`select 1 from quiz_attempts a join users u on u.id = a.user_id where a.quiz_id = ${quiz!.id} and u.email in ('assistant@demo.edu.cn', 'registrar@demo.edu.cn')`).toHaveLength(0);
    const anonymous = await clients.get('anonymous')!.post(`/lessons/${quizLessonId}/quiz`, { attemptNo: '1' });
    expect(anonymous.headers.get('location')).toMatch(/^\/login/);
  });

  it('only registrars of the institution may create its equivalency rules', async () => {
    const rules = async () => (await testSql()`select r.id from equivalency_rules r`).length;
    const before = await rules();
    for (const who of ['student', 'teacher', 'assistant', 'admin'] as const) {
      const res = await clients.get(who)!.post('/institutions/fjnu/credits/rules', { intent: 'create', sources: 'fzu-linear-algebra-1', targetKind: 'elective', credits: '1.0', effectiveFrom: '2026-01-01' });
      expect(res.status, who).toBe(403);
    }
    expect((await clients.get('registrar')!.post('/institutions/mju/credits/rules', { intent: 'create', sources: 'fzu-linear-algebra-1', targetKind: 'elective', credits: '1.0', effectiveFrom: '2026-01-01' })).status).toBe(403);
    expect(await rules()).toBe(before);
  });

  it('anonymous posts to admin actions are sent to log in, writing nothing', async () => {
    const res = await clients.get('anonymous')!.post('/admin/institutions', { intent: 'create', slug: 'anon-try', nameZh: 'x', nameEn: 'x', kind: 'school', regionId: '00000000-0000-0000-0000-000000000000' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^\/login/);
    expect(await testSql()`select id from institutions where slug = 'anon-try'`).toHaveLength(0);
  });
});
