import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { makePdf, makeZip, officeEntries } from '../../app/features/studio/material-fixtures.js';
import { FormClient, uniqueEmail } from '../support/browserless.js';
import { auditCount, closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';

const baseUrl = inject('baseUrl');
const teacher = new FormClient(baseUrl);
const otherTeacher = new FormClient(baseUrl);
const enrolledStudent = new FormClient(baseUrl);
const outsider = new FormClient(baseUrl);
let otherTeacherEmail = '';
let courseId = '';

type Row = { id: string; module_id: string | null; position: number; title_zh: string };
async function outline(): Promise<string> {
  const modules = await testSql()<{ id: string; title_zh: string }[]>`select id, title_zh from course_modules where course_id = ${courseId} order by position`;
  const lessons = await testSql()<Row[]>`select id, module_id, position, title_zh from lessons where course_id = ${courseId} order by position`;
  return modules.map((m) => `${m.title_zh}[${lessons.filter((l) => l.module_id === m.id).map((l) => l.title_zh).join(',')}]`).join(' ');
}
async function lessonId(titleZh: string): Promise<string> {
  const [row] = await testSql()<{ id: string }[]>`select id from lessons where course_id = ${courseId} and title_zh = ${titleZh}`;
  return row!.id;
}
async function moduleId(titleZh: string): Promise<string> {
  const [row] = await testSql()<{ id: string }[]>`select id from course_modules where course_id = ${courseId} and title_zh = ${titleZh}`;
  return row!.id;
}
const edit = (client: FormClient, fields: Record<string, string>) => client.post(`/studio/courses/${courseId}`, fields);

/** A signed-up student of `institution`, optionally made a teacher there too. */
async function signUp(client: FormClient, institution: string, teacherToo = false): Promise<{ id: string; email: string }> {
  const email = uniqueEmail('studio');
  const res = await client.signUp({ displayName: '测试用户', email, password: 'a-long-enough-password', institutionId: await institutionIdBySlug(institution) });
  expect(res.status).toBe(302);
  const [user] = await testSql()<{ id: string }[]>`select id from users where email = ${email}`;
  if (teacherToo) await testSql()`insert into memberships (user_id, institution_id, role) values (${user!.id}, ${await institutionIdBySlug(institution)}, 'teacher')`;
  return { id: user!.id, email };
}

beforeAll(async () => {
  expect((await teacher.login('teacher@demo.edu.cn', demoPassword)).status).toBe(302);
  otherTeacherEmail = (await signUp(otherTeacher, 'fzu', true)).email;
  const student = await signUp(enrolledStudent, 'fzu');
  await signUp(outsider, 'fzu');
  const res = await teacher.post('/studio', { intent: 'create', institutionId: await institutionIdBySlug('fzu'), titleZh: '数字电路基础', titleEn: 'Digital Circuits' });
  expect(res.status).toBe(302);
  courseId = /\/studio\/courses\/([0-9a-f-]{36})$/.exec(res.headers.get('location') ?? '')![1]!;
  await testSql()`insert into enrolments (user_id, course_id) values (${student.id}, ${courseId})`;
});
afterAll(closeTestSql);

describe('a teacher builds a course', () => {
  it('lists the new draft course on /studio, taught by its creator', async () => {
    const html = await (await teacher.get('/studio')).text();
    expect(html).toContain('数字电路基础');
    expect(html).toContain('草稿');
    const [row] = await testSql()`select c.published_at, t.user_id from courses c join course_teachers t on t.course_id = c.id where c.id = ${courseId}`;
    expect(row!.published_at).toBeNull();
  });

  it('refuses to publish a course without lessons (409, with a message)', async () => {
    const res = await edit(teacher, { intent: 'publish' });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('至少要有一个学生可见的课时');
    expect((await testSql()`select published_at from courses where id = ${courseId}`)[0]!.published_at).toBeNull();
  });

  it('adds modules and lessons, in order', async () => {
    for (const title of ['第一单元', '第二单元']) expect((await edit(teacher, { intent: 'add-module', titleZh: title })).status).toBe(302);
    const [m1, m2] = [await moduleId('第一单元'), await moduleId('第二单元')];
    for (const [m, title] of [[m1, '课时甲'], [m1, '课时乙'], [m2, '课时丙']] as const) {
      expect((await edit(teacher, { intent: 'add-lesson', moduleId: m, titleZh: title })).status).toBe(302);
    }
    expect(await outline()).toBe('第一单元[课时甲,课时乙] 第二单元[课时丙]');
  });

  it('reorders lessons and modules with the move buttons (across module edges too)', async () => {
    const res = await edit(teacher, { intent: 'move-lesson', lessonId: await lessonId('课时乙'), direction: 'down' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/\?done=moved#lesson-/);
    expect(await outline()).toBe('第一单元[课时甲] 第二单元[课时乙,课时丙]');
    expect((await edit(teacher, { intent: 'move-lesson', lessonId: await lessonId('课时丙'), direction: 'up' })).status).toBe(302);
    expect(await outline()).toBe('第一单元[课时甲] 第二单元[课时丙,课时乙]');
    expect((await edit(teacher, { intent: 'move-module', moduleId: await moduleId('第二单元'), direction: 'up' })).status).toBe(302);
    expect(await outline()).toBe('第二单元[课时丙,课时乙] 第一单元[课时甲]');
    const positions = await testSql()<{ title_zh: string; position: number }[]>`select title_zh, position from lessons where course_id = ${courseId} order by position`;
    expect(positions.map((p) => `${p.position}${p.title_zh}`)).toEqual(['1课时丙', '2课时乙', '3课时甲']);
  });

  it('says when something cannot move or be deleted, changing nothing', async () => {
    const first = await edit(teacher, { intent: 'move-lesson', lessonId: await lessonId('课时丙'), direction: 'up' });
    expect(first.status).toBe(409);
    expect(await first.text()).toContain('无法再移动');
    const notEmpty = await edit(teacher, { intent: 'delete-module', moduleId: await moduleId('第一单元') });
    expect(notEmpty.status).toBe(409);
    expect(await notEmpty.text()).toContain('只能删除空单元');
    expect(await outline()).toBe('第二单元[课时丙,课时乙] 第一单元[课时甲]');
  });

  it('renames and deletes lessons and empty modules', async () => {
    expect((await edit(teacher, { intent: 'rename-lesson', lessonId: await lessonId('课时甲'), titleZh: '课时甲（修订）', titleEn: 'Lesson A' })).status).toBe(302);
    expect((await edit(teacher, { intent: 'add-module', titleZh: '临时单元' })).status).toBe(302);
    expect((await edit(teacher, { intent: 'add-lesson', moduleId: await moduleId('临时单元'), titleZh: '临时课时' })).status).toBe(302);
    expect((await edit(teacher, { intent: 'delete-lesson', lessonId: await lessonId('临时课时') })).status).toBe(302);
    expect((await edit(teacher, { intent: 'delete-module', moduleId: await moduleId('临时单元') })).status).toBe(302);
    expect(await outline()).toBe('第二单元[课时丙,课时乙] 第一单元[课时甲（修订）]');
  });

  it('saves the catalog fields with exact credits and partner institutions', async () => {
    const fields = {
      intent: 'metadata',
      titleZh: '数字电路基础',
      titleEn: 'Digital Circuits',
      summaryZh: '门电路、组合逻辑与时序逻辑。',
      descriptionZh: '从晶体管到触发器。',
      subject: 'engineering',
      level: 'gold',
      language: 'bilingual',
      credits: '2.5',
      classHours: '40',
      enrolmentPolicy: 'partners',
      partners: await institutionIdBySlug('fjnu'),
      passGrade: '65.5',
      attemptScoring: 'latest',
    };
    expect((await edit(teacher, fields)).status).toBe(200);
    const [row] = await testSql()`select credits, class_hours, pass_grade, level, enrolment_policy, attempt_scoring, search_tokens from courses where id = ${courseId}`;
    expect([row!.credits, row!.class_hours, row!.pass_grade, row!.level, row!.enrolment_policy, row!.attempt_scoring]).toEqual(['2.5', 40, '65.50', 'gold', 'partners', 'latest']);
    expect(row!.search_tokens).toEqual(expect.arrayContaining(['触发', '课时']));
    expect(await testSql()`select 1 from course_partners where course_id = ${courseId}`).toHaveLength(1);

    const bad = await edit(teacher, { ...fields, credits: '2.55', passGrade: '101' });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('最多一位小数');
    expect(html).toContain('0 到 100');
    expect((await testSql()`select credits from courses where id = ${courseId}`)[0]!.credits).toBe('2.5');
  });

  it('publishes once it has lessons; the editor links each lesson’s student preview', async () => {
    const res = await edit(teacher, { intent: 'publish' });
    expect(res.status).toBe(302);
    expect((await testSql()`select published_at from courses where id = ${courseId}`)[0]!.published_at).not.toBeNull();
    const html = await (await teacher.get(`/studio/courses/${courseId}`)).text();
    expect(html).toContain(`href="/lessons/${await lessonId('课时丙')}"`);
    expect(html).toContain('data-course-status="published"');
    expect((await teacher.get(`/lessons/${await lessonId('课时丙')}`)).status).toBe(200);
  });
});

describe('a teacher who does not teach the course', () => {
  it('gets 403 on every studio page and action of it, each refusal audited, nothing changed', async () => {
    const before = await auditCount('access.denied', { actorEmail: otherTeacherEmail });
    const lesson = await lessonId('课时丙');
    for (const path of [`/studio/courses/${courseId}`, `/studio/courses/${courseId}/stats`, `/studio/lessons/${lesson}/text`, `/studio/lessons/${lesson}/materials`]) {
      const res = await otherTeacher.get(path);
      expect(res.status, path).toBe(403);
      await res.arrayBuffer();
    }
    expect((await edit(otherTeacher, { intent: 'rename-lesson', lessonId: lesson, titleZh: '被篡改' })).status).toBe(403);
    expect((await edit(otherTeacher, { intent: 'unpublish' })).status).toBe(403);
    expect((await otherTeacher.post(`/studio/lessons/${lesson}/text`, { version: '1', bodyZh: '被篡改' })).status).toBe(403);
    expect(await auditCount('access.denied', { actorEmail: otherTeacherEmail })).toBe(before + 7);
    expect(await outline()).not.toContain('被篡改');
    expect((await testSql()`select published_at from courses where id = ${courseId}`)[0]!.published_at).not.toBeNull();
    expect((await testSql()`select body_zh from lessons where id = ${lesson}`)[0]!.body_zh).not.toContain('被篡改');
  });
});

describe('lesson text: optimistic concurrency', () => {
  it('of two saves made from the same version, one wins and the other is told it is stale (409), nothing silently lost', async () => {
    const lesson = await lessonId('课时丙');
    const version = (await testSql()<{ version: number }[]>`select version from lessons where id = ${lesson}`)[0]!.version;
    const second = new FormClient(baseUrl);
    await second.login('teacher@demo.edu.cn', demoPassword);
    const [a, b] = await Promise.all([
      teacher.post(`/studio/lessons/${lesson}/text`, { version: String(version), bodyZh: '# 甲的版本\n\n**与门**' }),
      second.post(`/studio/lessons/${lesson}/text`, { version: String(version), bodyZh: '# 乙的版本\n\n或门' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
    const [winnerText, loserText] = a.status === 200 ? ['甲的版本', '乙的版本'] : ['乙的版本', '甲的版本'];
    expect(await winner.text()).toContain(`已保存（第 ${version + 1} 版）`);
    const staleHtml = await loser.text();
    expect(staleHtml).toContain('已有其他人保存了这个课时');
    expect(staleHtml).toContain(loserText); // their draft stays in the editor
    expect(staleHtml).toContain(`<h2>${winnerText}</h2>`); // and the stored text is shown, rendered safely
    const [row] = await testSql()<{ body_zh: string; version: number }[]>`select body_zh, version from lessons where id = ${lesson}`;
    expect(row!.body_zh).toContain(winnerText);
    expect(row!.version).toBe(version + 1);

    // Saving again from the version the conflict showed is a deliberate replace.
    const retry = await (a.status === 200 ? second : teacher).post(`/studio/lessons/${lesson}/text`, { version: String(version + 1), bodyZh: `# ${loserText}\n\n<script>alert(1)</script>` });
    expect(retry.status).toBe(200);
    const page = await (await teacher.get(`/studio/lessons/${lesson}/text`)).text();
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain('<script>alert(1)');
  });
});

describe('lesson materials', () => {
  const upload = async (name: string, type: string, content: Uint8Array) =>
    teacher.postMultipart(`/studio/lessons/${await lessonId('课时丙')}/materials`, { intent: 'upload' }, { file: { name, type, content } });

  it('refuses a file whose content is not an allowed type, whatever its name or declared type (415)', async () => {
    for (const [name, content] of [
      ['讲义.pdf', Buffer.from('<html><script>alert(1)</script></html>')],
      ['setup.pdf', Buffer.from('MZ\x90\x00\x03 executable')],
      ['old-slides.ppt', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])],
    ] as const) {
      const res = await upload(name, 'application/pdf', content);
      expect(res.status, name).toBe(415);
      expect(await res.text()).toContain('不接受这种类型的文件');
    }
    expect(await testSql()`select 1 from lesson_materials m join lessons l on l.id = m.lesson_id where l.course_id = ${courseId}`).toHaveLength(0);
  });

  it('refuses a file over the size limit (413) with a message', async () => {
    const big = Buffer.concat([makePdf(), Buffer.alloc(20 * 1024 * 1024)]);
    const res = await upload('big.pdf', 'application/pdf', big);
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('文件超过 20 MB');
  });

  it('refuses a body far past the limit before reading it', async () => {
    const res = await upload('huge.pdf', 'application/pdf', Buffer.alloc(21 * 1024 * 1024));
    expect(res.status).toBe(413);
  });

  it('stores a good PDF and an Office file under their detected types, with a sanitised name and sha256', async () => {
    const pdf = makePdf('Gates');
    const res = await upload('../../第一讲 讲义<1>.PDF', 'application/octet-stream', pdf);
    expect(res.status).toBe(201);
    expect(await res.text()).toContain('已上传 第一讲 讲义1.pdf');
    expect((await upload('slides.zip', 'application/zip', makeZip(officeEntries.pptx))).status).toBe(201);
    const rows = await testSql()<{ file_name: string; content_type: string; size_bytes: number; sha256: string }[]>`
      select file_name, content_type, size_bytes, sha256 from lesson_materials where lesson_id = ${await lessonId('课时丙')} order by created_at`;
    expect(rows.map((r) => [r.file_name, r.content_type])).toEqual([
      ['第一讲 讲义1.pdf', 'application/pdf'],
      ['slides.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    ]);
    expect(rows[0]!.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(rows[0]!.size_bytes).toBe(pdf.length);
  });

  it('an enrolled student downloads it as an attachment; a student not enrolled and an anonymous visitor cannot', async () => {
    const lesson = await lessonId('课时丙');
    const [m] = await testSql()<{ id: string; sha256: string }[]>`select id, sha256 from lesson_materials where lesson_id = ${lesson} and content_type = 'application/pdf'`;
    const path = `/lessons/${lesson}/materials/${m!.id}`;
    const res = await enrolledStudent.get(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="___ __1.pdf"; filename*=UTF-8''${encodeURIComponent('第一讲 讲义1.pdf')}`);
    expect(createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex')).toBe(m!.sha256);
    // The lesson page lists it, and shows the lesson text rendered from its safe Markdown
    // (seen in the teacher's preview, which records nothing that the statistics would count).
    const lessonPage = await (await teacher.get(`/lessons/${lesson}`)).text();
    expect(lessonPage).toContain(`href="${path}"`);
    expect(lessonPage).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(lessonPage).not.toContain('<script>alert(1)');

    const refused = await outsider.get(path);
    expect(refused.status).toBe(302);
    expect(refused.headers.get('location')).toMatch(/^\/courses\/.+\?enrol=required$/);
    const anonymous = await new FormClient(baseUrl).get(path);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/^\/login/);
    const otherLesson = await enrolledStudent.get(`/lessons/${await lessonId('课时乙')}/materials/${m!.id}`);
    expect(otherLesson.status).toBe(404);
  });
});

describe('per-lesson statistics', () => {
  it('counts, among enrolled students, who reached and completed each lesson, who stopped, and how much video they watched', async () => {
    const [l1, l2, l3] = [await lessonId('课时丙'), await lessonId('课时乙'), await lessonId('课时甲（修订）')];
    const students: string[] = [];
    for (let i = 0; i < 4; i++) {
      const [u] = await testSql()<{ id: string }[]>`insert into users (display_name, pseudonym) values (${`统计学生${i}`}, ${`stat-${courseId.slice(0, 8)}-${i}`}) returning id`;
      students.push(u!.id);
      await testSql()`insert into enrolments (user_id, course_id) values (${u!.id}, ${courseId})`;
    }
    const [s0, s1, s2] = students as [string, string, string];
    const progress = async (user: string, lesson: string, fraction: number) =>
      testSql()`insert into lesson_video_progress (user_id, lesson_id, watched_fraction, completed_at) values (${user}, ${lesson}, ${fraction}, ${fraction >= 0.95 ? new Date() : null})`;
    const complete = async (user: string, lesson: string) => testSql()`insert into lesson_completions (user_id, lesson_id, text_viewed_at, completed_at) values (${user}, ${lesson}, now(), now())`;
    // s0 finishes all three; s1 completes lesson 1 and half-watches lesson 2; s2 glances at lesson 1; s3 never starts.
    for (const l of [l1, l2, l3]) {
      await progress(s0, l, 1);
      await complete(s0, l);
    }
    await progress(s1, l1, 0.97);
    await complete(s1, l1);
    await progress(s1, l2, 0.5);
    await progress(s2, l1, 0.1);
    // Someone not enrolled does not count.
    const [stranger] = await testSql()<{ id: string }[]>`insert into users (display_name, pseudonym) values ('旁人', ${`stat-${courseId.slice(0, 8)}-x`}) returning id`;
    await progress(stranger!.id, l2, 1);

    const html = await (await teacher.get(`/studio/courses/${courseId}/stats`)).text();
    expect(html).toContain('data-enrolled="5"'); // four here plus the enrolled student of the download test
    const cell = (lesson: string, stat: string) => new RegExp(`data-lesson-id="${lesson}"[\\s\\S]*?data-stat="${stat}">([^<]*)<`).exec(html)?.[1];
    expect([cell(l1, 'reached'), cell(l1, 'completed'), cell(l1, 'dropped')]).toEqual(['3 (60%)', '2 (40%)', '1 (33%)']);
    expect([cell(l2, 'reached'), cell(l2, 'completed'), cell(l2, 'dropped')]).toEqual(['2 (40%)', '1 (20%)', '1 (50%)']);
    expect([cell(l3, 'reached'), cell(l3, 'completed'), cell(l3, 'dropped')]).toEqual(['1 (20%)', '1 (20%)', '（最后一课时）']);
    expect(['0-25', '25-50', '50-75', '75-95', '95-100'].map((b) => cell(l1, `watched-${b}`))).toEqual(['1', '0', '0', '0', '2']);
    expect(['0-25', '25-50', '50-75', '75-95', '95-100'].map((b) => cell(l2, `watched-${b}`))).toEqual(['0', '0', '1', '0', '1']);
  });
});
