import { randomBytes } from 'node:crypto';
import { FormClient, uniqueEmail } from './browserless.js';
import { institutionIdBySlug, testSql } from './db.js';

// Arranging credit-transfer cases: completion records are inputs the catalog issues; here
// they are inserted directly, as the course-completion code would.

/**
 * A student who signed up at /signup; unless `selfDeclared`, the institution has since verified
 * them (as its roster import does), so they may ask its registrar for credit.
 */
export async function signUpStudent(baseUrl: string, institutionSlug: string, displayName = '转学分学生', opts: { selfDeclared?: boolean } = {}) {
  const client = new FormClient(baseUrl);
  const email = uniqueEmail('credits');
  const res = await client.signUp({ displayName, email, password: 'a-long-enough-password', institutionId: await institutionIdBySlug(institutionSlug) });
  if (res.status !== 302) throw new Error(`sign-up failed: ${res.status}`);
  const [row] = await testSql()<{ id: string }[]>`select id from users where email = ${email}`;
  if (!opts.selfDeclared) await testSql()`update memberships set verification = 'roster', verified_at = now() where user_id = ${row!.id}`;
  return { client, email, userId: row!.id };
}

/** A fresh registrar of `institutionSlug`, logged in, with the authenticator registrars must enrol. */
export async function newRegistrar(baseUrl: string, institutionSlug: string, displayName = '教务老师') {
  const person = await signUpStudent(baseUrl, institutionSlug, displayName);
  const institutionId = await institutionIdBySlug(institutionSlug);
  await testSql()`delete from memberships where user_id = ${person.userId}`;
  await testSql()`insert into memberships (user_id, institution_id, role, verification, verified_at) values (${person.userId}, ${institutionId}, 'registrar', 'roster', now())`;
  const { recoveryCodes } = await person.client.enrolSecondFactor(person.email);
  return { ...person, recoveryCodes };
}

export async function newCourse(institutionSlug: string, credits: string, classHours = 48) {
  const slug = `cr-${randomBytes(4).toString('hex')}`;
  const [row] = await testSql()<{ id: string }[]>`
    insert into courses (institution_id, slug, title_zh, title_en, credits, class_hours)
    values (${await institutionIdBySlug(institutionSlug)}, ${slug}, ${`数据结构 ${slug}`}, ${`Data Structures ${slug}`}, ${credits}, ${classHours})
    returning id`;
  return { id: row!.id, slug };
}

export async function newCompletionRecord(userId: string, course: { id: string }, finalGrade: string | null, completedOn = '2026-01-15') {
  const [row] = await testSql()<{ id: string }[]>`
    insert into completion_records (user_id, course_id, institution_id, course_slug, course_title_zh, course_title_en, institution_name_zh, institution_name_en, credits, class_hours, final_grade, completed_on)
    select ${userId}, c.id, c.institution_id, c.slug, c.title_zh, c.title_en, i.name_zh, i.name_en, c.credits, c.class_hours, ${finalGrade}, ${completedOn}
    from courses c join institutions i on i.id = c.institution_id where c.id = ${course.id}
    returning id`;
  return row!.id;
}

export async function requestRow(requestId: string) {
  const [row] = await testSql()`select * from credit_requests where id = ${requestId}`;
  return row!;
}

export function requestIdFrom(res: Response): string {
  const m = /\/credits\/requests\/([0-9a-f-]{36})/.exec(res.headers.get('location') ?? '');
  if (!m) throw new Error(`no request id in ${res.status} ${res.headers.get('location')}`);
  return m[1]!;
}
