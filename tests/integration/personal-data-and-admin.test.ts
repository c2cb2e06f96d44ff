import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient, uniqueEmail } from '../support/browserless.js';
import { auditCount, closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';

const baseUrl = inject('baseUrl');
afterAll(closeTestSql);

async function newStudent(name = '数据主体') {
  const client = new FormClient(baseUrl);
  const email = uniqueEmail('pd');
  const res = await client.signUp({ displayName: name, email, password: 'my-secret-password', institutionId: await institutionIdBySlug('mq-bandong-primary') });
  expect(res.status).toBe(302);
  const [row] = await testSql()<{ id: string; pseudonym: string }[]>`select id, pseudonym from users where email = ${email}`;
  return { client, email, id: row!.id, pseudonym: row!.pseudonym };
}

describe('a person’s own data', () => {
  it('downloads everything we hold about them as JSON, and the export is recorded', async () => {
    const s = await newStudent('导出测试');
    const res = await s.client.get('/account/data.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.headers.get('content-disposition')).toContain(`personal-data-${s.pseudonym}.json`);
    const body = (await res.json()) as { profile: { email: string; displayName: string }; memberships: { role: string; institution: string }[]; activity: { action: string }[] };
    expect(body.profile).toMatchObject({ email: s.email, displayName: '导出测试' });
    expect(body.memberships).toEqual([expect.objectContaining({ role: 'student', institution: '闽清县坂东中心小学' })]);
    expect(body.activity.map((a) => a.action)).toContain('auth.signup');
    expect((body as unknown as { consents: { kind: string }[] }).consents).toEqual([expect.objectContaining({ kind: 'self' })]);
    expect(JSON.stringify(body)).not.toMatch(/argon2|password_hash|passwordHash/);
    expect(await auditCount('account.exported', { subjectEmail: s.email })).toBe(1);
  });

  it('deleting the account needs the password and the confirmation word, and loses nothing on a mistake', async () => {
    const s = await newStudent();
    const wrongWord = await s.client.post('/account/delete', { password: 'my-secret-password', confirm: 'yes' });
    expect(wrongWord.status).toBe(400);
    const wrongPassword = await s.client.post('/account/delete', { password: 'not-my-password', confirm: '注销' });
    expect(wrongPassword.status).toBe(400);
    expect(await wrongPassword.text()).toContain('密码不正确');
    const [still] = await testSql()`select email, erased_at from users where id = ${s.id}`;
    expect(still).toMatchObject({ email: s.email, erased_at: null });
  });

  it('deleting the account erases name, email and password but keeps records others rely on under the pseudonym', async () => {
    const s = await newStudent('将被注销');
    const res = await s.client.post('/account/delete', { password: 'my-secret-password', confirm: '注销' });
    expect(res.status).toBe(302);
    expect(s.client.cookies.has('edu_session')).toBe(false);

    const [user] = await testSql()`select email, display_name, password_hash, erased_at, pseudonym from users where id = ${s.id}`;
    expect(user).toMatchObject({ email: null, display_name: null, password_hash: null, pseudonym: s.pseudonym });
    expect(user!.erased_at).not.toBeNull();
    expect(await testSql()`select 1 from sessions where user_id = ${s.id}`).toHaveLength(0);
    // Mail to the person (the sign-up's verification link) goes with their address.
    expect(await testSql()`select 1 from mail_messages where user_id = ${s.id} or to_address = ${s.email}`).toHaveLength(0);
    expect(await testSql()`select 1 from account_tokens where user_id = ${s.id}`).toHaveLength(0);
    // Records that point at the person survive, pointing at the pseudonymous row.
    expect(await testSql()`select 1 from memberships where user_id = ${s.id}`).toHaveLength(1);
    expect((await testSql()`select action from audit_log where subject_user_id = ${s.id}`).map((r) => r.action)).toEqual(
      expect.arrayContaining(['auth.signup', 'account.erased']),
    );
    // The erased person can no longer log in, and their email is free again.
    expect((await new FormClient(baseUrl).login(s.email, 'my-secret-password')).status).toBe(401);
  });
});

describe('administrators', () => {
  let admin: FormClient;
  beforeAll(async () => {
    admin = new FormClient(baseUrl);
    expect((await admin.login('admin@demo.edu.cn', demoPassword)).status).toBe(302);
  });

  it('every view of someone else’s personal data is written to the audit log', async () => {
    const s = await newStudent('被查看的人');
    const before = await auditCount('people.viewed', { actorEmail: 'admin@demo.edu.cn', subjectEmail: s.email });
    const page = await admin.get(`/admin/people/${s.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(s.email);
    expect(html).toContain('这次查看已记入审计日志');
    expect(await auditCount('people.viewed', { actorEmail: 'admin@demo.edu.cn', subjectEmail: s.email })).toBe(before + 1);
  });

  it('a registrar’s view of their own institution’s members is audited too', async () => {
    const registrar = new FormClient(baseUrl);
    await registrar.login('registrar@demo.edu.cn', demoPassword);
    const before = await auditCount('people.viewed', { actorEmail: 'registrar@demo.edu.cn' });
    const res = await registrar.get('/institutions/fjnu/members');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('registrar@demo.edu.cn');
    expect(await auditCount('people.viewed', { actorEmail: 'registrar@demo.edu.cn' })).toBe(before + 1);
  });

  it('creates an institution, and a duplicate short name is refused with 409 keeping what was typed', async () => {
    const slug = `test-school-${Date.now()}`;
    const [county] = await testSql()<{ id: string }[]>`select id from regions where code = '350723'`;
    const fields = { intent: 'create', slug, nameZh: '光泽县测试小学', nameEn: 'Guangze Test Primary', kind: 'school', regionId: county!.id };
    const created = await admin.post('/admin/institutions', fields);
    expect(created.status).toBe(200);
    expect(await created.text()).toContain('已新增院校 光泽县测试小学');
    const dup = await admin.post('/admin/institutions', { ...fields, nameZh: '重复的学校' });
    expect(dup.status).toBe(409);
    const html = await dup.text();
    expect(html).toContain('这个简称已被使用');
    expect(html).toContain('value="重复的学校"');
    expect(await testSql()`select name_zh from institutions where slug = ${slug}`).toEqual([{ name_zh: '光泽县测试小学' }]);
  });

  it('grants and revokes a role, each recorded', async () => {
    const s = await newStudent('新老师');
    const fzu = await institutionIdBySlug('fzu');
    const granted = await admin.post(`/admin/people/${s.id}`, { intent: 'grant', institutionId: fzu, role: 'teacher' });
    expect(granted.status).toBe(200);
    const again = await admin.post(`/admin/people/${s.id}`, { intent: 'grant', institutionId: fzu, role: 'teacher' });
    expect(again.status).toBe(409);
    const [m] = await testSql()<{ id: string }[]>`select id from memberships where user_id = ${s.id} and role = 'teacher'`;
    expect(m).toBeDefined();
    // The new teacher sees the teacher panel on their home page.
    expect(await (await s.client.get('/')).text()).toContain('data-role-panel="teacher"');
    const revoked = await admin.post(`/admin/people/${s.id}`, { intent: 'revoke', membershipId: m!.id });
    expect(revoked.status).toBe(200);
    expect(await testSql()`select 1 from memberships where id = ${m!.id}`).toHaveLength(0);
    expect(await auditCount('role.granted', { subjectEmail: s.email })).toBe(1);
    expect(await auditCount('role.revoked', { subjectEmail: s.email })).toBe(1);
  });

  it('refuses to remove the last administrator', async () => {
    const [m] = await testSql()<{ id: string; user_id: string }[]>`select m.id, m.user_id from memberships m where m.role = 'admin'`;
    const admins = await testSql()`select 1 from memberships where role = 'admin'`;
    if (admins.length !== 1) throw new Error('this test expects the seed’s single admin');
    const res = await admin.post(`/admin/people/${m!.user_id}`, { intent: 'revoke', membershipId: m!.id });
    expect(res.status).toBe(409);
    expect(await testSql()`select 1 from memberships where id = ${m!.id}`).toHaveLength(1);
  });

  it('the audit log shows people by pseudonym, never by email', async () => {
    const res = await admin.get('/admin/audit?action=people.viewed');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('people.viewed');
    expect(html).not.toMatch(/@demo\.edu\.cn|@test\.edu\.cn/);
  });
});
