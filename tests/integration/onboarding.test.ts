import { isPrivilegedRole } from '../../app/features/identity/permissions.js';
import type { Role } from '../../db/schema/identity.js';
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '../../db/password.js';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient, uniqueEmail } from '../support/browserless.js';
import { auditCount, closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';
import { testServiceEnv } from '../support/env.js';
import { linkIn, waitForMail } from '../support/mailbox.js';

const baseUrl = inject('baseUrl');
const redis = new Redis(testServiceEnv().REDIS_URL);
const run = randomBytes(3).toString('hex');
const school = '/institutions/gz-no1-middle/onboarding';
const year = new Date().getFullYear();
const child = `${year - 10}-03-01`; // under 14: needs a guardian's consent
const teen = `${year - 16}-03-01`;

let admin: FormClient;
let adminId = '';
let schoolId = '';

afterAll(async () => {
  redis.disconnect();
  await closeTestSql();
});

/** A user with `role` at the institution, logged in. */
async function member(slug: string, role: string): Promise<{ client: FormClient; id: string; email: string }> {
  const email = uniqueEmail(role.replace('_', '-'));
  const [u] = await testSql()<{ id: string }[]>`insert into users (email, display_name, pseudonym, password_hash) values (${email}, ${'测试' + role}, ${'U-T' + randomBytes(4).toString('hex')}, ${await hashPassword(demoPassword)}) returning id`;
  await testSql()`insert into memberships (user_id, institution_id, role) values (${u!.id}, ${await institutionIdBySlug(slug)}, ${role})`;
  const client = new FormClient(baseUrl);
  expect((await client.login(email, demoPassword)).status).toBe(302);
  // Registrars, institution administrators and administrators give a second factor first.
  if (isPrivilegedRole(role as Role)) await client.enrolSecondFactor(email);
  return { client, id: u!.id, email };
}

const csv = (rows: string[][]) => rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')).join('\n');
const pupilHeader = ['学号', '姓名', '班级', '出生日期', '监护人姓名', '监护人关系', '监护人同意'];

async function check(client: FormClient, base: string, name: string, content: string | Uint8Array) {
  const type = name.endsWith('.xlsx') ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv';
  const res = await client.postMultipart(`${base}/rosters`, { intent: 'check' }, { file: { name, type, content } });
  const html = await res.text();
  const stageId = /name="stageId" value="([^"]+)"/.exec(html)?.[1] ?? null;
  return { status: res.status, html, stageId };
}

async function confirm(client: FormClient, base: string, stageId: string) {
  const res = await client.post(`${base}/rosters`, { intent: 'confirm', stageId });
  return { status: res.status, html: await res.text() };
}

/** The issue table's rows as [line, column, reason]. */
function issues(html: string): string[][] {
  const table = /<table data-roster-issues[^>]*>[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  return [...table.matchAll(/<tr><td>(\d+)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => [m[1]!, m[2]!, m[3]!]);
}

const tokenOf = (path: string) => new URLSearchParams(path.split('?')[1]).get('token')!;
const codesIn = (html: string) => Object.fromEntries([...html.matchAll(/data-code-for="([^"]+)">(\d{6})</g)].map((m) => [m[1]!, m[2]!]));

async function snapshot(institutionId: string) {
  const [row] = await testSql()`
    select (select count(*)::int from roster_entries where institution_id = ${institutionId}) as entries,
           (select coalesce(max(updated_at)::text, '') from roster_entries where institution_id = ${institutionId}) as last_update,
           (select string_agg(sign_in_code_hash, ',' order by id) from roster_entries where institution_id = ${institutionId}) as codes,
           (select count(*)::int from users) as users,
           (select count(*)::int from memberships where institution_id = ${institutionId}) as memberships,
           (select count(*)::int from guardian_consents where institution_id = ${institutionId}) as consents,
           (select count(*)::int from classroom_pupils cp join classrooms c on c.id = cp.classroom_id where c.institution_id = ${institutionId}) as pupils,
           (select count(*)::int from classrooms where institution_id = ${institutionId}) as classrooms`;
  return row;
}

/** The invitation link of the mail the SMTP server received for `to`, as a path with its token. */
async function invitationPath(to: string): Promise<string> {
  const link = linkIn(await waitForMail(to), '/invitation');
  return link.pathname + link.search;
}

/** The six-digit code in the `count`-th mail to `to`. */
async function mailedCode(to: string, count = 1): Promise<string> {
  const mail = await waitForMail(to, { count });
  return /\b(\d{6})\b/.exec(mail.text)![1]!;
}

beforeAll(async () => {
  admin = new FormClient(baseUrl);
  expect((await admin.login('inst-admin@demo.edu.cn', demoPassword)).status).toBe(302);
  adminId = (await testSql()`select id from users where email = 'inst-admin@demo.edu.cn'`)[0]!.id as string;
  schoolId = await institutionIdBySlug('gz-no1-middle');
});

const className = `初一（${run}）班`;
const pupils = [
  [`P${run}-01`, '林小雨', className, child, '林大山', '父亲', '是'],
  [`P${run}-02`, '陈小明', className, child, '陈红', '母亲', '同意'],
  [`P${run}-03`, '王小芳', className, teen, '', '', ''],
  [`P${run}-04`, '张小伟', className, child, '张强', '父亲', 'yes'],
  [`P${run}-05`, '刘小洋', className, child, '刘梅', '母亲', '是'],
  [`P${run}-06`, '黄小静', className, child, '黄山', '祖父', '是'],
  [`P${run}-07`, '吴小帆', className, child, '吴江', '父亲', '是'],
  [`P${run}-08`, '郑小磊', className, teen, '', '', ''],
];
const goodFile = csv([pupilHeader, ...pupils]);

describe('roster import: dry run, confirm, idempotence, one transaction', () => {
  it('a dry run lists every bad row (line, column, reason) and applies nothing', async () => {
    const before = await snapshot(schoolId);
    const bad = csv([
      pupilHeader,
      [`B${run}-1`, '好学生', className, teen, '', '', ''], // line 2: fine
      [`B${run}-2`, '', className, teen, '', '', ''], // line 3: no name
      [`B${run}-3`, '缺班级', '', teen, '', '', ''], // line 4: no class
      [`B${run}-4`, '日期错', className, '2015/03/01', '', '', ''], // line 5: date format
      [`B${run}-5`, '未同意', className, child, '家长', '母亲', '否'], // line 6: child without consent
      [`B${run}-1`, '重复号', className, teen, '', '', ''], // line 7: same id as line 2
      [`B${run}-7`, '=HYPERLINK("http://evil")', className, teen, '', '', ''], // line 8: formula-like
    ]);
    const { status, html, stageId } = await check(admin, school, 'bad.csv', bad);
    expect(status).toBe(422);
    expect(stageId).toBeNull();
    expect(html).toContain('发现问题，未导入任何数据');
    expect(issues(html)).toEqual([
      ['3', '姓名', '必填'],
      ['4', '班级', '必填'],
      ['5', '出生日期', '日期格式应为 YYYY-MM-DD'],
      ['6', '监护人同意', '未满 14 周岁，须记录监护人同意（填“是”）'],
      ['7', '学号', '与第 2 行重复'],
      ['8', '姓名', '单元格含公式（不会被计算），请填写值'],
    ]);
    expect(await snapshot(schoolId)).toEqual(before);
  });

  it('a clean dry run applies nothing; confirming applies it, with roster-verified members, guardian consents and codes shown once', async () => {
    const before = await snapshot(schoolId);
    const dry = await check(admin, school, 'pupils.csv', goodFile);
    expect(dry.status).toBe(200);
    expect(dry.html).toContain('将新增 8 人');
    expect(dry.html).toContain(`新建班级：${className}`);
    expect(dry.html).toContain('记录监护人同意 6 份');
    expect(await snapshot(schoolId)).toEqual(before);

    const done = await confirm(admin, school, dry.stageId!);
    expect(done.status).toBe(200);
    expect(done.html).toContain('新增 8 人');
    const codes = codesIn(done.html);
    expect(Object.keys(codes)).toHaveLength(8);
    const rows = await testSql()`
      select r.external_id, r.sign_in_code_hash, u.email, m.verification, m.verified_by, cp.display_name as pupil
      from roster_entries r join users u on u.id = r.user_id
      join memberships m on m.user_id = u.id and m.institution_id = r.institution_id and m.role = 'student'
      join classroom_pupils cp on cp.id = r.classroom_pupil_id
      where r.external_id like ${`P${run}-%`} order by r.external_id`;
    expect(rows).toHaveLength(8);
    for (const r of rows) {
      expect(r.email).toBeNull(); // pupils need no mail address
      expect(r.verification).toBe('roster');
      expect(r.verified_by).toBe(adminId);
      expect(r.sign_in_code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.sign_in_code_hash).not.toContain(codes[r.external_id as string]);
    }
    const consents = await testSql()`
      select g.guardian_name, g.recorded_by, g.notice_version, g.recorded_at from guardian_consents g
      join roster_entries r on r.user_id = g.pupil_user_id where r.external_id like ${`P${run}-%`} order by r.external_id`;
    expect(consents.map((c) => c.guardian_name)).toEqual(['林大山', '陈红', '张强', '刘梅', '黄山', '吴江']);
    for (const c of consents) {
      expect(c.recorded_by).toBe(adminId);
      expect(c.notice_version).toMatch(/guardian/);
      expect(c.recorded_at).toBeInstanceOf(Date);
    }
    // Shown once: the classroom page lists no code.
    expect(Object.keys(codesIn(await (await admin.get(`${school}/classrooms`)).text()))).toHaveLength(0);
  });

  it('re-importing the same file changes nothing', async () => {
    const before = await snapshot(schoolId);
    const dry = await check(admin, school, 'pupils.csv', goodFile);
    expect(dry.status).toBe(200);
    expect(dry.html).toContain('8 人无变化');
    expect(dry.html).toContain('将新增 0 人');
    const done = await confirm(admin, school, dry.stageId!);
    expect(done.status).toBe(200);
    expect(Object.keys(codesIn(done.html))).toHaveLength(0);
    expect(await snapshot(schoolId)).toEqual(before);
  });

  it('a confirmed file whose third row no longer fits applies nothing at all (one transaction)', async () => {
    const uni = await member('fjnu', 'institution_admin');
    const base = '/institutions/fjnu/onboarding';
    const fjnuId = await institutionIdBySlug('fjnu');
    const taken = uniqueEmail('s3');
    const fileA = csv([
      ['student_number', 'name', 'email', 'birth_date'],
      [`S${run}-1`, '学生一', uniqueEmail('s1'), teen],
      [`S${run}-2`, '学生二', uniqueEmail('s2'), ''],
      [`S${run}-3`, '学生三', taken, ''],
    ]);
    const dryA = await check(uni.client, base, 'a.csv', fileA);
    expect(dryA.status).toBe(200);
    // Meanwhile another file puts the third row's address on the roster under another number.
    const dryB = await check(uni.client, base, 'b.csv', csv([['student_number', 'name', 'email'], [`S${run}-9`, '另一个人', taken]]));
    expect((await confirm(uni.client, base, dryB.stageId!)).status).toBe(200);
    const before = await snapshot(fjnuId);
    const done = await confirm(uni.client, base, dryA.stageId!);
    expect(done.status).toBe(409);
    expect(done.html).toContain('整份名册都没有导入');
    expect(issues(done.html)).toEqual([['4', 'email', '该邮箱已在名册中对应另一个学号']]);
    expect(await snapshot(fjnuId)).toEqual(before);
    expect(await testSql()`select 1 from roster_entries where external_id in (${`S${run}-1`}, ${`S${run}-2`})`).toHaveLength(0);
  });

  it('a university roster refuses a child under 14 (only schools import children, with consent)', async () => {
    const uni = await member('fjnu', 'institution_admin');
    const dry = await check(uni.client, '/institutions/fjnu/onboarding', 'kid.csv', csv([['学号', '姓名', '出生日期'], [`K${run}`, '少年', child]]));
    expect(dry.status).toBe(422);
    expect(issues(dry.html)).toEqual([['2', '出生日期', '未满 14 周岁：只能由学校导入并记录监护人同意']]);
  });

  it('reads XLSX as well as CSV: formulas are flagged, never evaluated; a clean workbook applies', async () => {
    const xlsxClass = `初二（${run}）班`;
    const book = async (formula: boolean) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('名册');
      ws.addRow(['external_id', 'name', 'class', 'birth_date']);
      ws.addRow([`X${run}-1`, '表格一', xlsxClass, teen]);
      ws.addRow([`X${run}-2`, formula ? { formula: 'CONCAT("表","格二")', result: '表格二' } : '表格二', xlsxClass, teen]);
      return new Uint8Array(await wb.xlsx.writeBuffer());
    };
    const bad = await check(admin, school, 'roster.xlsx', await book(true));
    expect(bad.status).toBe(422);
    expect(issues(bad.html)).toEqual([['3', 'name', '单元格含公式（不会被计算），请填写值']]);
    const good = await check(admin, school, 'roster.xlsx', await book(false));
    expect(good.status).toBe(200);
    expect((await confirm(admin, school, good.stageId!)).status).toBe(200);
    expect(await testSql()`select 1 from roster_entries where external_id like ${`X${run}-%`}`).toHaveLength(2);
  });

  it('refuses files that are too big, of another type, or not what they claim', async () => {
    expect((await check(admin, school, 'big.csv', 'a,b\n' + 'x'.repeat(1024 * 1024))).status).toBe(413);
    expect((await check(admin, school, 'roster.pdf', '%PDF-1.4')).status).toBe(415);
    expect((await check(admin, school, 'fake.xlsx', 'external_id,name\n1,a')).status).toBe(415);
    const many = csv([['external_id', 'name', 'class', 'birth_date'], ...Array.from({ length: 5001 }, (_, i) => [`M${i}`, `某${i}`, '甲班', teen])]);
    expect((await check(admin, school, 'many.csv', many)).status).toBe(413);
  });
});

describe('the console is its own institution’s only', () => {
  it('another institution’s administrator gets 403 (audited) and can apply nothing', async () => {
    const other = await member('mq-bandong-primary', 'institution_admin');
    const denied = await auditCount('access.denied', { actorEmail: other.email });
    for (const page of ['', '/staff', '/domains', '/classrooms', '/rosters']) expect((await other.client.get(`${school}${page}`)).status, page).toBe(403);
    const dry = await check(admin, school, 'x.csv', csv([pupilHeader, [`O${run}`, '别校学生', className, teen, '', '', '']]));
    const before = await snapshot(schoolId);
    expect((await other.client.post(`${school}/rosters`, { intent: 'confirm', stageId: dry.stageId! })).status).toBe(403);
    expect((await other.client.post(`${school}/classrooms`, { intent: 'save', nameZh: '伪造教室' })).status).toBe(403);
    expect((await other.client.post(`${school}/staff`, { intent: 'invite', email: uniqueEmail('x'), role: 'teacher' })).status).toBe(403);
    expect(await snapshot(schoolId)).toEqual(before);
    expect(await auditCount('access.denied', { actorEmail: other.email })).toBeGreaterThanOrEqual(denied + 8);
    // Nor may it confirm the stage in its own console: a stage belongs to who checked it.
    const own = await other.client.post('/institutions/mq-bandong-primary/onboarding/rosters', { intent: 'confirm', stageId: dry.stageId! });
    expect(own.status).toBe(409);
  });
});

describe('pupils sign in on a classroom device by class, name and code', () => {
  let device: FormClient;
  let classroomId = '';
  let pupilIds: Record<string, string> = {};
  let codes: Record<string, string> = {};

  beforeAll(async () => {
    // Fresh codes for the class imported above (they were shown once and not kept by the test).
    classroomId = (await testSql()`select id from classrooms where name_zh = ${className}`)[0]!.id as string;
    const res = await admin.post(`${school}/classrooms`, { intent: 'reissue-codes', id: classroomId });
    expect(res.status).toBe(200);
    codes = codesIn(await res.text());
    expect(Object.keys(codes)).toHaveLength(8);
    pupilIds = Object.fromEntries((await testSql()`select id, external_id from roster_entries where classroom_id = ${classroomId}`).map((r) => [r.external_id as string, r.id as string]));
    device = new FormClient(baseUrl);
    expect(await (await device.get('/device')).text()).toContain('这台电脑还不是教室设备');
    expect((await device.get(`/device/${classroomId}`)).status).toBe(302);
    // The administrator sets the device up; the pupil then uses it without the admin's session.
    const setUp = await admin.post(`${school}?index`, { intent: 'enrol-device' });
    expect([setUp.status, setUp.headers.get('location')]).toEqual([302, '/device']);
    device.cookies.set('edu_classroom_device', admin.cookies.get('edu_classroom_device')!);
  });

  const signIn = (client: FormClient, id: string, code: string) => client.post(`/device/${classroomId}`, { pupilId: pupilIds[id]!, code });
  /** Another browser on the same classroom device (its own cookies, the device's mark). */
  const onDevice = () => {
    const c = new FormClient(baseUrl);
    c.cookies.set('edu_classroom_device', device.cookies.get('edu_classroom_device')!);
    return c;
  };

  it('lists the class, then its pupils; the right code signs the pupil in, a wrong one does not', async () => {
    expect(await (await device.get('/device')).text()).toContain(className);
    const names = await (await device.get(`/device/${classroomId}`)).text();
    for (const [, name] of pupils.map((p) => [p[0], p[1]])) expect(names).toContain(name);
    const wrong = await signIn(device, `P${run}-01`, codes[`P${run}-01`] === '000000' ? '000001' : '000000');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('登录码不对');
    const ok = await signIn(device, `P${run}-01`, codes[`P${run}-01`]!);
    expect([ok.status, ok.headers.get('location')]).toEqual([302, '/']);
    expect(await (await device.get('/')).text()).toContain('你好，林小雨');
  });

  it('a code works only with its own pupil', async () => {
    const res = await signIn(onDevice(), `P${run}-02`, codes[`P${run}-03`]!);
    expect([401, 302]).toContain(res.status); // 302 only through a six-digit collision, checked next
    if (codes[`P${run}-02`] !== codes[`P${run}-03`]) expect(res.status).toBe(401);
  });

  it('counts parallel guesses: eight at once for one pupil check at most five, and then even the right code waits', async () => {
    const id = `P${run}-04`;
    const guesses = await Promise.all(Array.from({ length: 8 }, (_, i) => signIn(onDevice(), id, String(100000 + i) === codes[id] ? '999999' : String(100000 + i))));
    const statuses = guesses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    const right = await signIn(onDevice(), id, codes[id]!);
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('throttles the class as a whole: thirty attempts in a window, over several pupils', async () => {
    const others = [2, 3, 5, 6, 7, 8].map((n) => `P${run}-0${n}`);
    await redis.del(`edu:throttle:pupil-class:${classroomId}`, ...others.map((id) => `edu:throttle:pupil:${pupilIds[id]}`));
    for (let i = 0; i < 30; i++) {
      const id = others[i % others.length]!;
      const res = await signIn(onDevice(), id, codes[id] === '000000' ? '000001' : '000000');
      expect(res.status, `attempt ${i + 1}`).toBe(401);
    }
    const fresh = `P${run}-01`; // signed in earlier: no failures of its own
    expect((await signIn(onDevice(), fresh, codes[fresh]!)).status).toBe(429);
  });
});

describe('staff invitations', () => {
  it('an invitation is accepted once, by a new account for the invited address, as a registrar-approved teacher', async () => {
    const email = uniqueEmail('teacher');
    const res = await admin.post(`${school}/staff`, { intent: 'invite', email, role: 'teacher' });
    expect(res.status).toBe(200);
    const path = await invitationPath(email);
    const token = new URLSearchParams(path.split('?')[1]).get('token')!;
    const [stored] = await testSql()`select token_hash from staff_invitations where email = ${email}`;
    expect(stored!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored!.token_hash).not.toContain(token);
    expect(await testSql()`select 1 from mail_messages where params::text like ${'%' + token + '%'}`).toHaveLength(0);
    const invitee = new FormClient(baseUrl);
    expect(await (await invitee.get(path)).text()).toContain('光泽县第一中学 邀请您担任教师');
    const created = await invitee.post(path, { token: new URLSearchParams(path.split('?')[1]).get('token')!, intent: 'create', displayName: '新老师', password: 'a-long-enough-password' });
    expect([created.status, created.headers.get('location')]).toEqual([302, '/?joined=1']);
    const [m] = await testSql()`select m.role, m.verification, m.verified_by from memberships m join users u on u.id = m.user_id where u.email = ${email}`;
    expect(m).toEqual({ role: 'teacher', verification: 'registrar-approval', verified_by: adminId });
    expect((await new FormClient(baseUrl).get(path)).status).toBe(410);
    const again = await new FormClient(baseUrl).post(path, { token: new URLSearchParams(path.split('?')[1]).get('token')!, intent: 'create', displayName: '又一个', password: 'a-long-enough-password' });
    expect(again.status).toBe(410);
    expect(await testSql()`select 1 from memberships m join users u on u.id = m.user_id where u.email = ${email}`).toHaveLength(1);
  });

  it('an existing account accepts only when signed in with the invited address; a second click grants nothing', async () => {
    const invited = await member('fzu', 'student');
    await admin.post(`${school}/staff`, { intent: 'invite', email: invited.email, role: 'assistant' });
    const path = await invitationPath(invited.email);
    const stranger = await member('fzu', 'student');
    expect((await stranger.client.post(path, { intent: 'accept', token: tokenOf(path) })).status).toBe(403);
    expect((await invited.client.post(path, { intent: 'accept', token: tokenOf(path) })).status).toBe(302);
    expect((await invited.client.post(path, { intent: 'accept', token: tokenOf(path) })).status).toBe(410);
    const rows = await testSql()`select verification from memberships where user_id = ${invited.id} and role = 'assistant' and institution_id = ${schoolId}`;
    expect(rows).toEqual([{ verification: 'registrar-approval' }]);
  });

  it('a withdrawn invitation no longer works; staff can be revoked; registrar and admin cannot be invited here', async () => {
    const email = uniqueEmail('withdrawn');
    await admin.post(`${school}/staff`, { intent: 'invite', email, role: 'teacher' });
    const path = await invitationPath(email);
    const [inv] = await testSql()`select id from staff_invitations where email = ${email}`;
    expect((await admin.post(`${school}/staff`, { intent: 'revoke-invitation', invitationId: inv!.id as string })).status).toBe(200);
    expect((await new FormClient(baseUrl).get(path)).status).toBe(410);
    for (const role of ['registrar', 'institution_admin', 'admin']) {
      expect((await admin.post(`${school}/staff`, { intent: 'invite', email: uniqueEmail('x'), role })).status, role).toBe(400);
    }
    const [assistant] = await testSql()`select m.id from memberships m join users u on u.id = m.user_id where u.email = 'assistant@demo.edu.cn'`;
    const [registrar] = await testSql()`select m.id from memberships m join users u on u.id = m.user_id where u.email = 'registrar@demo.edu.cn' limit 1`;
    expect((await admin.post(`${school}/staff`, { intent: 'revoke-staff', membershipId: registrar!.id as string })).status).toBe(404);
    expect(await testSql()`select 1 from memberships where id = ${registrar!.id as string}`).toHaveLength(1);
    // The demo assistant stays: revoke a fresh one instead.
    const temp = await member('gz-no1-middle', 'assistant');
    const [tm] = await testSql()`select id from memberships where user_id = ${temp.id}`;
    expect((await admin.post(`${school}/staff`, { intent: 'revoke-staff', membershipId: tm!.id as string })).status).toBe(200);
    expect(await testSql()`select 1 from memberships where user_id = ${temp.id}`).toHaveLength(0);
    expect(assistant).toBeDefined();
  });
});

describe('mail domains verify self-declared memberships', () => {
  it('a code sent to an address in a registered domain makes the membership mail-domain verified', async () => {
    const domain = `gz${run}.edu.cn`;
    expect((await admin.post(`${school}/domains`, { intent: 'add', domain: `@${domain.toUpperCase()}` })).status).toBe(200);
    expect(await testSql()`select domain from institution_mail_domains where domain = ${domain}`).toHaveLength(1);
    const other = await member('mq-bandong-primary', 'institution_admin');
    expect((await other.client.post('/institutions/mq-bandong-primary/onboarding/domains', { intent: 'add', domain })).status).toBe(409);

    const student = await member('gz-no1-middle', 'student');
    const outside = await student.client.post('/membership/verify', { intent: 'send', institutionId: schoolId, email: `me@evil${domain}` });
    expect(outside.status).toBe(422);
    const address = `me-${run}@stu.${domain}`;
    expect((await student.client.post('/membership/verify', { intent: 'send', institutionId: schoolId, email: address })).status).toBe(200);
    const code = await mailedCode(address);
    const wrong = code === '000000' ? '000001' : '000000';
    expect((await student.client.post('/membership/verify', { intent: 'check', institutionId: schoolId, code: wrong })).status).toBe(422);
    expect((await student.client.post('/membership/verify', { intent: 'check', institutionId: schoolId, code })).status).toBe(200);
    const [m] = await testSql()`select verification, verified_at from memberships where user_id = ${student.id}`;
    expect(m!.verification).toBe('mail-domain');
    expect(m!.verified_at).toBeInstanceOf(Date);
    expect((await student.client.post('/membership/verify', { intent: 'check', institutionId: schoolId, code })).status).toBe(410);
  });

  it('five wrong codes spend the code', async () => {
    const domain = `gzb${run}.edu.cn`;
    await admin.post(`${school}/domains`, { intent: 'add', domain });
    const student = await member('gz-no1-middle', 'student');
    const address = `me@${domain}`;
    await student.client.post('/membership/verify', { intent: 'send', institutionId: schoolId, email: address });
    const code = await mailedCode(address);
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 5; i++) expect((await student.client.post('/membership/verify', { intent: 'check', institutionId: schoolId, code: wrong })).status).toBe(422);
    expect((await student.client.post('/membership/verify', { intent: 'check', institutionId: schoolId, code })).status).toBe(410);
    expect((await testSql()`select verification from memberships where user_id = ${student.id}`)[0]!.verification).toBe('self-declared');
  });
});

describe('classrooms', () => {
  it('creates, renames and archives rooms and assigns only the institution’s assistants', async () => {
    const name = `多媒体教室 ${run}`;
    expect((await admin.post(`${school}/classrooms`, { intent: 'save', nameZh: name, nameEn: 'Media room' })).status).toBe(200);
    expect((await admin.post(`${school}/classrooms`, { intent: 'save', nameZh: name })).status).toBe(409);
    const [room] = await testSql()`select id from classrooms where name_zh = ${name} and institution_id = ${schoolId}`;
    const id = room!.id as string;
    expect((await admin.post(`${school}/classrooms`, { intent: 'save', id, nameZh: `${name}（新）` })).status).toBe(200);
    const [assistant] = await testSql()`select id from users where email = 'assistant@demo.edu.cn'`;
    const [teacher] = await testSql()`select id from users where email = 'teacher@demo.edu.cn'`;
    expect((await admin.post(`${school}/classrooms`, { intent: 'assign', id, userId: assistant!.id as string })).status).toBe(200);
    expect((await admin.post(`${school}/classrooms`, { intent: 'assign', id, userId: teacher!.id as string })).status).toBe(400);
    expect(await testSql()`select user_id from classroom_assistants where classroom_id = ${id}`).toEqual([{ user_id: assistant!.id }]);
    expect((await admin.post(`${school}/classrooms`, { intent: 'archive', id })).status).toBe(200);
    const [after] = await testSql()`select name_zh, archived_at from classrooms where id = ${id}`;
    expect(after!.name_zh).toBe(`${name}（新）`);
    expect(after!.archived_at).toBeInstanceOf(Date);
    // A room of another institution is not found from this console.
    const [fzuRoom] = await testSql()`select c.id from classrooms c join institutions i on i.id = c.institution_id where i.slug = 'fzu' limit 1`;
    expect((await admin.post(`${school}/classrooms`, { intent: 'archive', id: fzuRoom!.id as string })).status).toBe(404);
    expect((await testSql()`select archived_at from classrooms where id = ${fzuRoom!.id as string}`)[0]!.archived_at).toBeNull();
  });
});
