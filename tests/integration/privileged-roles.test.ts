import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword, demoTotpSecrets } from '../../db/seed/demo-data.js';
import { FormClient } from '../support/browserless.js';
import { newRegistrar, signUpStudent } from '../support/credits.js';
import { auditCount, closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';
import { freshTotpCode } from '../support/totp.js';

const baseUrl = inject('baseUrl');
afterAll(closeTestSql);

const userIdOf = async (email: string) => (await testSql()<{ id: string }[]>`select id from users where email = ${email}`)[0]!.id;

describe('second factor at sign-in', () => {
  it('a registrar gives a TOTP code after the password; until then the session grants nothing, and a wrong code is refused and audited', async () => {
    const client = new FormClient(baseUrl);
    const password = await client.post('/login', { email: 'registrar@demo.edu.cn', password: demoPassword, redirectTo: '/institutions/fjnu/credits' });
    expect(password.status).toBe(302);
    expect(password.headers.get('location')).toBe(`/login/second-factor?redirectTo=${encodeURIComponent('/institutions/fjnu/credits')}`);

    // Half signed in: no registrar page, no account page, not even the student's own pages.
    expect((await client.get('/institutions/fjnu/credits')).headers.get('location')).toMatch(/^\/login\?redirectTo=/);
    expect((await client.get('/account')).headers.get('location')).toMatch(/^\/login\?redirectTo=/);
    expect((await client.get('/login/second-factor')).status).toBe(200);

    const failedBefore = await auditCount('second-factor.failed', { subjectEmail: 'registrar@demo.edu.cn' });
    const wrong = await client.post('/login/second-factor', { code: '000000', redirectTo: '/institutions/fjnu/credits' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('验证码不正确或已用过');
    expect(await auditCount('second-factor.failed', { subjectEmail: 'registrar@demo.edu.cn' })).toBe(failedBefore + 1);
    expect((await client.get('/institutions/fjnu/credits')).status).toBe(302);

    const right = await client.post('/login/second-factor', { code: await freshTotpCode('registrar@demo.edu.cn'), redirectTo: '/institutions/fjnu/credits' });
    expect([right.status, right.headers.get('location')]).toEqual([302, '/institutions/fjnu/credits']);
    expect((await client.get('/institutions/fjnu/credits')).status).toBe(200);
  });

  it('a code is accepted once: the same code on another sign-in is refused', async () => {
    const secret = demoTotpSecrets['admin@demo.edu.cn']!;
    const first = new FormClient(baseUrl);
    await first.post('/login', { email: 'admin@demo.edu.cn', password: demoPassword });
    const code = await freshTotpCode('admin@demo.edu.cn');
    expect((await first.post('/login/second-factor', { code })).status).toBe(302);
    const second = new FormClient(baseUrl);
    await second.post('/login', { email: 'admin@demo.edu.cn', password: demoPassword });
    expect((await second.post('/login/second-factor', { code })).status).toBe(401);
    expect(secret).toBeTruthy();
    // A code that was never issued for this step is refused as well.
    expect((await second.post('/login/second-factor', { code: await generate({ secret, epoch: Math.floor(Date.now() / 1000) - 600 }) })).status).toBe(401);
  });

  it('a recovery code signs in once and is then spent; codes are stored hashed', async () => {
    const registrar = await newRegistrar(baseUrl, 'mju', '恢复码教务');
    const [row] = await testSql()<{ id: string }[]>`select id from users where email = ${registrar.email}`;
    const stored = await testSql()<{ code_hash: string }[]>`select code_hash from recovery_codes where user_id = ${row!.id}`;
    expect(stored).toHaveLength(10);
    const codes = registrar.recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(stored.map((s) => s.code_hash)).not.toContain(codes[0]);

    const phoneless = new FormClient(baseUrl);
    await phoneless.post('/login', { email: registrar.email, password: 'a-long-enough-password', redirectTo: '/institutions/mju/credits' });
    const used = await phoneless.post('/login/second-factor', { code: codes[0]!.toLowerCase(), redirectTo: '/institutions/mju/credits' });
    expect(used.status).toBe(302);
    expect(used.headers.get('location')).toContain('/account/second-factor?recoveryCodeUsed=1');
    expect(await (await phoneless.get('/account/second-factor?recoveryCodeUsed=1')).text()).toContain('还剩 9 个');
    expect((await phoneless.get('/institutions/mju/credits')).status).toBe(200);

    const again = new FormClient(baseUrl);
    await again.post('/login', { email: registrar.email, password: 'a-long-enough-password' });
    expect((await again.post('/login/second-factor', { code: codes[0]! })).status).toBe(401);
    expect((await again.post('/login/second-factor', { code: codes[1]! })).status).toBe(302);
  });

  it('wrong codes are counted before they are checked: six at once, at most five checked', async () => {
    const registrar = await newRegistrar(baseUrl, 'mju', '限流教务');
    const client = new FormClient(baseUrl);
    await client.post('/login', { email: registrar.email, password: 'a-long-enough-password' });
    const before = await auditCount('second-factor.failed', { subjectEmail: registrar.email });
    const answers = await Promise.all(Array.from({ length: 6 }, () => client.post('/login/second-factor', { code: '123456' })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
    expect(await auditCount('second-factor.failed', { subjectEmail: registrar.email })).toBeLessThanOrEqual(before + 5);
    // Throttled even with the right code now.
    const throttled = await client.post('/login/second-factor', { code: await freshTotpCode(registrar.email) });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('Retry-After'))).toBeGreaterThan(0);
  });
});

describe('a privileged role without a second factor', () => {
  it('sends its holder to enrolment at sign-in and before any privileged page; enrolment (QR code, manual key, ten recovery codes) unlocks it', async () => {
    const person = await signUpStudent(baseUrl, 'fzu', '新任教务');
    await testSql()`insert into memberships (user_id, institution_id, role, verification, verified_at) values (${person.userId}, ${await institutionIdBySlug('fzu')}, 'registrar', 'roster', now())`;
    // Already signed in (from sign-up), the role is held back.
    const held = await person.client.get('/institutions/fzu/credits');
    expect(held.status).toBe(302);
    expect(held.headers.get('location')).toBe(`/account/second-factor?redirectTo=${encodeURIComponent('/institutions/fzu/credits')}`);
    // Signing in again leads to enrolment too.
    const fresh = new FormClient(baseUrl);
    const login = await fresh.login(person.email, 'a-long-enough-password', { redirectTo: '/institutions/fzu/credits' });
    expect(login.headers.get('location')).toBe(`/account/second-factor?redirectTo=${encodeURIComponent('/institutions/fzu/credits')}`);
    const page = await (await fresh.get('/account/second-factor')).text();
    expect(page).toContain('<svg');
    expect(page).toMatch(/class="manual-key">[A-Z2-7 ]{20,}</);
    expect((await fresh.post('/account/second-factor', { intent: 'confirm', code: '000000' })).status).toBe(401);

    const { recoveryCodes } = await fresh.enrolSecondFactor(person.email);
    expect(recoveryCodes).toHaveLength(10);
    expect((await fresh.get('/institutions/fzu/credits')).status).toBe(200);
    // The sign-up session, from before the enrolment, was ended.
    expect((await person.client.get('/institutions/fzu/credits')).headers.get('location')).toMatch(/^\/login/);
    // From now on, signing in asks for the code.
    const next = new FormClient(baseUrl);
    const answer = await next.post('/login', { email: person.email, password: 'a-long-enough-password' });
    expect(answer.headers.get('location')).toMatch(/^\/login\/second-factor/);
    expect((await next.giveSecondFactor(person.email)).status).toBe(302);
    expect((await next.get('/institutions/fzu/credits')).status).toBe(200);
  });
});

describe('role grants', () => {
  let admin: FormClient;
  let secondAdmin: Awaited<ReturnType<typeof signUpStudent>>;
  let adminId = '';
  let deptId = '';

  beforeAll(async () => {
    admin = new FormClient(baseUrl);
    expect((await admin.login('admin@demo.edu.cn', demoPassword)).status).toBe(302);
    adminId = await userIdOf('admin@demo.edu.cn');
    deptId = await institutionIdBySlug('fj-edu-dept');
    secondAdmin = await signUpStudent(baseUrl, 'mq-bandong-primary', '第二位管理员');
    await testSql()`insert into memberships (user_id, institution_id, role, verification, verified_at) values (${secondAdmin.userId}, ${deptId}, 'admin', 'roster', now())`;
    await secondAdmin.client.enrolSecondFactor(secondAdmin.email);
  });
  // Other files expect the seed's single administrator.
  afterAll(async () => {
    await testSql()`delete from memberships where role = 'admin' and user_id in (select id from users where display_name in ('第二位管理员', '第三位管理员'))`;
  });

  const ledgerRows = (kind: string, userId: string) => testSql()<{ payload: Record<string, string> }[]>`select payload from ledger_entries where kind = ${kind} and payload->>'userId' = ${userId} order by seq`;

  it('nobody grants a role to themselves', async () => {
    const res = await admin.post(`/admin/people/${adminId}`, { intent: 'grant', institutionId: await institutionIdBySlug('fzu'), role: 'registrar' });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('不能给自己授予角色');
    const teacher = await admin.post(`/admin/people/${adminId}`, { intent: 'grant', institutionId: await institutionIdBySlug('fzu'), role: 'teacher' });
    expect(teacher.status).toBe(403);
    expect(await testSql()`select 1 from memberships where user_id = ${adminId} and role in ('registrar', 'teacher')`).toHaveLength(0);
    expect(await testSql()`select 1 from role_grant_proposals where user_id = ${adminId}`).toHaveLength(0);
  });

  it('a registrar grant waits for a second administrator: the proposer cannot approve it, another admin does, and the grant is audited and in the ledger', async () => {
    const person = await signUpStudent(baseUrl, 'fjnu', '候任教务');
    const proposed = await admin.post(`/admin/people/${person.userId}`, { intent: 'grant', institutionId: await institutionIdBySlug('fjnu'), role: 'registrar' });
    expect(proposed.status).toBe(202);
    expect(await proposed.text()).toContain('须由另一位管理员批准');
    expect(await testSql()`select 1 from memberships where user_id = ${person.userId} and role = 'registrar'`).toHaveLength(0);
    const [proposal] = await testSql()<{ id: string }[]>`select id from role_grant_proposals where user_id = ${person.userId} and status = 'pending'`;
    expect(await auditCount('role.proposed', { actorEmail: 'admin@demo.edu.cn', subjectEmail: person.email })).toBe(1);

    const own = await admin.post(`/admin/people/${person.userId}`, { intent: 'approve-grant', proposalId: proposal!.id });
    expect(own.status).toBe(403);
    expect(await testSql()`select 1 from memberships where user_id = ${person.userId} and role = 'registrar'`).toHaveLength(0);

    // The other administrator sees it waiting and approves it.
    expect(await (await secondAdmin.client.get('/admin/people')).text()).toContain('候任教务');
    const approved = await secondAdmin.client.post(`/admin/people/${person.userId}`, { intent: 'approve-grant', proposalId: proposal!.id });
    expect(approved.status).toBe(200);
    const [membership] = await testSql()<{ id: string; granted_by: string; verification: string; verified_by: string }[]>`
      select id, granted_by, verification, verified_by from memberships where user_id = ${person.userId} and role = 'registrar'`;
    expect(membership).toMatchObject({ granted_by: adminId, verification: 'registrar-approval', verified_by: secondAdmin.userId });
    expect(await auditCount('role.granted', { actorEmail: secondAdmin.email, subjectEmail: person.email })).toBe(1);
    const granted = await ledgerRows('role.granted', person.userId);
    expect(granted).toHaveLength(1);
    expect(granted[0]!.payload).toMatchObject({ role: 'registrar', membershipId: membership!.id, grantedBy: adminId, approvedBy: secondAdmin.userId, proposalId: proposal!.id });
    // Deciding it again changes nothing.
    expect((await secondAdmin.client.post(`/admin/people/${person.userId}`, { intent: 'approve-grant', proposalId: proposal!.id })).status).toBe(409);

    const revoked = await admin.post(`/admin/people/${person.userId}`, { intent: 'revoke', membershipId: membership!.id });
    expect(revoked.status).toBe(200);
    const revocations = await ledgerRows('role.revoked', person.userId);
    expect(revocations.map((r) => r.payload)).toEqual([expect.objectContaining({ role: 'registrar', membershipId: membership!.id, revokedBy: adminId })]);
    expect(await auditCount('role.revoked', { actorEmail: 'admin@demo.edu.cn', subjectEmail: person.email })).toBe(1);
  });

  it('the person a grant is for cannot approve it, and a rejected grant grants nothing', async () => {
    const proposed = await admin.post(`/admin/people/${secondAdmin.userId}`, { intent: 'grant', institutionId: await institutionIdBySlug('mju'), role: 'institution_admin' });
    expect(proposed.status).toBe(202);
    const [proposal] = await testSql()<{ id: string }[]>`select id from role_grant_proposals where user_id = ${secondAdmin.userId} and status = 'pending'`;
    expect((await secondAdmin.client.post(`/admin/people/${secondAdmin.userId}`, { intent: 'approve-grant', proposalId: proposal!.id })).status).toBe(403);
    const third = await signUpStudent(baseUrl, 'mq-bandong-primary', '第三位管理员');
    await testSql()`insert into memberships (user_id, institution_id, role, verification, verified_at) values (${third.userId}, ${deptId}, 'admin', 'roster', now())`;
    await third.client.enrolSecondFactor(third.email);
    expect((await third.client.post(`/admin/people/${secondAdmin.userId}`, { intent: 'reject-grant', proposalId: proposal!.id })).status).toBe(200);
    expect(await testSql()`select 1 from memberships where user_id = ${secondAdmin.userId} and role = 'institution_admin'`).toHaveLength(0);
    expect(await auditCount('role.rejected', { actorEmail: third.email, subjectEmail: secondAdmin.email })).toBe(1);
  });

  it('a teacher grant takes effect at once and is in the ledger and the audit log', async () => {
    const person = await signUpStudent(baseUrl, 'fzu', '新教师');
    const res = await admin.post(`/admin/people/${person.userId}`, { intent: 'grant', institutionId: await institutionIdBySlug('fzu'), role: 'teacher' });
    expect(res.status).toBe(200);
    expect(await testSql()`select 1 from memberships where user_id = ${person.userId} and role = 'teacher'`).toHaveLength(1);
    expect(await ledgerRows('role.granted', person.userId)).toEqual([{ payload: expect.objectContaining({ role: 'teacher', grantedBy: adminId, approvedBy: adminId }) }]);
    expect(await auditCount('role.granted', { actorEmail: 'admin@demo.edu.cn', subjectEmail: person.email })).toBe(1);
  });
});
