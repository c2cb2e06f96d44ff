import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient } from '../support/browserless.js';
import { newCompletionRecord, newCourse, signUpStudent } from '../support/credits.js';
import { auditCount, closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';

// The case from the issue: an address at a public mail service chose 福建师范大学 at /signup and was
// at once a student there. Self-declared, that membership takes open courses only; the
// institution's registrar verifies it, and only then own-students courses and credit requests work.

const baseUrl = inject('baseUrl');
afterAll(closeTestSql);

let fjnuId = '';
let registrar: FormClient;

beforeAll(async () => {
  fjnuId = await institutionIdBySlug('fjnu');
  registrar = new FormClient(baseUrl);
  expect((await registrar.login('registrar@demo.edu.cn', demoPassword)).status).toBe(302);
});

async function membershipOf(userId: string) {
  const [row] = await testSql()<{ id: string; verification: string; verified_at: Date | null; verified_by: string | null }[]>`
    select id, verification, verified_at, verified_by from memberships where user_id = ${userId} and institution_id = ${fjnuId} and role = 'student'`;
  return row!;
}

const enrol = (client: FormClient, slug: string) => client.post(`/courses/${slug}`, { intent: 'enrol' });
const askForCredit = (client: FormClient, recordId: string) => client.post('/credits', { completionRecordId: recordId, institutionId: fjnuId, targetKind: 'elective' });

describe('a self-declared member of 福建师范大学', () => {
  it('is refused at enrolment in an own-students course and at a credit request, told why and how to get verified; open courses still work', async () => {
    const person = await signUpStudent(baseUrl, 'fjnu', '自称师大学生', { selfDeclared: true });
    expect((await membershipOf(person.userId)).verification).toBe('self-declared');

    const refused = await enrol(person.client, 'fjnu-educational-psychology');
    expect(refused.status).toBe(403);
    const page = await refused.text();
    expect(page).toContain('尚未核实');
    expect(page).toContain('统一身份认证');
    expect(await testSql()`select 1 from enrolments e join courses c on c.id = e.course_id where e.user_id = ${person.userId} and c.slug = 'fjnu-educational-psychology'`).toHaveLength(0);
    // The course page says the same before the button is pressed.
    expect(await (await person.client.get('/courses/fjnu-educational-psychology')).text()).toContain('尚未核实');

    expect((await enrol(person.client, 'fjnu-chinese-classics')).status).toBe(302);

    const record = await newCompletionRecord(person.userId, await newCourse('fzu', '2.0'), '88.00');
    const credit = await askForCredit(person.client, record);
    expect(credit.status).toBe(403);
    expect(await credit.text()).toContain('还不能向它申请学分认定');
    expect(await testSql()`select 1 from credit_requests where user_id = ${person.userId}`).toHaveLength(0);
    // The credits page offers no request to an institution that has not verified them.
    const creditsPage = await (await person.client.get('/credits')).text();
    expect(creditsPage).toContain('尚未核实，暂不能向其申请学分认定');
    expect(creditsPage).not.toContain(`name="institutionId"`);
  });
});

describe('a registrar verifies the membership', () => {
  it('sees it as self-declared, approves it (who and when, audited), and the student may then enrol and ask for credit, with the verification on the request', async () => {
    const person = await signUpStudent(baseUrl, 'fjnu', '待核实学生', { selfDeclared: true });
    const membership = await membershipOf(person.userId);

    const members = await (await registrar.get('/institutions/fjnu/members')).text();
    expect(members).toContain('待核实学生');
    expect(members).toContain('自行填报（未核实）');

    const auditsBefore = await auditCount('membership.verified', { actorEmail: 'registrar@demo.edu.cn', subjectEmail: person.email });
    const approved = await registrar.post('/institutions/fjnu/members', { intent: 'approve-membership', membershipId: membership.id });
    expect(approved.status).toBe(200);
    const [registrarRow] = await testSql()<{ id: string }[]>`select id from users where email = 'registrar@demo.edu.cn'`;
    const after = await membershipOf(person.userId);
    expect(after.verification).toBe('registrar-approval');
    expect(after.verified_by).toBe(registrarRow!.id);
    expect(after.verified_at).not.toBeNull();
    expect(await auditCount('membership.verified', { actorEmail: 'registrar@demo.edu.cn', subjectEmail: person.email })).toBe(auditsBefore + 1);
    // Approving again changes nothing.
    expect((await registrar.post('/institutions/fjnu/members', { intent: 'approve-membership', membershipId: membership.id })).status).toBe(409);

    expect((await enrol(person.client, 'fjnu-educational-psychology')).status).toBe(302);
    const course = await newCourse('fzu', '2.0');
    const record = await newCompletionRecord(person.userId, course, '90.00');
    const credit = await askForCredit(person.client, record);
    expect(credit.status).toBe(302);
    const requestId = /\/credits\/requests\/([0-9a-f-]{36})/.exec(credit.headers.get('location') ?? '')![1]!;

    const detail = await (await registrar.get(`/institutions/fjnu/credits/requests/${requestId}`)).text();
    expect(detail).toContain('学生身份核实');
    expect(detail).toContain('教务人员核实 · 王志明');
    // The queue filtered to this course (other files' requests may fill its first page).
    const queue = await (await registrar.get(`/institutions/fjnu/credits?course=${course.id}`)).text();
    expect(queue).toContain('教务人员核实 · 王志明');
  });

  it('a registrar of another institution cannot approve fjnu memberships', async () => {
    const person = await signUpStudent(baseUrl, 'fjnu', '别校教务想核实', { selfDeclared: true });
    const membership = await membershipOf(person.userId);
    const mjuRegistrar = new FormClient(baseUrl);
    // The demo registrar works at fjnu and fzu; at mju they hold nothing.
    await mjuRegistrar.login('registrar@demo.edu.cn', demoPassword);
    expect((await mjuRegistrar.post('/institutions/mju/members', { intent: 'approve-membership', membershipId: membership.id })).status).toBe(403);
    expect((await membershipOf(person.userId)).verification).toBe('self-declared');
  });

  it('a verified (roster) student enrols and asks for credit without any approval', async () => {
    const person = await signUpStudent(baseUrl, 'fjnu', '名册学生');
    expect((await enrol(person.client, 'fjnu-educational-psychology')).status).toBe(302);
    const record = await newCompletionRecord(person.userId, await newCourse('fzu', '2.0'), '75.00');
    expect((await askForCredit(person.client, record)).status).toBe(302);
  });
});
