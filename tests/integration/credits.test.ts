import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { autoMatchSubmitted } from '../../app/features/credits/auto-match.server.js';
import { createDatabase } from '../../db/client.js';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient } from '../support/browserless.js';
import { newCompletionRecord, newCourse, newRegistrar, requestIdFrom, requestRow, signUpStudent } from '../support/credits.js';
import { auditCount, closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';
import { testServiceEnv } from '../support/env.js';

const baseUrl = inject('baseUrl');
afterAll(closeTestSql);

let registrar: Awaited<ReturnType<typeof newRegistrar>>;
let fjnuId = '';

beforeAll(async () => {
  registrar = await newRegistrar(baseUrl, 'fjnu', '王老师');
  fjnuId = await institutionIdBySlug('fjnu');
});

async function createRule(fields: Record<string, string>) {
  return registrar.client.post('/institutions/fjnu/credits/rules', {
    intent: 'create',
    targetKind: 'course',
    targetCode: 'CS201',
    targetTitleZh: '数据结构',
    targetTitleEn: 'Data Structures',
    credits: '3.0',
    effectiveFrom: '2025-09-01',
    ...fields,
  });
}

async function submit(client: FormClient, recordId: string, fields: Record<string, string> = {}) {
  return client.post('/credits', { completionRecordId: recordId, institutionId: fjnuId, targetKind: 'course', targetCode: 'CS201', ...fields });
}


describe('request → auto-match → posted', () => {
  it('a published auto-approve rule decides at once; the transcript and its CSV show the converted credits', async () => {
    const course = await newCourse('mju', '3.0', 48);
    expect((await createRule({ sources: course.slug, autoApprove: 'on', minGrade: '60' })).status).toBe(200);
    const student = await signUpStudent(baseUrl, 'fjnu');
    const recordId = await newCompletionRecord(student.userId, course, '91.50');
    const res = await submit(student.client, recordId);
    expect(res.status).toBe(302);
    const id = requestIdFrom(res);
    const row = await requestRow(id);
    expect(row).toMatchObject({ status: 'posted', awarded_credits: '3.0', converted_grade: '4.00', converted_label: 'A', conversion_table_version: 1 });
    const events = await testSql()`select to_status from credit_request_events where request_id = ${id} order by id`;
    expect(events.map((e) => e.to_status)).toEqual(['submitted', 'auto-matched', 'approved', 'posted']);
    // The decision and the posting (the first decision of an institution may also ledger its default conversion table).
    const entries = await testSql()`select kind from ledger_entries where payload->>'requestId' = ${id} order by seq`;
    expect(entries.map((e) => e.kind)).toEqual(['credit.decided', 'credit.posted']);
    const page = await (await student.client.get(`/credits/requests/${id}`)).text();
    expect(page).toContain('已记入成绩单');
    const transcript = await (await student.client.get('/credits/transcript')).text();
    expect(transcript).toContain(course.slug);
    expect(transcript).toContain('CS201');
    expect(transcript).toContain('合计认定学分：3.0');
    const csv = await student.client.get('/credits/transcript.csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text.split('\r\n')[1]).toContain('3.0');
    expect(text).toContain('A (4.00)');
    const exported = (await (await student.client.get('/account/data.json')).json()) as { creditRequests: { id: string; status: string }[] };
    expect(exported.creditRequests).toEqual([expect.objectContaining({ id, status: 'posted' })]);
  });

  it('a grade below the rule’s minimum goes to a registrar with the reason', async () => {
    const course = await newCourse('mju', '2.0');
    await createRule({ sources: course.slug, autoApprove: 'on', minGrade: '80', credits: '2.0' });
    const student = await signUpStudent(baseUrl, 'fjnu');
    const id = requestIdFrom(await submit(student.client, await newCompletionRecord(student.userId, course, '75.00')));
    const row = await requestRow(id);
    expect(row.status).toBe('in-review');
    expect(row.match_reasons).toEqual([expect.objectContaining({ code: 'below-min-grade', minHundredths: 8000 })]);
    expect(await (await registrar.client.get(`/institutions/fjnu/credits/requests/${id}`)).text()).toContain('成绩低于规则要求的 80.00 分');
  });
});

describe('bad input is refused with a clear message and nothing written', () => {
  it('a completion record that is not the student’s', async () => {
    const course = await newCourse('mju', '2.0');
    const owner = await signUpStudent(baseUrl, 'fjnu');
    const other = await signUpStudent(baseUrl, 'fjnu');
    const recordId = await newCompletionRecord(owner.userId, course, '90');
    const res = await submit(other.client, recordId);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('这条完成记录不属于你');
    expect(await testSql()`select 1 from credit_requests where completion_record_id = ${recordId}`).toHaveLength(0);
  });

  it('a duplicate request', async () => {
    const course = await newCourse('mju', '2.0');
    const student = await signUpStudent(baseUrl, 'fjnu');
    const recordId = await newCompletionRecord(student.userId, course, '90');
    expect((await submit(student.client, recordId)).status).toBe(302);
    const again = await submit(student.client, recordId);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('已经用这条完成记录');
    expect(await testSql()`select 1 from credit_requests where completion_record_id = ${recordId}`).toHaveLength(1);
  });

  it('a request to an institution where one is not a student', async () => {
    const course = await newCourse('mju', '2.0');
    const student = await signUpStudent(baseUrl, 'fjnu');
    const recordId = await newCompletionRecord(student.userId, course, '90');
    const res = await submit(student.client, recordId, { institutionId: await institutionIdBySlug('fzu') });
    expect(res.status).toBe(403);
    expect(await testSql()`select 1 from credit_requests where completion_record_id = ${recordId}`).toHaveLength(0);
  });

  it('a grade outside the conversion table', async () => {
    const course = await newCourse('mju', '2.0');
    const student = await signUpStudent(baseUrl, 'fjnu');
    const recordId = await newCompletionRecord(student.userId, course, '105.00');
    const res = await submit(student.client, recordId);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('超出了转换表的范围');
    expect(await testSql()`select 1 from credit_requests where completion_record_id = ${recordId}`).toHaveLength(0);
  });

  it('a rule whose credits exceed its source courses', async () => {
    const course = await newCourse('mju', '2.0');
    const before = Number((await testSql()`select count(*)::int as n from equivalency_rules where institution_id = ${fjnuId}`)[0]!.n);
    const res = await createRule({ sources: course.slug, credits: '2.5' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('认定学分超过了来源课程的学分');
    expect(Number((await testSql()`select count(*)::int as n from equivalency_rules where institution_id = ${fjnuId}`)[0]!.n)).toBe(before);
    const unknown = await createRule({ sources: 'no-such-course' });
    expect(unknown.status).toBe(422);
  });
});

async function reviewedRequest(grade = '88.00') {
  const course = await newCourse('mju', '3.0');
  const student = await signUpStudent(baseUrl, 'fjnu');
  const id = requestIdFrom(await submit(student.client, await newCompletionRecord(student.userId, course, grade), { targetKind: 'elective', targetCode: '' }));
  return { id, student, course };
}

describe('registrar decisions and the state machine', () => {
  it('approve converts with the current table version; the decision is audited and in the ledger', async () => {
    const { id, student } = await reviewedRequest('85.00');
    expect((await requestRow(id)).status).toBe('in-review');
    const row = await requestRow(id);
    const audits = await auditCount('credits.decided', { actorEmail: registrar.email });
    const res = await registrar.client.post(`/institutions/fjnu/credits/requests/${id}`, { intent: 'approve', version: String(row.version), credits: '2.5' });
    expect(res.status).toBe(200);
    expect(await requestRow(id)).toMatchObject({ status: 'posted', awarded_credits: '2.5', converted_label: 'B', converted_grade: '3.00' });
    expect(await auditCount('credits.decided', { actorEmail: registrar.email })).toBe(audits + 1);
    const [entry] = await testSql()`select payload from ledger_entries where kind = 'credit.decided' and payload->>'requestId' = ${id}`;
    expect(entry!.payload).toMatchObject({ decision: 'approved', credits: '2.5', label: 'B' });
    expect(await (await student.client.get('/credits/transcript')).text()).toContain('2.5');
  });

  it('credits above the source’s are refused', async () => {
    const { id } = await reviewedRequest();
    const row = await requestRow(id);
    const res = await registrar.client.post(`/institutions/fjnu/credits/requests/${id}`, { intent: 'approve', version: String(row.version), credits: '3.5' });
    expect(res.status).toBe(422);
    expect((await requestRow(id)).status).toBe('in-review');
  });

  it('deny needs a reason; denied requests cannot be approved; one appeal only', async () => {
    const { id, student } = await reviewedRequest();
    let row = await requestRow(id);
    expect((await registrar.client.post(`/institutions/fjnu/credits/requests/${id}`, { intent: 'deny', version: String(row.version), reason: '' })).status).toBe(400);
    expect((await registrar.client.post(`/institutions/fjnu/credits/requests/${id}`, { intent: 'deny', version: String(row.version), reason: '课程内容不对应' })).status).toBe(200);
    row = await requestRow(id);
    expect(row).toMatchObject({ status: 'denied', decision_reason: '课程内容不对应' });
    const illegal = await registrar.client.post(`/institutions/fjnu/credits/requests/${id}`, { intent: 'approve', version: String(row.version), credits: '1.0' });
    expect(illegal.status).toBe(409);
    expect((await requestRow(id)).status).toBe('denied');
    expect((await student.client.post(`/credits/requests/${id}`, { intent: 'appeal', text: '大纲完全一致，请复核' })).status).toBe(200);
    expect(await requestRow(id)).toMatchObject({ status: 'in-review', appeal_reason: '大纲完全一致，请复核' });
    row = await requestRow(id);
    await registrar.client.post(`/institutions/fjnu/credits/requests/${id}`, { intent: 'deny', version: String(row.version), reason: '维持原决定' });
    const second = await student.client.post(`/credits/requests/${id}`, { intent: 'appeal', text: '再次申诉' });
    expect(second.status).toBe(409);
    expect((await requestRow(id)).status).toBe('denied');
  });

  it('ask for information → student answers → back in review', async () => {
    const { id, student } = await reviewedRequest();
    const row = await requestRow(id);
    expect((await student.client.post(`/credits/requests/${id}`, { intent: 'answer', text: '还没问就回答' })).status).toBe(409);
    expect((await registrar.client.post(`/institutions/fjnu/credits/requests/${id}`, { intent: 'ask-info', version: String(row.version), reason: '请上传课程大纲' })).status).toBe(200);
    expect((await requestRow(id)).status).toBe('more-info');
    expect((await student.client.post(`/credits/requests/${id}`, { intent: 'answer', text: 'https://example.edu/syllabus.pdf' })).status).toBe(200);
    const events = await testSql()`select to_status from credit_request_events where request_id = ${id} order by id`;
    expect(events.map((e) => e.to_status)).toEqual(['submitted', 'in-review', 'more-info', 'in-review']);
  });

  it('two registrars deciding at once: exactly one wins, the other is told', async () => {
    const second = await newRegistrar(baseUrl, 'fjnu', '李老师');
    for (let round = 0; round < 3; round++) {
      const { id } = await reviewedRequest();
      const row = await requestRow(id);
      const [a, b] = await Promise.all([
        registrar.client.post(`/institutions/fjnu/credits/requests/${id}`, { intent: 'approve', version: String(row.version), credits: '3.0' }),
        second.client.post(`/institutions/fjnu/credits/requests/${id}`, { intent: 'deny', version: String(row.version), reason: '不符合' }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      expect(await loser.text()).toMatch(/刚刚已被处理/);
      const final = await requestRow(id);
      expect(final.status).toBe(a.status === 200 ? 'posted' : 'denied');
      const decisions = await testSql()`select 1 from ledger_entries where kind = 'credit.decided' and payload->>'requestId' = ${id}`;
      expect(decisions).toHaveLength(1);
    }
  });

  it('bulk approval by rule approves every request that rule matched in review', async () => {
    const course = await newCourse('mju', '2.0');
    await createRule({ sources: course.slug, credits: '2.0', targetCode: 'CS202' });
    const [ruleRow] = await testSql()`select r.id from equivalency_rules r join equivalency_rule_sources s on s.rule_id = r.id where s.course_id = ${course.id}`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await signUpStudent(baseUrl, 'fjnu');
      ids.push(requestIdFrom(await submit(s.client, await newCompletionRecord(s.userId, course, '70'), { targetCode: 'CS202' })));
    }
    for (const id of ids) expect(await requestRow(id)).toMatchObject({ status: 'in-review', rule_id: ruleRow!.id });
    const res = await registrar.client.post('/institutions/fjnu/credits?index', { intent: 'bulk-approve', ruleId: ruleRow!.id });
    expect(await res.text()).toContain('已批准 3 个申请');
    for (const id of ids) expect(await requestRow(id)).toMatchObject({ status: 'posted', awarded_credits: '2.0', converted_label: 'C' });
  });

  it('“make this decision a rule” turns a one-off approval into a precedent the next request matches', async () => {
    const { id, course } = await reviewedRequest();
    const row = await requestRow(id);
    await registrar.client.post(`/institutions/fjnu/credits/requests/${id}`, { intent: 'approve', version: String(row.version), credits: '3.0' });
    expect((await registrar.client.post(`/institutions/fjnu/credits/requests/${id}`, { intent: 'make-rule', autoApprove: 'on' })).status).toBe(200);
    const next = await signUpStudent(baseUrl, 'fjnu');
    const nextId = requestIdFrom(await submit(next.client, await newCompletionRecord(next.userId, course, '66'), { targetKind: 'elective', targetCode: '' }));
    expect(await requestRow(nextId)).toMatchObject({ status: 'posted', awarded_credits: '3.0' });
  });

  it('the queue filters by status, source institution and course, pages, and shows the median time to decision', async () => {
    const { course, id } = await reviewedRequest();
    const link = `/institutions/fjnu/credits/requests/${id}`;
    const page = await (await registrar.client.get(`/institutions/fjnu/credits?status=in-review&source=${await institutionIdBySlug('mju')}&course=${course.id}`)).text();
    expect(page).toContain(link);
    expect(page).toMatch(/决定中位时长：\d+\.\d 天/);
    const none = await (await registrar.client.get(`/institutions/fjnu/credits?status=posted&course=${course.id}`)).text();
    expect(none).toContain('没有符合条件的申请');
    const aged = await (await registrar.client.get(`/institutions/fjnu/credits?course=${course.id}&age=3`)).text();
    expect(aged).not.toContain(link);
    await testSql()`update credit_requests set submitted_at = now() - interval '4 days' where id = ${id}`;
    expect(await (await registrar.client.get(`/institutions/fjnu/credits?course=${course.id}&age=3`)).text()).toContain(link);
  });
});

describe('registrar scoping', () => {
  it('a registrar of another university can neither see nor decide the request (403, audited, unchanged)', async () => {
    const course = await newCourse('fzu', '2.0');
    const student = await signUpStudent(baseUrl, 'mju');
    const res = await student.client.post('/credits', { completionRecordId: await newCompletionRecord(student.userId, course, '90'), institutionId: await institutionIdBySlug('mju'), targetKind: 'elective' });
    const id = requestIdFrom(res);
    const before = await requestRow(id);
    const denied = await auditCount('access.denied', { actorEmail: registrar.email });
    expect((await registrar.client.get(`/institutions/mju/credits/requests/${id}`)).status).toBe(403);
    expect((await registrar.client.post(`/institutions/mju/credits/requests/${id}`, { intent: 'approve', version: String(before.version), credits: '2.0' })).status).toBe(403);
    // Through their own institution's URL the request does not exist for them.
    expect((await registrar.client.post(`/institutions/fjnu/credits/requests/${id}`, { intent: 'approve', version: String(before.version), credits: '2.0' })).status).toBe(404);
    expect((await registrar.client.get('/institutions/mju/credits')).status).toBe(403);
    expect(await auditCount('access.denied', { actorEmail: registrar.email })).toBe(denied + 3);
    expect(await requestRow(id)).toMatchObject({ status: before.status, version: before.version });
    // A student cannot read another student's request either.
    const other = await signUpStudent(baseUrl, 'mju');
    expect((await other.client.get(`/credits/requests/${id}`)).status).toBe(404);
  });
});

describe('the demo logins alone walk the recognition journey', () => {
  it('the demo student asks their home institution (fzu) to recognise their Minjiang record; the demo registrar reviews it there and approves', async () => {
    const student = new FormClient(baseUrl);
    const demoRegistrar = new FormClient(baseUrl);
    expect((await student.login('student@demo.edu.cn', demoPassword)).status).toBe(302);
    expect((await demoRegistrar.login('registrar@demo.edu.cn', demoPassword)).status).toBe(302);
    const [record] = await testSql()<{ id: string }[]>`
      select r.id from completion_records r join users u on u.id = r.user_id where u.email = 'student@demo.edu.cn' and r.course_slug = 'mju-data-structures'`;
    const res = await student.post('/credits', { completionRecordId: record!.id, institutionId: await institutionIdBySlug('fzu'), targetKind: 'elective' });
    expect(res.status).toBe(302);
    const id = requestIdFrom(res);
    const row = await requestRow(id);
    // fzu's rule for this course is reviewed by a registrar, not approved automatically.
    expect(row.status).toBe('in-review');
    const queue = await (await demoRegistrar.get('/institutions/fzu/credits?status=in-review')).text();
    expect(queue).toContain(`/institutions/fzu/credits/requests/${id}`);
    const decided = await demoRegistrar.post(`/institutions/fzu/credits/requests/${id}`, { intent: 'approve', version: String(row.version), credits: '2.0' });
    expect(decided.status).toBe(200);
    expect((await requestRow(id)).status).toBe('posted');
  });
});

describe('a bulk import of submitted requests', () => {
  it('autoMatchSubmitted posts what each institution’s auto-approve rule covers, with that institution’s table, and sends the rest to review with the reason', async () => {
    const course = await newCourse('mju', '2.0');
    expect((await createRule({ sources: course.slug, autoApprove: 'on', minGrade: '60', credits: '2.0', targetCode: 'CS301' })).status).toBe(200);
    // fzu recognises the same course differently: 1.5 credits towards FZ301.
    const fzuRegistrar = await newRegistrar(baseUrl, 'fzu', '林老师');
    const fzuRule = await fzuRegistrar.client.post('/institutions/fzu/credits/rules', {
      intent: 'create', targetKind: 'course', targetCode: 'FZ301', targetTitleZh: '数据结构', targetTitleEn: 'Data Structures',
      credits: '1.5', effectiveFrom: '2025-09-01', sources: course.slug, autoApprove: 'on', minGrade: '60',
    });
    expect(fzuRule.status).toBe(200);
    const fzuId = await institutionIdBySlug('fzu');
    // 600 fjnu and 100 fzu students, each with a completion record of the course (every
    // tenth graded 50) and a request still `submitted`, written as an import writes them:
    // more than the 500 from which the batch refreshes the table's statistics first.
    const tag = `bulk-${course.slug}`;
    const sql = testSql();
    await sql`insert into users (pseudonym, display_name) select ${tag}::text || '-' || i, 'bulk import' from generate_series(0, 699) i`;
    await sql`insert into memberships (user_id, institution_id, role)
      select id, case when split_part(pseudonym, '-', 4)::int < 600 then ${fjnuId}::uuid else ${fzuId}::uuid end, 'student' from users where pseudonym like ${`${tag}-%`}`;
    await sql`insert into completion_records (user_id, course_id, institution_id, course_slug, course_title_zh, course_title_en, institution_name_zh, institution_name_en, credits, class_hours, final_grade, completed_on)
      select u.id, c.id, c.institution_id, c.slug, c.title_zh, c.title_en, i.name_zh, i.name_en, c.credits, c.class_hours,
        case when split_part(u.pseudonym, '-', 4)::int % 10 = 0 then 50 else 90 end, '2026-01-15'
      from users u, courses c join institutions i on i.id = c.institution_id where c.id = ${course.id} and u.pseudonym like ${`${tag}-%`}`;
    await sql`insert into credit_requests (user_id, institution_id, completion_record_id, source_institution_id, source_course_id, target_kind, target_code, status)
      select r.user_id, m.institution_id, r.id, r.institution_id, r.course_id, 'course', case when m.institution_id = ${fjnuId} then 'CS301' else 'FZ301' end, 'submitted'
      from completion_records r join memberships m on m.user_id = r.user_id where r.course_id = ${course.id}`;

    const { db, sql: client } = createDatabase(testServiceEnv().DATABASE_URL, { max: 2 });
    try {
      const outcome = await autoMatchSubmitted(db);
      expect(outcome.matched).toBeGreaterThanOrEqual(630);
      expect(outcome.review).toBeGreaterThanOrEqual(70);
    } finally {
      await client.end({ timeout: 2 });
    }
    const byStatus = await sql<{ institution: string; status: string; awarded: string | null; table: string | null; n: number }[]>`
      select i.slug as institution, r.status, r.awarded_credits::text as awarded, (r.conversion_table_id = p.current_table_id)::text as table, count(*)::int as n
      from credit_requests r join institutions i on i.id = r.institution_id left join credit_policies p on p.institution_id = r.institution_id
      where r.source_course_id = ${course.id} group by 1, 2, 3, 4 order by 1, 2`;
    // Posted requests carry their own institution's credits and current conversion table.
    expect(byStatus).toEqual([
      { institution: 'fjnu', status: 'in-review', awarded: null, table: null, n: 60 },
      { institution: 'fjnu', status: 'posted', awarded: '2.0', table: 'true', n: 540 },
      { institution: 'fzu', status: 'in-review', awarded: null, table: null, n: 10 },
      { institution: 'fzu', status: 'posted', awarded: '1.5', table: 'true', n: 90 },
    ]);
    const [low] = await sql<{ match_reasons: { code: string }[] }[]>`
      select r.match_reasons from credit_requests r join completion_records c on c.id = r.completion_record_id where c.course_id = ${course.id} and c.final_grade = 50 limit 1`;
    expect(low!.match_reasons).toEqual([expect.objectContaining({ code: 'below-min-grade' })]);
    for (const institutionId of [fjnuId, fzuId]) {
      const [posted] = await sql<{ id: string }[]>`select id from credit_requests where source_course_id = ${course.id} and institution_id = ${institutionId} and status = 'posted' limit 1`;
      const events = await sql`select from_status, to_status from credit_request_events where request_id = ${posted!.id} order by id`;
      expect(events.map((e) => `${e.from_status}>${e.to_status}`)).toEqual(['submitted>auto-matched', 'auto-matched>approved', 'approved>posted']);
      const ledger = await sql<{ kind: string; institution: string }[]>`select kind, payload->>'institutionId' as institution from ledger_entries where payload->>'requestId' = ${posted!.id} order by seq`;
      expect(ledger).toEqual([{ kind: 'credit.decided', institution: institutionId }, { kind: 'credit.posted', institution: institutionId }]);
    }
    const [reviewed] = await sql<{ id: string }[]>`select id from credit_requests where source_course_id = ${course.id} and status = 'in-review' limit 1`;
    const reviewEvents = await sql`select from_status, to_status from credit_request_events where request_id = ${reviewed!.id} order by id`;
    expect(reviewEvents.map((e) => `${e.from_status}>${e.to_status}`)).toEqual(['submitted>in-review']);
  });
});

