import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient, uniqueEmail } from '../support/browserless.js';
import { auditCount, closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';

const baseUrl = inject('baseUrl');
afterAll(closeTestSql);

let teacher: FormClient;
beforeAll(async () => {
  teacher = new FormClient(baseUrl);
  expect((await teacher.login('teacher@demo.edu.cn', demoPassword)).status).toBe(302);
});

type Item = { kind: 'single' | 'multiple' | 'numeric' | 'text'; options?: string[]; answerKey: object; points?: string; feedbackZh?: string };
// The four kinds, with the answer keys a teacher would set: option ids are o1, o2, ...
const fourKinds: Item[] = [
  { kind: 'single', options: ['2', '3', '6'], answerKey: { kind: 'single', optionId: 'o2' }, feedbackZh: '列数决定维数。' },
  { kind: 'multiple', options: ['2v + 3w', 'v·w', '-v'], answerKey: { kind: 'multiple', optionIds: ['o1', 'o3'] }, points: '2' },
  { kind: 'numeric', answerKey: { kind: 'numeric', value: 2.5, tolerance: 0.05 } },
  { kind: 'text', answerKey: { kind: 'text', accepted: ['欠定方程组', 'underdetermined'] }, points: '0.5' },
];

/**
 * A published course of the demo teacher with `lessons` lessons; the last one holds only a
 * quiz (no video, no text), so submitting it is what completes that lesson.
 */
async function makeCourse(opts: { lessons?: number; attemptsAllowed?: number; items?: Item[]; passGrade?: string } = {}) {
  const sql = testSql();
  const slug = `quiz-test-${randomBytes(4).toString('hex')}`;
  const [course] = await sql<{ id: string }[]>`
    insert into courses (institution_id, slug, title_zh, pass_grade, published_at)
    values (${await institutionIdBySlug('fzu')}, ${slug}, '测验测试课程', ${opts.passGrade ?? '60'}, now()) returning id`;
  await sql`insert into course_teachers (course_id, user_id) select ${course!.id}, id from users where email = 'teacher@demo.edu.cn'`;
  const lessonIds: string[] = [];
  const count = opts.lessons ?? 1;
  for (let i = 1; i <= count; i++) {
    const [l] = await sql<{ id: string }[]>`insert into lessons (course_id, position, title_zh, body_zh) values (${course!.id}, ${i}, ${`第${i}讲`}, ${i < count ? '讲义' : ''}) returning id`;
    lessonIds.push(l!.id);
  }
  const lessonId = lessonIds[count - 1]!;
  const [quiz] = await sql<{ id: string }[]>`insert into quizzes (lesson_id, attempts_allowed) values (${lessonId}, ${opts.attemptsAllowed ?? 2}) returning id`;
  const itemIds: string[] = [];
  for (const [i, item] of (opts.items ?? fourKinds).entries()) {
    const options = (item.options ?? []).map((label, o) => ({ id: `o${o + 1}`, labelZh: label }));
    const [row] = await sql<{ id: string }[]>`
      insert into quiz_items (quiz_id, position, kind, prompt_zh, options, answer_key, points, feedback_zh)
      values (${quiz!.id}, ${i + 1}, ${item.kind}, ${`题目${i + 1}`}, ${sql.json(options)}, ${sql.json(item.answerKey as never)}, ${item.points ?? '1'}, ${item.feedbackZh ?? ''})
      returning id`;
    itemIds.push(row!.id);
  }
  return { courseId: course!.id, slug, lessonIds, lessonId, quizId: quiz!.id, itemIds };
}

/** A new student of fzu, signed in, enrolled in the course unless told otherwise. */
async function newStudent(courseId: string | null) {
  const client = new FormClient(baseUrl);
  const email = uniqueEmail('quiz');
  const res = await client.signUp({ displayName: '测验学生', email, password: 'a-long-enough-password', institutionId: await institutionIdBySlug('fzu') });
  expect(res.status).toBe(302);
  const [user] = await testSql()<{ id: string }[]>`select id from users where email = ${email}`;
  if (courseId) await testSql()`insert into enrolments (user_id, course_id) values (${user!.id}, ${courseId})`;
  return { client, userId: user!.id };
}

const field = (itemId: string) => `answer-${itemId}`;

/** Form fields for an attempt; a choice item takes an array (checkboxes send the name once per box). */
function answers(itemIds: string[], values: (string | string[] | undefined)[], attemptNo: number): URLSearchParams {
  const body = new URLSearchParams({ attemptNo: String(attemptNo) });
  values.forEach((v, i) => [v ?? []].flat().forEach((x) => body.append(field(itemIds[i]!), x)));
  return body;
}

async function submit(client: FormClient, lessonId: string, body: URLSearchParams): Promise<Response> {
  body.set('csrf', decodeURIComponent(await client.csrfToken()));
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return fetch(`${baseUrl}/lessons/${lessonId}/quiz`, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie, 'X-Forwarded-For': client.ip },
    redirect: 'manual',
  });
}

async function attemptsOf(userId: string, quizId: string) {
  return testSql()<{ attempt_no: number; score: string; max_score: string; results: { itemId: string; correct: boolean; points: number }[] }[]>`
    select attempt_no, score, max_score, results from quiz_attempts where user_id = ${userId} and quiz_id = ${quizId} order by attempt_no`;
}

const right = ['o2', ['o1', 'o3'], '2.5', 'underdetermined'];

describe('taking a quiz', () => {
  it('shows every question as a fieldset with its legend, without JavaScript', async () => {
    const c = await makeCourse();
    const { client } = await newStudent(c.courseId);
    const res = await client.get(`/lessons/${c.lessonId}/quiz`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.match(/<fieldset class="quiz-item"/g)).toHaveLength(4);
    expect(html.match(/<legend>/g)).toHaveLength(4);
    expect(html).toContain(`type="radio" name="${field(c.itemIds[0]!)}" value="o1"`);
    expect(html).toContain(`type="checkbox" name="${field(c.itemIds[1]!)}" value="o3"`);
    expect(html).toContain('<input type="hidden" name="attemptNo" value="1"/>');
    expect(html).not.toContain('<script');
    // The answer keys never reach the student.
    expect(html).not.toContain('underdetermined');
  });

  it('grades the four kinds, stores the attempt and shows the score with per-question feedback', async () => {
    const c = await makeCourse();
    const { client, userId } = await newStudent(c.courseId);
    // single right, multiple wrong (a subset), numeric within tolerance, text right after folding case and width.
    const res = await submit(client, c.lessonId, answers(c.itemIds, ['o2', ['o1'], ' 2.54 ', 'ＵＮＤＥＲＤＥＴＥＲＭＩＮＥＤ '], 1));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/lessons/${c.lessonId}/quiz?attempt=1`);
    const [attempt] = await attemptsOf(userId, c.quizId);
    expect([attempt!.score, attempt!.max_score]).toEqual(['2.50', '4.50']);
    expect(attempt!.results.map((r) => r.correct)).toEqual([true, false, true, true]);

    const page = await (await client.get(`/lessons/${c.lessonId}/quiz?attempt=1`)).text();
    expect(page).toContain('得分：2.50 / 4.50（55.6%）');
    expect(page).toContain('讲解：列数决定维数。');
    expect(page.match(/class="quiz-result correct"/g)).toHaveLength(3);
    expect(page.match(/class="quiz-result incorrect"/g)).toHaveLength(1);
    expect(page).toContain('提交第 2 次作答');
  });

  it('numeric answers outside the tolerance and wrong texts score nothing', async () => {
    const c = await makeCourse();
    const { client, userId } = await newStudent(c.courseId);
    expect((await submit(client, c.lessonId, answers(c.itemIds, ['o1', ['o1', 'o2', 'o3'], '2.56', '欠定'], 1))).status).toBe(302);
    const [attempt] = await attemptsOf(userId, c.quizId);
    expect(attempt!.score).toBe('0.00');
  });

  it('refuses a malformed answer without spending an attempt, keeping what was typed', async () => {
    const c = await makeCourse();
    const { client, userId } = await newStudent(c.courseId);
    const res = await submit(client, c.lessonId, answers(c.itemIds, ['o2', ['o1'], 'two and a half', '欠定方程组'], 1));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('答卷没有提交');
    expect(html).toContain('请填写一个数字');
    expect(html).toContain('value="two and a half"');
    expect(await attemptsOf(userId, c.quizId)).toHaveLength(0);
    // An option of another question is refused too.
    expect((await submit(client, c.lessonId, answers(c.itemIds, ['o9', [], '', ''], 1))).status).toBe(400);
    expect(await attemptsOf(userId, c.quizId)).toHaveLength(0);
  });

  it('refuses an attempt over the limit with a message and keeps the earlier ones unchanged', async () => {
    const c = await makeCourse({ attemptsAllowed: 2 });
    const { client, userId } = await newStudent(c.courseId);
    expect((await submit(client, c.lessonId, answers(c.itemIds, right, 1))).status).toBe(302);
    expect((await submit(client, c.lessonId, answers(c.itemIds, ['o1', [], '', ''], 2))).status).toBe(302);
    const before = await attemptsOf(userId, c.quizId);
    const refused = await submit(client, c.lessonId, answers(c.itemIds, right, 3));
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('你已用完全部 2 次作答机会，这次提交没有被接受');
    expect(await attemptsOf(userId, c.quizId)).toEqual(before);
    expect(before.map((a) => a.score)).toEqual(['4.50', '0.00']);
    const page = await (await client.get(`/lessons/${c.lessonId}/quiz`)).text();
    expect(page).not.toContain('<form method="post" action="/lessons');
    expect(page).toContain('你已用完全部 2 次作答机会');
  });

  it('refuses answers after the due date with a message, the earlier attempt kept', async () => {
    const c = await makeCourse({ attemptsAllowed: 3 });
    const { client, userId } = await newStudent(c.courseId);
    await testSql()`update quizzes set due_at = now() + interval '1 hour' where id = ${c.quizId}`;
    expect((await submit(client, c.lessonId, answers(c.itemIds, right, 1))).status).toBe(302);
    await testSql()`update quizzes set due_at = now() - interval '1 minute' where id = ${c.quizId}`;
    const refused = await submit(client, c.lessonId, answers(c.itemIds, ['o1', [], '', ''], 2));
    expect(refused.status).toBe(409);
    expect(await refused.text()).toMatch(/测验已于 .+ 截止，这次提交没有被接受。你之前的作答和成绩都保留着/);
    const kept = await attemptsOf(userId, c.quizId);
    expect(kept.map((a) => [a.attempt_no, a.score])).toEqual([[1, '4.50']]);
    expect(await (await client.get(`/lessons/${c.lessonId}/quiz?attempt=1`)).text()).toContain('得分：4.50 / 4.50');
  });

  it('a double submit records one attempt, even with attempts to spare', async () => {
    const c = await makeCourse({ attemptsAllowed: 5 });
    const { client, userId } = await newStudent(c.courseId);
    const results = await Promise.all([1, 2, 3].map(() => submit(client, c.lessonId, answers(c.itemIds, right, 1))));
    expect(results.map((r) => r.status).sort()).toEqual([302, 409, 409]);
    const refusal = await results.find((r) => r.status === 409)!.text();
    expect(refusal).toContain('这份答卷已经提交过了');
    expect((await attemptsOf(userId, c.quizId)).map((a) => a.attempt_no)).toEqual([1]);
  });

  it('a quiz without questions records nothing, even from a forged post', async () => {
    const c = await makeCourse({ items: [] });
    const { client, userId } = await newStudent(c.courseId);
    const page = await (await client.get(`/lessons/${c.lessonId}/quiz`)).text();
    expect(page).toContain('这个测验还没有题目');
    expect(page).not.toContain('name="attemptNo"');
    expect((await submit(client, c.lessonId, new URLSearchParams({ attemptNo: '1' }))).status).toBe(409);
    expect(await attemptsOf(userId, c.quizId)).toHaveLength(0);
  });

  it('a student cannot see another student’s attempt', async () => {
    const c = await makeCourse();
    const a = await newStudent(c.courseId);
    const b = await newStudent(c.courseId);
    expect((await submit(a.client, c.lessonId, answers(c.itemIds, right, 1))).status).toBe(302);
    expect((await b.client.get(`/lessons/${c.lessonId}/quiz?attempt=1`)).status).toBe(404);
  });

  it('a student not enrolled is sent to the course page and nothing is recorded', async () => {
    const c = await makeCourse();
    const { client, userId } = await newStudent(null);
    const page = await client.get(`/lessons/${c.lessonId}/quiz`);
    expect([page.status, page.headers.get('location')]).toEqual([302, `/courses/${c.slug}?enrol=required`]);
    const res = await submit(client, c.lessonId, answers(c.itemIds, right, 1));
    expect(res.status).toBe(302);
    expect(await attemptsOf(userId, c.quizId)).toHaveLength(0);
    expect((await new FormClient(baseUrl).get(`/lessons/${c.lessonId}/quiz`)).headers.get('location')).toMatch(/^\/login/);
  });

  it('a teacher’s preview is graded but never recorded', async () => {
    const c = await makeCourse();
    const page = await teacher.get(`/lessons/${c.lessonId}/quiz`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('预览模式');
    const res = await submit(teacher, c.lessonId, answers(c.itemIds, right, 1));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('预览评分（未记录）');
    expect(html).toContain('得分：4.50 / 4.50（100%）');
    expect(await testSql()`select 1 from quiz_attempts where quiz_id = ${c.quizId}`).toHaveLength(0);
    expect(await testSql()`select 1 from lesson_completions where lesson_id = ${c.lessonId}`).toHaveLength(0);
  });
});

describe('a quiz submission and course completion', () => {
  it('completes the lesson; with every lesson complete and the grade at the pass mark, a completion record is issued', async () => {
    const c = await makeCourse({ lessons: 2, attemptsAllowed: 2, passGrade: '80' });
    const { client, userId } = await newStudent(c.courseId);
    // The first lesson is already complete (its text was read).
    await testSql()`insert into lesson_completions (user_id, lesson_id, text_viewed_at, completed_at) values (${userId}, ${c.lessonIds[0]!}, now(), now())`;

    // 2.50 of 4.50 = 55.56 %: the lesson is complete, the course is not (below 80).
    expect((await submit(client, c.lessonId, answers(c.itemIds, ['o2', ['o1'], '2.5', '欠定方程组'], 1))).status).toBe(302);
    const [done] = await testSql()`select completed_at from lesson_completions where user_id = ${userId} and lesson_id = ${c.lessonId}`;
    expect(done?.completed_at).toBeInstanceOf(Date);
    expect(await testSql()`select 1 from completion_records where user_id = ${userId}`).toHaveLength(0);
    expect(await (await client.get(`/lessons/${c.lessonId}/quiz?attempt=1`)).text()).not.toContain('你已完成本课程');

    // A full marks second attempt: the best counts, 100 % ≥ 80, the record is issued with that grade.
    expect((await submit(client, c.lessonId, answers(c.itemIds, right, 2))).status).toBe(302);
    const records = await testSql()<{ final_grade: string; course_slug: string }[]>`select final_grade, course_slug from completion_records where user_id = ${userId}`;
    expect(records).toEqual([{ final_grade: '100.00', course_slug: c.slug }]);
    expect(await (await client.get(`/lessons/${c.lessonId}/quiz?attempt=2`)).text()).toContain('你已完成本课程，结业记录已经生成');
  });

  it('does not issue a record while another lesson is incomplete', async () => {
    const c = await makeCourse({ lessons: 2 });
    const { client, userId } = await newStudent(c.courseId);
    expect((await submit(client, c.lessonId, answers(c.itemIds, right, 1))).status).toBe(302);
    expect(await testSql()`select 1 from lesson_completions where user_id = ${userId} and lesson_id = ${c.lessonId} and completed_at is not null`).toHaveLength(1);
    expect(await testSql()`select 1 from completion_records where user_id = ${userId}`).toHaveLength(0);
  });
});

describe('the quiz builder', () => {
  const builder = (lessonId: string) => `/studio/lessons/${lessonId}/quiz`;
  async function emptyLesson() {
    const c = await makeCourse();
    const [l] = await testSql()<{ id: string }[]>`insert into lessons (course_id, position, title_zh) values (${c.courseId}, 2, '没有测验的一讲') returning id`;
    return { ...c, bareLessonId: l!.id };
  }
  const itemsOf = (lessonId: string) =>
    testSql()<{ id: string; position: number; kind: string; prompt_zh: string; options: { id: string; labelZh: string; labelEn?: string }[]; answer_key: object; points: string }[]>`
      select i.id, i.position, i.kind, i.prompt_zh, i.options, i.answer_key, i.points from quiz_items i join quizzes q on q.id = i.quiz_id
      where q.lesson_id = ${lessonId} order by i.position`;

  it('a teacher creates a quiz, sets it up and adds a question of each kind, which a student can then take', async () => {
    const c = await emptyLesson();
    expect(await (await teacher.get(builder(c.bareLessonId))).text()).toContain('这一讲还没有测验');
    expect((await teacher.post(builder(c.bareLessonId), { intent: 'create' })).status).toBe(302);
    const settings = await teacher.post(builder(c.bareLessonId), { intent: 'settings', attemptsAllowed: '3', dueAt: '2031-07-01T23:59', weight: '2.5' });
    expect(settings.status).toBe(302);
    const [quiz] = await testSql()<{ attempts_allowed: number; due_at: Date; weight: string }[]>`select attempts_allowed, due_at, weight from quizzes where lesson_id = ${c.bareLessonId}`;
    // 23:59 in Beijing is 15:59 UTC.
    expect([quiz!.attempts_allowed, quiz!.due_at.toISOString(), quiz!.weight]).toEqual([3, '2031-07-01T15:59:00.000Z', '2.50']);

    const common = { intent: 'save-item', points: '2', feedbackZh: '讲解' };
    const saves = [
      { ...common, kind: 'single', promptZh: '单选', 'options[0].labelZh': '甲', 'options[1].labelZh': '乙', 'options[1].labelEn': 'B', 'options[2].labelZh': '', correct: '1' },
      { ...common, kind: 'multiple', promptZh: '多选', 'options[0].labelZh': '甲', 'options[1].labelZh': '乙', 'options[2].labelZh': '丙', correct: ['0', '2'] },
      { ...common, kind: 'numeric', promptZh: '数值', answerValue: '3.14', tolerance: '0.01' },
      { ...common, kind: 'text', promptZh: '简答', accepted: '特征值\n eigenvalue \n\n' },
    ];
    for (const fields of saves) {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) [v].flat().forEach((x) => body.append(k, x));
      body.set('csrf', decodeURIComponent(await teacher.csrfToken()));
      const res = await fetch(baseUrl + builder(c.bareLessonId), {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: [...teacher.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'X-Forwarded-For': teacher.ip },
        redirect: 'manual',
      });
      expect(res.status, fields.kind).toBe(302);
    }
    const items = await itemsOf(c.bareLessonId);
    expect(items.map((i) => [i.position, i.kind, i.points])).toEqual([
      [1, 'single', '2.00'],
      [2, 'multiple', '2.00'],
      [3, 'numeric', '2.00'],
      [4, 'text', '2.00'],
    ]);
    expect(items[0]!.options).toEqual([{ id: 'o1', labelZh: '甲' }, { id: 'o2', labelZh: '乙', labelEn: 'B' }]);
    expect(items.map((i) => i.answer_key)).toEqual([
      { kind: 'single', optionId: 'o2' },
      { kind: 'multiple', optionIds: ['o1', 'o3'] },
      { kind: 'numeric', value: 3.14, tolerance: 0.01 },
      { kind: 'text', accepted: ['特征值', 'eigenvalue'] },
    ]);

    const { client, userId } = await newStudent(c.courseId);
    const res = await submit(client, c.bareLessonId, answers(items.map((i) => i.id), ['o2', ['o3', 'o1'], '3.15', 'EIGENVALUE'], 1));
    expect(res.status).toBe(302);
    const [attempt] = await testSql()<{ score: string; max_score: string }[]>`select a.score, a.max_score from quiz_attempts a join quizzes q on q.id = a.quiz_id where q.lesson_id = ${c.bareLessonId} and a.user_id = ${userId}`;
    expect([attempt!.score, attempt!.max_score]).toEqual(['8.00', '8.00']);
  });

  it('editing keeps option ids, and questions can be moved and removed, the numbering kept without gaps', async () => {
    const c = await makeCourse();
    const [first, second, third] = c.itemIds;
    const edit = await teacher.post(builder(c.lessonId), {
      intent: 'save-item',
      itemId: first!,
      kind: 'single',
      promptZh: '改过的题目',
      points: '1.5',
      'options[0].id': 'o1',
      'options[0].labelZh': '二',
      'options[1].id': 'o2',
      'options[1].labelZh': '三',
      'options[2].id': 'o3',
      'options[2].labelZh': '',
      'options[3].labelZh': '四',
      correct: '3',
    });
    expect(edit.status).toBe(302);
    let items = await itemsOf(c.lessonId);
    expect(items[0]!.prompt_zh).toBe('改过的题目');
    expect(items[0]!.options.map((o) => o.id)).toEqual(['o1', 'o2', 'o4']);
    expect(items[0]!.answer_key).toEqual({ kind: 'single', optionId: 'o4' });

    expect((await teacher.post(builder(c.lessonId), { intent: 'move-item', itemId: third!, direction: 'up' })).status).toBe(302);
    items = await itemsOf(c.lessonId);
    expect(items.map((i) => i.id)).toEqual([first, third, second, c.itemIds[3]]);
    expect((await teacher.post(builder(c.lessonId), { intent: 'remove-item', itemId: third! })).status).toBe(302);
    items = await itemsOf(c.lessonId);
    expect(items.map((i) => [i.id, i.position])).toEqual([
      [first, 1],
      [second, 2],
      [c.itemIds[3], 3],
    ]);
  });

  it('refuses a question without a correct option, saying what is wrong, and stores nothing', async () => {
    const c = await makeCourse();
    const before = await itemsOf(c.lessonId);
    const res = await teacher.post(builder(c.lessonId), { intent: 'save-item', kind: 'single', promptZh: '没有答案', points: '1', 'options[0].labelZh': '甲', 'options[1].labelZh': '乙' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('单选题须恰好标出一个正确选项');
    expect(html).toContain('没有答案'); // what was typed is kept
    const bad = await teacher.post(builder(c.lessonId), { intent: 'settings', attemptsAllowed: '0', dueAt: '2031-02-30T10:00', weight: '-1' });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    for (const message of ['作答次数须是 1 到 100 之间的整数', '请填写有效的日期和时间', '权重须是 0 到 9999.99 之间的数']) expect(badHtml).toContain(message);
    expect(await itemsOf(c.lessonId)).toEqual(before);
    expect((await testSql()`select attempts_allowed from quizzes where id = ${c.quizId}`)[0]!.attempts_allowed).toBe(2);
  });

  it('sets the course grading policy, which decides which attempt counts', async () => {
    const c = await makeCourse({ lessons: 2, attemptsAllowed: 3, passGrade: '50' });
    expect((await teacher.post(builder(c.lessonId), { intent: 'policy', attemptScoring: 'latest', passGrade: '55.5' })).status).toBe(302);
    expect((await testSql()`select attempt_scoring, pass_grade from courses where id = ${c.courseId}`)[0]).toEqual({ attempt_scoring: 'latest', pass_grade: '55.50' });
    const { client, userId } = await newStudent(c.courseId);
    const worse = ['o2', ['o1'], '2.5', '欠定方程组']; // 2.5 / 4.5 = 55.56 %
    expect((await submit(client, c.lessonId, answers(c.itemIds, right, 1))).status).toBe(302);
    expect((await submit(client, c.lessonId, answers(c.itemIds, worse, 2))).status).toBe(302);
    // The other lesson completes later; the next attempt issues the record with the latest score, not the best.
    await testSql()`insert into lesson_completions (user_id, lesson_id, text_viewed_at, completed_at) values (${userId}, ${c.lessonIds[0]!}, now(), now())`;
    expect((await submit(client, c.lessonId, answers(c.itemIds, worse, 3))).status).toBe(302);
    const records = await testSql()`select final_grade from completion_records where user_id = ${userId}`;
    expect(records.map((r) => r.final_grade)).toEqual(['55.56']);
    expect(await (await client.get(`/lessons/${c.lessonId}/quiz`)).text()).toContain('计入课程成绩的是你最后一次作答');
  });

  it('deleting a quiz is refused once a student has submitted it', async () => {
    const c = await makeCourse();
    const { client } = await newStudent(c.courseId);
    expect((await submit(client, c.lessonId, answers(c.itemIds, right, 1))).status).toBe(302);
    const res = await teacher.post(builder(c.lessonId), { intent: 'delete-quiz' });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('已有学生作答，不能删除测验');
    expect(await testSql()`select 1 from quiz_attempts where quiz_id = ${c.quizId}`).toHaveLength(1);
    const fresh = await makeCourse();
    expect((await teacher.post(builder(fresh.lessonId), { intent: 'delete-quiz' })).status).toBe(302);
    expect(await testSql()`select 1 from quizzes where id = ${fresh.quizId}`).toHaveLength(0);
  });

  it('only the course’s teachers may build its quiz: others get 403 and nothing changes', async () => {
    const c = await makeCourse();
    const { client } = await newStudent(c.courseId);
    const attempts: Record<string, string>[] = [{ intent: 'settings', attemptsAllowed: '99', weight: '1' }, { intent: 'remove-item', itemId: c.itemIds[0]! }, { intent: 'policy', attemptScoring: 'latest', passGrade: '0' }];
    for (const fields of attempts) {
      expect((await client.post(builder(c.lessonId), fields)).status, fields.intent).toBe(403);
    }
    expect((await client.get(builder(c.lessonId))).status).toBe(403);
    expect(await itemsOf(c.lessonId)).toHaveLength(4);
    expect((await testSql()`select attempts_allowed from quizzes where id = ${c.quizId}`)[0]!.attempts_allowed).toBe(2);
    expect((await testSql()`select pass_grade from courses where id = ${c.courseId}`)[0]!.pass_grade).toBe('60.00');
  });
});

describe('regrading after the answer key changed', () => {
  const builder = (lessonId: string) => `/studio/lessons/${lessonId}/quiz`;

  it('editing an item changes no grade by itself; the teacher sees how many attempts would change, regrades them, and a course can then complete', async () => {
    // A quiz-only course at pass mark 80: the single-choice item's key was set wrong (o1).
    const items: Item[] = [{ kind: 'single', options: ['2', '3', '6'], answerKey: { kind: 'single', optionId: 'o1' }, points: '4' }, fourKinds[2]!];
    const c = await makeCourse({ items, passGrade: '80', attemptsAllowed: 1 });
    const a = await newStudent(c.courseId);
    const b = await newStudent(c.courseId);
    // a answered o2 (actually right), b answered o1; both got the numeric item right.
    expect((await submit(a.client, c.lessonId, answers(c.itemIds, ['o2', '2.5'], 1))).status).toBe(302);
    expect((await submit(b.client, c.lessonId, answers(c.itemIds, ['o1', '2.5'], 1))).status).toBe(302);
    expect((await attemptsOf(a.userId, c.quizId)).map((x) => x.score)).toEqual(['1.00']);
    expect(await testSql()`select 1 from completion_records where user_id = ${a.userId}`).toHaveLength(0);
    // b passed against the wrong key and got a completion record at once.
    expect(await testSql()`select final_grade from completion_records where user_id = ${b.userId}`).toEqual([{ final_grade: '100.00' }]);
    let page = await (await teacher.get(builder(c.lessonId))).text();
    expect(page).not.toContain('data-stale-attempts');

    // The teacher corrects the key to o2: the stored grades stay until asked.
    const fixed = await teacher.post(builder(c.lessonId), {
      intent: 'save-item', itemId: c.itemIds[0]!, kind: 'single', promptZh: '题目1', points: '4',
      'options[0].id': 'o1', 'options[0].labelZh': '2', 'options[1].id': 'o2', 'options[1].labelZh': '3', 'options[2].id': 'o3', 'options[2].labelZh': '6', correct: '1',
    });
    expect(fixed.status).toBe(302);
    expect((await attemptsOf(a.userId, c.quizId)).map((x) => x.score)).toEqual(['1.00']);
    page = await (await teacher.get(builder(c.lessonId))).text();
    expect(page).toContain('data-stale-attempts="2"');
    expect(page).toContain('按当前题目重新评分这 2 次作答');

    // Only the course's teachers may regrade.
    expect((await a.client.post(builder(c.lessonId), { intent: 'regrade' })).status).toBe(403);
    const audits = await auditCount('quiz.regraded', { actorEmail: 'teacher@demo.edu.cn' });
    const res = await teacher.post(builder(c.lessonId), { intent: 'regrade' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${builder(c.lessonId)}?regraded=2&students=2`);
    expect(await auditCount('quiz.regraded', { actorEmail: 'teacher@demo.edu.cn' })).toBe(audits + 1);

    const [regradedA] = await attemptsOf(a.userId, c.quizId);
    const [regradedB] = await attemptsOf(b.userId, c.quizId);
    expect([regradedA!.score, regradedA!.max_score, regradedA!.results.map((r) => r.correct)]).toEqual(['5.00', '5.00', [true, true]]);
    expect([regradedB!.score, regradedB!.results.map((r) => r.correct)]).toEqual(['1.00', [false, true]]);
    // a now passes (100 % ≥ 80) and the course, whose only lesson is the quiz, is complete.
    expect(await testSql()`select final_grade from completion_records where user_id = ${a.userId}`).toEqual([{ final_grade: '100.00' }]);
    // b's record is an issued snapshot: the regrade lowers the attempt, not the record.
    expect(await testSql()`select final_grade from completion_records where user_id = ${b.userId}`).toEqual([{ final_grade: '100.00' }]);
    // The student sees the new grading on their attempt.
    expect(await (await a.client.get(`/lessons/${c.lessonId}/quiz?attempt=1`)).text()).toContain('你已完成本课程');
    page = await (await teacher.get(`${builder(c.lessonId)}?regraded=2&students=2`)).text();
    expect(page).not.toContain('data-stale-attempts');
    expect(page).toContain('已重新评分 2 次作答（涉及 2 名学生）');
  });
});

describe('two teachers editing one question', () => {
  const builder = (lessonId: string) => `/studio/lessons/${lessonId}/quiz`;
  const saveNumeric = (c: { lessonId: string; itemIds: string[] }, version: string, promptZh: string, answerValue: string) =>
    teacher.post(builder(c.lessonId), { intent: 'save-item', itemId: c.itemIds[0]!, version, kind: 'numeric', promptZh, points: '2', answerValue, tolerance: '0' });

  it('the second save made from the same version is refused with 409, keeps its draft on screen and changes nothing stored', async () => {
    const c = await makeCourse({ items: [fourKinds[2]!] });
    const page = await (await teacher.get(builder(c.lessonId))).text();
    expect(page).toContain('name="version" value="1"');

    expect((await saveNumeric(c, '1', '第一位老师的题目', '7')).status).toBe(302);
    const refused = await saveNumeric(c, '1', '第二位老师的草稿', '9');
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain('有人已保存过这道题');
    expect(html).toContain('第二位老师的草稿');
    const stored = async () => (await testSql()`select prompt_zh, answer_key, version from quiz_items where id = ${c.itemIds[0]!}`)[0];
    expect(await stored()).toMatchObject({ prompt_zh: '第一位老师的题目', answer_key: { kind: 'numeric', value: 7 }, version: 2 });
    // The form now carries the stored version: saving the draft again replaces it.
    expect(html).toContain('name="version" value="2"');
    expect((await saveNumeric(c, '2', '第二位老师的草稿', '9')).status).toBe(302);
    expect(await stored()).toMatchObject({ prompt_zh: '第二位老师的草稿', answer_key: { kind: 'numeric', value: 9 }, version: 3 });
  });
});
