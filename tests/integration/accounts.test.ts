import { afterAll, describe, expect, inject, it } from 'vitest';
import { PRIVACY_NOTICE_VERSION } from '../../app/features/accounts/privacy-notice.js';
import { FormClient, uniqueEmail } from '../support/browserless.js';
import { auditCount, closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';
import { linkIn, mailTo, waitForMail } from '../support/mailbox.js';

const baseUrl = inject('baseUrl');
afterAll(closeTestSql);

const password = 'a-long-enough-password';

async function newAccount(fields: Record<string, string> = {}) {
  const email = uniqueEmail('acct');
  const client = new FormClient(baseUrl);
  const res = await client.signUp({ displayName: '账号测试', email, password, institutionId: await institutionIdBySlug('fzu'), ...fields });
  expect(res.status).toBe(302);
  const [row] = await testSql()<{ id: string }[]>`select id from users where email = ${email}`;
  return { client, email, id: row!.id };
}

const tokenOf = (link: URL) => link.searchParams.get('token')!;

describe('email verification', () => {
  it('opening the link only shows a button; pressing it verifies the address once', async () => {
    const { client, email, id } = await newAccount();
    const link = linkIn(await waitForMail(email, { subject: /确认/ }), '/account/verify-email');
    // A mail scanner opening the link uses nothing.
    const page = await client.get(link.pathname + link.search);
    expect(page.status).toBe(200);
    // The site-wide policy comes first; browsers apply the last one they understand.
    expect(page.headers.get('referrer-policy')).toMatch(/(^|, )same-origin$/);
    expect((await testSql()`select email_verified_at from users where id = ${id}`)[0]!.email_verified_at).toBeNull();

    const done = await client.post('/account/verify-email', { token: tokenOf(link) });
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/account?verified=1');
    expect((await testSql()`select email_verified_at from users where id = ${id}`)[0]!.email_verified_at).not.toBeNull();
    expect(await (await client.get('/account')).text()).toContain('（已确认）');

    const again = await client.post('/account/verify-email', { token: tokenOf(link) });
    expect(again.status).toBe(410);
  });

  it('an address change takes effect only when the new address follows its link', async () => {
    const { client, email, id } = await newAccount();
    const newEmail = uniqueEmail('moved');
    expect((await client.post('/account/email', { intent: 'change', email: newEmail, currentPassword: 'wrong-password-here' })).status).toBe(401);
    expect((await client.post('/account/email', { intent: 'change', email: newEmail, currentPassword: password })).status).toBe(200);
    const link = linkIn(await waitForMail(newEmail), '/account/verify-email');
    expect((await testSql()`select email from users where id = ${id}`)[0]!.email).toBe(email);
    expect((await client.post('/account/verify-email', { token: tokenOf(link) })).status).toBe(302);
    const [row] = await testSql()`select email, email_verified_at from users where id = ${id}`;
    expect(row!.email).toBe(newEmail);
    expect(row!.email_verified_at).not.toBeNull();
    expect((await new FormClient(baseUrl).login(newEmail, password)).status).toBe(302);
  });

  it('asking to move to an address that has an account answers the same, and mails that address no link', async () => {
    const { client } = await newAccount();
    const taken = (await newAccount()).email;
    const res = await client.post('/account/email', { intent: 'change', email: taken, currentPassword: password });
    expect(res.status).toBe(200);
    const mail = await waitForMail(taken, { subject: /已经有账号/ });
    expect(mail.links.some((l) => l.includes('/account/verify-email'))).toBe(false);
  });
});

describe('password reset', () => {
  it('answers the same for an address with and without an account; only the account gets mail', async () => {
    const { email } = await newAccount();
    const nobody = uniqueEmail('nobody');
    const [a, b] = [new FormClient(baseUrl), new FormClient(baseUrl)];
    const known = await a.post('/forgot-password', { email });
    const unknown = await b.post('/forgot-password', { email: nobody });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    // Byte for byte the same page, but for each browser's own CSRF token and script nonce.
    const strip = (html: string, client: FormClient) => html.replaceAll(decodeURIComponent(client.cookies.get('edu_csrf')!), '').replace(/nonce="[^"]*"/g, '');
    expect(strip(await known.text(), a)).toBe(strip(await unknown.text(), b));
    await waitForMail(email, { subject: /重置/ });
    // Both requests went through the same outbox and job; the one for nobody is skipped.
    const rows = await testSql()<{ status: string }[]>`select status from mail_messages where to_address = ${nobody} and template = 'password-reset'`;
    expect(rows).toHaveLength(1);
    await expect.poll(async () => (await testSql()<{ status: string }[]>`select status from mail_messages where to_address = ${nobody}`)[0]!.status).toBe('skipped');
    expect(mailTo(nobody)).toHaveLength(0);
  });

  it('a reset link works once, sets the password, signs out every session and says so by mail', async () => {
    const { client, email } = await newAccount();
    const elsewhere = new FormClient(baseUrl);
    expect((await elsewhere.login(email, password)).status).toBe(302);
    await new FormClient(baseUrl).post('/forgot-password', { email });
    const link = linkIn(await waitForMail(email, { subject: /重置/ }), '/reset-password');
    expect((await new FormClient(baseUrl).get(link.pathname + link.search)).status).toBe(200);

    const browser = new FormClient(baseUrl);
    const res = await browser.post('/reset-password', { token: tokenOf(link), password: 'a-brand-new-password' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?reset=1');
    for (const c of [client, elsewhere]) expect((await c.get('/account')).status).toBe(302);
    expect((await new FormClient(baseUrl).login(email, password)).status).toBe(401);
    expect((await new FormClient(baseUrl).login(email, 'a-brand-new-password')).status).toBe(302);
    await waitForMail(email, { subject: /密码已更改/ });

    const reused = await new FormClient(baseUrl).post('/reset-password', { token: tokenOf(link), password: 'yet-another-password' });
    expect(reused.status).toBe(410);
    expect(await reused.text()).toContain('这个链接已失效');
  });

  it('a link older than 30 minutes no longer works', async () => {
    const { email } = await newAccount();
    await new FormClient(baseUrl).post('/forgot-password', { email });
    const link = linkIn(await waitForMail(email, { subject: /重置/ }), '/reset-password');
    await testSql()`update account_tokens set expires_at = now() - interval '1 second'
      where purpose = 'password-reset' and user_id = (select id from users where email = ${email})`;
    expect((await new FormClient(baseUrl).post('/reset-password', { token: tokenOf(link), password: 'a-brand-new-password' })).status).toBe(410);
  });

  it('is throttled per address (whatever the client address) and per client address', async () => {
    const email = uniqueEmail('reset-throttle');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await new FormClient(baseUrl).post('/forgot-password', { email })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);

    const one = new FormClient(baseUrl);
    let status = 0;
    let tries = 0;
    while (status !== 429 && tries < 25) {
      status = (await one.post('/forgot-password', { email: uniqueEmail(`spray${tries++}`) })).status;
    }
    expect(status).toBe(429);
    expect(tries).toBe(21);
  });
});

describe('password change and sessions', () => {
  it('needs the current password, ends every other session and keeps this one', async () => {
    const { client, email } = await newAccount();
    const phone = new FormClient(baseUrl);
    expect((await phone.login(email, password)).status).toBe(302);
    expect((await client.post('/account/password', { currentPassword: 'not-my-password', password: 'the-next-password' })).status).toBe(401);
    const res = await client.post('/account/password', { currentPassword: password, password: 'the-next-password' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('1 个其他设备上的登录已退出');
    expect((await client.get('/account')).status).toBe(200);
    expect((await phone.get('/account')).status).toBe(302);
    expect((await new FormClient(baseUrl).login(email, 'the-next-password')).status).toBe(302);
    await waitForMail(email, { subject: /密码已更改/ });
  });

  it('lists one’s own sessions with their device, and signs out one or every other', async () => {
    const { client, email } = await newAccount();
    const others = [new FormClient(baseUrl), new FormClient(baseUrl)];
    for (const o of others) expect((await o.login(email, password)).status).toBe(302);
    const html = await (await client.get('/account/sessions')).text();
    expect(html).toContain('当前设备');
    const ids = [...html.matchAll(/name="session" value="([0-9a-f]{64})"/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(3);

    // Someone else's session id does nothing to it.
    const stranger = await newAccount();
    const ownIds = [...(await (await stranger.client.get('/account/sessions')).text()).matchAll(/name="session" value="([0-9a-f]{64})"/g)].map((m) => m[1]!);
    await client.post('/account/sessions', { intent: 'end-one', session: ownIds[0]! });
    expect((await stranger.client.get('/account')).status).toBe(200);

    const [{ id_hash: phoneSession }] = (await testSql()`select id_hash from sessions where user_id = (select id from users where email = ${email}) order by created_at desc limit 1`) as unknown as [{ id_hash: string }];
    expect((await client.post('/account/sessions', { intent: 'end-one', session: phoneSession })).status).toBe(200);
    expect((await others[1]!.get('/account')).status).toBe(302);
    expect((await others[0]!.get('/account')).status).toBe(200);
    const ended = await client.post('/account/sessions', { intent: 'end-others' });
    expect(await ended.text()).toContain('已退出 1 个设备上的登录');
    expect((await others[0]!.get('/account')).status).toBe(302);
    expect((await client.get('/account')).status).toBe(200);
  });
});

describe('consent and age (PIPL)', () => {
  it('records consent to the privacy notice version shown', async () => {
    const { id } = await newAccount();
    const rows = await testSql()<{ kind: string; notice_version: string; recorded_by: string }[]>`select kind, notice_version, recorded_by from consents where subject_user_id = ${id}`;
    expect(rows).toEqual([{ kind: 'self', notice_version: PRIVACY_NOTICE_VERSION, recorded_by: id }]);
    const notice = await (await new FormClient(baseUrl).get('/privacy')).text();
    expect(notice).toContain(PRIVACY_NOTICE_VERSION);
  });

  it('refuses a child under 14 with a message that their school enrols them, storing nothing', async () => {
    const email = uniqueEmail('child');
    const today = new Date(Date.now() + 8 * 3600_000);
    const thirteen = `${today.getUTCFullYear() - 13}-01-01`;
    const res = await new FormClient(baseUrl).post('/signup', {
      displayName: '小学生', email, password, institutionId: await institutionIdBySlug('fzu'), birthDate: thirteen, consent: 'on', noticeVersion: PRIVACY_NOTICE_VERSION,
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('未满 14 周岁的同学不能自行注册');
    expect(await testSql()`select id from users where email = ${email}`).toHaveLength(0);
  });

  it('refuses a sign-up without consent or with a notice version that is not the current one', async () => {
    const email = uniqueEmail('noconsent');
    const base = { displayName: 'x', email, password, institutionId: await institutionIdBySlug('fzu'), birthDate: '2000-01-01' };
    const none = await new FormClient(baseUrl).post('/signup', { ...base, noticeVersion: PRIVACY_NOTICE_VERSION });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('需要阅读并同意个人信息保护告知书');
    expect((await new FormClient(baseUrl).post('/signup', { ...base, consent: 'on', noticeVersion: '1999-01-01' })).status).toBe(409);
    expect(await testSql()`select id from users where email = ${email}`).toHaveLength(0);
  });

  it('limits sign-ups per address', async () => {
    const email = uniqueEmail('signup-throttle');
    const fields = { displayName: 'x', email, password, institutionId: await institutionIdBySlug('fzu'), birthDate: '2000-01-01', consent: 'on', noticeVersion: PRIVACY_NOTICE_VERSION };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await new FormClient(baseUrl).post('/signup', fields)).status);
    expect(statuses).toEqual([302, 302, 302, 429]);
  });
});

describe('login fences', () => {
  it('eight wrong passwords sent at once: at most five are checked', async () => {
    const { email } = await newAccount();
    const before = await auditCount('auth.login-failed', { subjectEmail: email });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => new FormClient(baseUrl).login(email, `wrong-guess-${i}-x`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect((await auditCount('auth.login-failed', { subjectEmail: email })) - before).toBe(5);
  });

  it('a correct password gives its reservation back', async () => {
    const { email } = await newAccount();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await new FormClient(baseUrl).login(email, `wrong-${i}-password`)).status);
    statuses.push((await new FormClient(baseUrl).login(email, password)).status);
    for (let i = 0; i < 4; i++) statuses.push((await new FormClient(baseUrl).login(email, `wrong-again-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 302, 401, 401, 401, 401]);
  });

  it.each([
    ['/\t/evil.example'],
    ['/\\evil.example'],
    ['/%09/evil.example'],
    ['/%5Cevil.example'],
    ['/%2F%2Fevil.example'],
    ['//evil.example'],
    ['/\r\nSet-Cookie: x=y'],
    ['/\n/evil.example'],
  ])('after login, redirectTo %j stays on this site', async (redirectTo) => {
    const { email } = await newAccount();
    const res = await new FormClient(baseUrl).post('/login', { email, password, redirectTo });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
  });

  it('a newline in the login page address is shown, not a 500', async () => {
    const res = await new FormClient(baseUrl).get(`/login?redirectTo=${encodeURIComponent('/\n/evil.example')}`);
    expect(res.status).toBe(200);
  });

  it('/login links to password reset', async () => {
    const html = await (await new FormClient(baseUrl).get('/login')).text();
    expect(html).toContain('href="/forgot-password"');
  });
});
