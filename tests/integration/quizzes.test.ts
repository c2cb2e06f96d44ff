import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient, uniqueEmail } from '../support/browserless.js';
import { closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';

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
  const res = await client.post('/signup', { displayName: '测验学生', email, password: 'a-long-enough-password', institutionId: await institutionIdBySlug('fzu') });
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
