import { afterAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient, uniqueEmail } from '../support/browserless.js';
import { closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';
import { linkIn, waitForMail } from '../support/mailbox.js';
import { PRIVACY_NOTICE_VERSION } from '../../app/features/accounts/privacy-notice.js';

const baseUrl = inject('baseUrl');
afterAll(closeTestSql);

async function signUp(client: FormClient, fields: Partial<Record<string, string>> = {}) {
  return client.post('/signup', {
    displayName: '测试学生',
    email: uniqueEmail('signup'),
    password: 'a-long-enough-password',
    institutionId: await institutionIdBySlug('gz-no1-middle'),
    birthDate: '2004-05-06',
    consent: 'on',
    noticeVersion: PRIVACY_NOTICE_VERSION,
    ...fields,
  } as Record<string, string>);
}

describe('sign-up', () => {
  it('creates a student at the chosen institution, mails a verification link, and the student can log in', async () => {
    const client = new FormClient(baseUrl);
    const email = uniqueEmail('student');
    const res = await signUp(client, { email, displayName: '山区学生' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/signup/sent');
    expect(client.cookies.has('edu_session')).toBe(false);
    const mail = await waitForMail(email);
    expect(mail.subject).toBe('请确认您的邮箱地址');
    expect(mail.text).toContain('山区学生');
    expect(linkIn(mail, '/account/verify-email').searchParams.get('token')).toBeTruthy();
    expect((await client.login(email, 'a-long-enough-password')).status).toBe(302);
    const home = await (await client.get('/')).text();
    expect(home).toContain('你好，山区学生');
    expect(home).toContain('光泽县第一中学 · 学生');
    const [user] = await testSql()`select password_hash from users where email = ${email}`;
    expect(user!.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('rejects bad fields with 400, field messages, and keeps what was typed except the password', async () => {
    const client = new FormClient(baseUrl);
    const res = await signUp(client, { email: 'not-an-email', password: 'short', displayName: '保留我的名字' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('请输入有效的电子邮箱');
    expect(html).toContain('密码至少需要 10 个字符');
    expect(html).toContain('value="保留我的名字"');
    expect(html).toContain('value="not-an-email"');
    expect(html).not.toContain('value="short"');
  });

  it('answers a taken address exactly as a new one, writes nothing, and tells the owner by mail instead', async () => {
    const email = uniqueEmail('dup');
    const first = await signUp(new FormClient(baseUrl), { email });
    const again = await signUp(new FormClient(baseUrl), { email: email.toUpperCase(), password: 'another-long-password' });
    for (const res of [first, again]) {
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/signup/sent');
      expect(res.headers.getSetCookie().join('\n')).not.toContain('edu_session');
    }
    const rows = await testSql()`select id from users where email = ${email}`;
    expect(rows).toHaveLength(1);
    const owner = await waitForMail(email, { subject: /已经有账号/ });
    expect(linkIn(owner, '/forgot-password')).toBeTruthy();
    // The first sign-up's password still opens the account; the second one's does not.
    expect((await new FormClient(baseUrl).login(email, 'another-long-password')).status).toBe(401);
  });

  it('does not let a student sign up into the education department', async () => {
    const res = await signUp(new FormClient(baseUrl), { institutionId: await institutionIdBySlug('fj-edu-dept') });
    expect(res.status).toBe(400);
  });
});

describe('login and logout', () => {
  it('logs in with the right password and logs out, ending the session on the server', async () => {
    const client = new FormClient(baseUrl);
    const first = await client.login('teacher@demo.edu.cn', demoPassword);
    expect(first.status).toBe(302);
    const firstSession = client.cookies.get('edu_session');
    expect(firstSession).toBeTruthy();
    expect(first.headers.getSetCookie().join('\n')).toMatch(/edu_session=.*HttpOnly.*SameSite=Lax/i);

    expect(await (await client.get('/')).text()).toContain('你好，陈建国');
    // Another browser holding the same cookie is the same session ...
    const bare = new FormClient(baseUrl);
    bare.cookies.set('edu_session', firstSession!);
    expect(await (await bare.get('/')).text()).toContain('你好，陈建国');

    const out = await client.post('/logout', {});
    expect(out.status).toBe(302);
    expect(client.cookies.has('edu_session')).toBe(false);
    // ... and the logged-out session is dead on the server, not only in this browser.
    expect(await (await bare.get('/')).text()).not.toContain('你好，陈建国');
  });

  it('issues a fresh session id at login even when the browser presents an old one', async () => {
    const client = new FormClient(baseUrl);
    await client.login('student@demo.edu.cn', demoPassword);
    const before = client.cookies.get('edu_session')!;
    const [{ n: sessionsBefore }] = (await testSql()`select count(*)::int as n from sessions`) as unknown as [{ n: number }];
    // Log in again through the form with the old cookie still attached (e.g. another tab).
    const fresh = new FormClient(baseUrl, client.ip);
    fresh.cookies.set('edu_session', 'forged-or-stale-session-token-value');
    await fresh.login('student@demo.edu.cn', demoPassword);
    expect(fresh.cookies.get('edu_session')).not.toBe(before);
    expect(fresh.cookies.get('edu_session')).not.toBe('forged-or-stale-session-token-value');
    const [{ n: sessionsAfter }] = (await testSql()`select count(*)::int as n from sessions`) as unknown as [{ n: number }];
    expect(sessionsAfter).toBeGreaterThan(sessionsBefore);
  });

  it('says "wrong email or password" the same way for a wrong password and an unknown account', async () => {
    const wrongPassword = await new FormClient(baseUrl).login('registrar@demo.edu.cn', 'not-the-password');
    const unknown = await new FormClient(baseUrl).login(uniqueEmail('nobody'), 'whatever-password');
    expect(wrongPassword.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await wrongPassword.text(), await unknown.text()];
    expect(a).toContain('邮箱或密码不正确');
    expect(b).toContain('邮箱或密码不正确');
    expect(a).not.toMatch(/value="not-the-password"/);
  });

  it('throttles an account after repeated failures, even from fresh addresses, and lets the right password through afterwards only when the window ends', async () => {
    const email = uniqueEmail('throttle');
    await signUp(new FormClient(baseUrl), { email, password: 'the-real-password' });
    for (let i = 0; i < 5; i++) {
      expect((await new FormClient(baseUrl).login(email, `wrong-${i}-password`)).status).toBe(401);
    }
    const locked = await new FormClient(baseUrl).login(email, 'the-real-password');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await locked.text()).toContain('登录失败次数过多');
  });

  it('throttles one address that tries many accounts', async () => {
    const attacker = new FormClient(baseUrl);
    let status = 0;
    for (let i = 0; i < 31 && status !== 429; i++) {
      status = (await attacker.login(uniqueEmail(`spray${i}`), 'guess-password')).status;
    }
    expect(status).toBe(429);
    // Someone else, elsewhere, is unaffected.
    expect((await new FormClient(baseUrl).login('student@demo.edu.cn', demoPassword)).status).toBe(302);
  });

  it('ends an expired session: the next page asks to log in again', async () => {
    const client = new FormClient(baseUrl);
    await client.login('assistant@demo.edu.cn', demoPassword);
    expect((await client.get('/account')).status).toBe(200);
    await testSql()`update sessions set expires_at = now() - interval '1 minute'
      where user_id = (select id from users where email = 'assistant@demo.edu.cn')`;
    const res = await client.get('/account');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/login?redirectTo=%2Faccount');
  });

  it('sends a user back to the page they asked for, and never to another site', async () => {
    const client = new FormClient(baseUrl);
    const res = await client.post('/login', { email: 'student@demo.edu.cn', password: demoPassword, redirectTo: '/account' });
    expect(res.headers.get('location')).toBe('/account');
    const evil = await new FormClient(baseUrl).post('/login', { email: 'student@demo.edu.cn', password: demoPassword, redirectTo: '//evil.example/' });
    expect(evil.headers.get('location')).toBe('/');
  });
});

describe('forms are protected', () => {
  it('refuses a post without the CSRF token with 403 and changes nothing', async () => {
    const email = uniqueEmail('csrf');
    const client = new FormClient(baseUrl);
    await client.csrfToken();
    const res = await client.post('/signup', { displayName: 'x', email, password: 'a-long-enough-password', institutionId: await institutionIdBySlug('fzu') }, { csrf: false });
    expect(res.status).toBe(403);
    expect(await testSql()`select id from users where email = ${email}`).toHaveLength(0);
  });

  it('refuses a post whose Origin is another site', async () => {
    const res = await new FormClient(baseUrl).post('/login', { email: 'student@demo.edu.cn', password: demoPassword }, { headers: { Origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
  });

  it('refuses an oversized form with 413', async () => {
    const res = await new FormClient(baseUrl).post('/login', { email: 'a@b.cn', password: 'x'.repeat(300 * 1024) });
    expect(res.status).toBe(413);
  });

  it('refuses an unknown language with 400 and keeps the current one', async () => {
    const client = new FormClient(baseUrl);
    const res = await client.post('/lang', { locale: 'fr', redirectTo: '/' });
    expect(res.status).toBe(400);
    expect(client.cookies.has('edu_lang')).toBe(false);
  });

  it('rejects a password too long to hash cheaply with 400', async () => {
    const res = await new FormClient(baseUrl).login('student@demo.edu.cn', 'x'.repeat(500));
    expect(res.status).toBe(400);
  });
});
