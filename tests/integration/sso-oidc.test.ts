import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient, uniqueEmail } from '../support/browserless.js';
import { closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';
import { oidcAccount, signInAtOidcIdp, startOidcIdpProcess, type OidcIdpProcess } from '../support/oidc-idp.js';
import { accountsFor, configureSso, lastRefusal } from '../support/sso.js';

// OpenID Connect sign-in for 福州大学 against a real `oidc-provider`, and an impostor provider
// (same client registration, another issuer) for the wrong-issuer case.
const baseUrl = inject('baseUrl');
const run = randomBytes(3).toString('hex');
const clientSecret = `secret-${randomBytes(12).toString('hex')}`;
const client = { client_id: 'edu-platform', client_secret: clientSecret, redirect_uris: [`${baseUrl}/sso/fzu/oidc/callback`] };
const student = oidcAccount(`s${run}`);
const staff = oidcAccount(`t${run}`, { affiliations: ['staff@fzu.edu.cn'] });
const foreign = oidcAccount(`f${run}`, { affiliations: ['student@fjnu.edu.cn'] });
const localEmail = uniqueEmail('local');
const sameMail = oidcAccount(`m${run}`, { email: localEmail });
/** The account the hostile cases sign in as: refused every time, so it must never exist here. */
const target = oidcAccount(`h${run}`);
const accounts = [student, staff, foreign, sameMail, target];
let idp: OidcIdpProcess;
let impostor: OidcIdpProcess;

beforeAll(async () => {
  [idp, impostor] = await Promise.all([startOidcIdpProcess({ clients: [client], accounts }), startOidcIdpProcess({ clients: [client], accounts })]);
  await configureSso(baseUrl, 'fzu', { protocol: 'oidc', oidcIssuer: idp.issuer, oidcClientId: client.client_id, oidcClientSecret: clientSecret, scopes: 'fzu.edu.cn' });
});

afterAll(async () => {
  await Promise.all([idp?.stop(), impostor?.stop()]);
  await closeTestSql();
});

/** Starts sign-in on the platform; returns the browser and the IdP address it was sent to. */
async function startSignIn(path = '/sso/fzu/start') {
  const browser = new FormClient(baseUrl);
  const res = await browser.get(path);
  expect(res.status).toBe(302);
  return { browser, authorizationUrl: res.headers.get('location')! };
}

async function signIn(account: { username: string; password: string }) {
  const { browser, authorizationUrl } = await startSignIn();
  const callback = await signInAtOidcIdp(authorizationUrl, account);
  const res = await browser.get(callback.pathname + callback.search);
  return { browser, res, callback };
}

async function expectRefused(res: Response, reason: string, message: string, account: { email: string; sub: string }) {
  expect(res.status).toBe(400);
  const html = await res.text();
  expect(html).toContain(message);
  expect(html).toContain('本次登录未创建任何账号');
  expect(await lastRefusal()).toMatchObject({ reason, protocol: 'oidc', institution_id: await institutionIdBySlug('fzu') });
  expect(await accountsFor(account.email, account.sub)).toEqual({ users: 0, identities: 0 });
}

describe('OpenID Connect sign-in', () => {
  it('stores the client secret sealed and never shows it back', async () => {
    const [row] = await testSql()<{ oidc_client_secret_sealed: string }[]>`
      select p.oidc_client_secret_sealed from identity_providers p join institutions i on i.id = p.institution_id where i.slug = 'fzu'`;
    expect(row!.oidc_client_secret_sealed).not.toContain(clientSecret);
    const admin = new FormClient(baseUrl);
    await admin.login('admin@demo.edu.cn', demoPassword);
    const page = await (await admin.get('/institutions/fzu/sso')).text();
    expect(page).toContain(idp.issuer);
    expect(page).not.toContain(clientSecret);
    const audits = await testSql()<{ details: string }[]>`select details::text from audit_log where action = 'sso.settings-saved'`;
    expect(audits.length).toBeGreaterThan(0);
    expect(audits.some((a) => a.details.includes(clientSecret))).toBe(false);
  });

  it('offers the institution on the login page, and finds it by name', async () => {
    const login = await (await new FormClient(baseUrl).get('/login')).text();
    expect(login).toContain('href="/sso/fzu/start"');
    expect(login).toContain('通过fzu 统一身份认证登录');
    const search = await (await new FormClient(baseUrl).get(`/login?q=${encodeURIComponent('福州')}`)).text();
    expect(search).toContain('href="/sso/fzu/start"');
    const none = await (await new FormClient(baseUrl).get(`/login?q=${encodeURIComponent('不存在的大学')}`)).text();
    expect(none).not.toContain('href="/sso/fzu/start"');
  });

  it('sends the browser to the IdP with PKCE, state and nonce, and signs a student in as a verified member', async () => {
    const { authorizationUrl } = await startSignIn();
    const auth = new URL(authorizationUrl);
    expect(auth.origin).toBe(idp.issuer);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('state')).toBeTruthy();
    expect(auth.searchParams.get('nonce')).toBeTruthy();

    const { browser, res } = await signIn(student);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
    expect(await (await browser.get('/')).text()).toContain(`你好，${student.name}`);
    const rows = await testSql()<{ role: string; verification: string; verified_at: Date | null; subject: string }[]>`
      select m.role, m.verification, m.verified_at, e.subject from users u
      join memberships m on m.user_id = u.id join external_identities e on e.user_id = u.id
      where u.email = ${student.email}`;
    expect(rows).toEqual([{ role: 'student', verification: 'sso', verified_at: expect.any(Date), subject: student.sub }]);

    // Signing in again is the same account, not a second one.
    const again = await signIn(student);
    expect(again.res.status).toBe(302);
    expect(await accountsFor(student.email, student.sub)).toEqual({ users: 1, identities: 1 });
  });

  it('gives staff no role when the institution configured none', async () => {
    const { res } = await signIn(staff);
    expect(res.status).toBe(302);
    const rows = await testSql()`select m.role from users u join memberships m on m.user_id = u.id where u.email = ${staff.email}`;
    expect(rows).toEqual([]);
  });

  it('links a local account with the same address only after its password is proven', async () => {
    const local = new FormClient(baseUrl);
    const signup = await local.signUp({ displayName: '本地账号', email: localEmail, password: 'local-password-123', institutionId: await institutionIdBySlug('fzu') });
    expect(signup.status).toBe(302);

    const { browser, res } = await signIn(sameMail);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/sso/link');
    expect(browser.cookies.has('edu_session')).toBe(false);
    expect(await (await browser.get('/sso/link')).text()).toContain(localEmail);
    expect((await accountsFor(localEmail, sameMail.sub)).identities).toBe(0);

    const wrong = await browser.post('/sso/link', { intent: 'link', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('密码不正确，账号未关联');
    expect((await accountsFor(localEmail, sameMail.sub)).identities).toBe(0);

    const right = await browser.post('/sso/link', { intent: 'link', password: 'local-password-123' });
    expect(right.status).toBe(302);
    expect(await (await browser.get('/')).text()).toContain('你好，本地账号');
    expect(await accountsFor(localEmail, sameMail.sub)).toEqual({ users: 1, identities: 1 });
    const [membership] = await testSql()<{ verification: string }[]>`
      select m.verification from memberships m join users u on u.id = m.user_id where u.email = ${localEmail} and m.role = 'student'`;
    expect(membership!.verification).toBe('sso');
    expect(await testSql()`select id from audit_log where action = 'sso.linked'`).not.toHaveLength(0);
  });
});

describe('hostile OpenID Connect answers are refused, audited and create nothing', () => {
  it('refuses an answer whose state is not the one this browser was given', async () => {
    const { browser, authorizationUrl } = await startSignIn();
    const callback = await signInAtOidcIdp(authorizationUrl, target);
    callback.searchParams.set('state', 'forged-state-value');
    await expectRefused(await browser.get(callback.pathname + callback.search), 'state-mismatch', 'state 不一致', target);
  });

  it('refuses an ID token carrying another nonce', async () => {
    const { browser, authorizationUrl } = await startSignIn();
    const tampered = new URL(authorizationUrl);
    tampered.searchParams.set('nonce', 'nonce-of-another-sign-in');
    const callback = await signInAtOidcIdp(tampered.href, target);
    await expectRefused(await browser.get(callback.pathname + callback.search), 'nonce-mismatch', 'nonce 不一致', target);
  });

  it('refuses an answer from another issuer', async () => {
    const { browser, authorizationUrl } = await startSignIn();
    const elsewhere = new URL(authorizationUrl);
    elsewhere.host = new URL(impostor.issuer).host;
    const callback = await signInAtOidcIdp(elsewhere.href, target);
    expect(callback.searchParams.get('iss')).toBe(impostor.issuer);
    await expectRefused(await browser.get(callback.pathname + callback.search), 'issuer-mismatch', 'issuer 不符', target);
  });

  it('refuses an affiliation scoped to another institution', async () => {
    const { res } = await signIn(foreign);
    await expectRefused(res, 'foreign-scope', '属于另一所学校', foreign);
  });

  it('refuses the same answer a second time', async () => {
    const { browser, authorizationUrl } = await startSignIn();
    const callback = await signInAtOidcIdp(authorizationUrl, student);
    expect((await browser.get(callback.pathname + callback.search)).status).toBe(302);
    const replay = await new FormClient(baseUrl).get(callback.pathname + callback.search);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('没有对应的登录请求');
    expect((await lastRefusal())?.reason).toBe('no-flow');
    expect(await accountsFor(student.email, student.sub)).toEqual({ users: 1, identities: 1 });
  });
});

describe('who may change SSO settings', () => {
  it('refuses a student and another institution’s administrator, lets this institution’s administrator in', async () => {
    const email = uniqueEmail('inst-admin');
    const person = new FormClient(baseUrl);
    expect((await person.signUp({ displayName: '院校管理员', email, password: 'inst-admin-password', institutionId: await institutionIdBySlug('fzu') })).status).toBe(302);
    expect((await person.get('/institutions/fzu/sso')).status).toBe(403);

    const [user] = await testSql()<{ id: string }[]>`select id from users where email = ${email}`;
    await testSql()`insert into memberships (user_id, institution_id, role, verification) values (${user!.id}, ${await institutionIdBySlug('fjnu')}, 'institution_admin', 'registrar-approval')`;
    // An institution administrator gives a second factor before any privileged page opens.
    await person.enrolSecondFactor(email);
    expect((await person.get('/institutions/fzu/sso')).status).toBe(403);
    expect((await person.get('/institutions/fjnu/sso')).status).toBe(200);
    const saved = await person.post('/institutions/fjnu/sso', { protocol: 'cas', displayNameZh: '福建师大统一身份认证', displayNameEn: 'FJNU sign-in', casBaseUrl: 'https://cas.fjnu.example/cas', scopes: 'fjnu.edu.cn' });
    expect(saved.status).toBe(200);
    expect((await person.post('/institutions/fzu/sso', { protocol: 'cas', displayNameZh: 'x', displayNameEn: 'x', casBaseUrl: 'https://evil.example/cas' })).status).toBe(403);
    const [row] = await testSql()<{ oidc_issuer: string }[]>`select p.oidc_issuer from identity_providers p join institutions i on i.id = p.institution_id where i.slug = 'fzu'`;
    expect(row!.oidc_issuer).toBe(idp.issuer);
  });

  it('says which field is missing for the chosen protocol and keeps what was typed', async () => {
    const admin = new FormClient(baseUrl);
    await admin.login('admin@demo.edu.cn', demoPassword);
    const res = await admin.post('/institutions/mq-bandong-primary/sso', { protocol: 'oidc', enabled: 'on', displayNameZh: '保留的名称', displayNameEn: 'kept', scopes: 'not a domain!' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('所选协议需要填写此项');
    expect(html).toContain('作用域须为域名');
    expect(html).toContain('value="保留的名称"');
    expect(await testSql()`select p.id from identity_providers p join institutions i on i.id = p.institution_id where i.slug = 'mq-bandong-primary'`).toHaveLength(0);
  });
});
