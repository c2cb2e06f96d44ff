import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FormClient } from '../support/browserless.js';
import { closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';
import { demoUsers, signInAtSamlIdp, startSamlIdp, type RunningSamlIdp } from '../support/idp-servers.js';
import { assertionOf, decode, encode, idpPrivateKey, signAssertion, strangerPrivateKey, stripSignatures } from '../support/saml-tamper.js';
import { configureSso, lastRefusal } from '../support/sso.js';

// SAML 2.0 (CARSI) sign-in for 福建师范大学 against a real SimpleSAMLphp. Hostile answers are
// made from real signed ones (tampered, re-signed with a stranger's key or the IdP's own).
const baseUrl = inject('baseUrl');
const spEntityId = `${baseUrl}/sso/fjnu/saml/metadata`;
const acsPath = '/sso/fjnu/saml/acs';
const [alice, bob, mallory] = demoUsers as [(typeof demoUsers)[0], (typeof demoUsers)[0], (typeof demoUsers)[0]];
let idp: RunningSamlIdp;

beforeAll(async () => {
  idp = await startSamlIdp({ spEntityId, acsUrl: `${baseUrl}${acsPath}` });
  await configureSso(baseUrl, 'fjnu', { protocol: 'saml', samlMetadataUrl: idp.metadataUrl, scopes: 'fjnu.edu.cn' });
});

afterAll(async () => {
  await idp?.stop();
  await closeTestSql();
});

/** A browser that starts sign-in here and gets the IdP's signed answer for `user` (not yet posted back). */
async function answerFor(user: { username: string; password: string }) {
  const browser = new FormClient(baseUrl);
  const start = await browser.get('/sso/fjnu/start');
  expect(start.status).toBe(302);
  const post = await signInAtSamlIdp(start.headers.get('location')!, user.username, user.password);
  return { browser, post };
}

/** Posts an answer to the ACS as the IdP's auto-submitting page does (from the IdP's origin, no CSRF token). */
function postToAcs(browser: FormClient, samlResponse: string, relayState: string | undefined) {
  return browser.post(acsPath, { SAMLResponse: samlResponse, RelayState: relayState ?? '' }, { csrf: false, headers: { Origin: idp.baseUrl } });
}

async function usersWithMail(mail: string): Promise<number> {
  const [row] = await testSql()<{ n: string }[]>`select count(*) as n from users where email = ${mail}`;
  return Number(row!.n);
}

async function expectRefused(res: Response, reason: string, message: string, status = 400) {
  expect(res.status).toBe(status);
  const html = await res.text();
  expect(html).toContain(message);
  expect(await lastRefusal()).toMatchObject({ reason, protocol: 'saml', institution_id: await institutionIdBySlug('fjnu') });
}

describe('SAML 2.0 sign-in', () => {
  it('serves the SP metadata at its entityID URL, with the ACS', async () => {
    const res = await fetch(`${baseUrl}/sso/fjnu/saml/metadata`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/samlmetadata+xml');
    const xml = await res.text();
    expect(xml).toContain(`entityID="${spEntityId}"`);
    expect(xml).toContain(`Location="${baseUrl}${acsPath}"`);
  });

  it('signs a student in through the IdP as a verified member, keyed by pairwise-id', async () => {
    const { browser, post } = await answerFor(alice);
    const acs = await postToAcs(browser, post.samlResponse, post.relayState);
    expect(acs.status).toBe(303);
    expect(acs.headers.get('location')).toBe('/sso/fjnu/saml/finish');
    const finish = await browser.get('/sso/fjnu/saml/finish');
    expect(finish.status).toBe(302);
    expect(await (await browser.get('/')).text()).toContain(`你好，${alice.displayName}`);
    const rows = await testSql()<{ role: string; verification: string; subject: string; protocol: string }[]>`
      select m.role, m.verification, e.subject, e.protocol from users u
      join memberships m on m.user_id = u.id join external_identities e on e.user_id = u.id
      where u.email = ${alice.mail}`;
    expect(rows).toEqual([{ role: 'student', verification: 'sso', subject: expect.stringMatching(/^[0-9a-f]{32}@fjnu\.edu\.cn$/), protocol: 'saml' }]);
  });

  it('gives staff no role when the institution configured none', async () => {
    const { browser, post } = await answerFor(bob);
    expect((await postToAcs(browser, post.samlResponse, post.relayState)).status).toBe(303);
    expect((await browser.get('/sso/fjnu/saml/finish')).status).toBe(302);
    expect(await testSql()`select m.role from users u join memberships m on m.user_id = u.id where u.email = ${bob.mail}`).toEqual([]);
  });

  it('does not sign in a browser that did not start the sign-in (an answer posted through someone else)', async () => {
    const { post } = await answerFor(alice);
    const victim = new FormClient(baseUrl);
    expect((await postToAcs(victim, post.samlResponse, post.relayState)).status).toBe(303);
    const finish = await victim.get('/sso/fjnu/saml/finish');
    await expectRefused(finish, 'no-flow', '没有对应的登录请求');
    expect(victim.cookies.has('edu_session')).toBe(false);
  });
});

describe('hostile SAML answers are refused, audited and create nothing', () => {
  // Each case changes the answer for bob into one for a person who must never get an account.
  const victimMail = 'victim@fjnu.edu.cn';
  const retarget = (xml: string) => xml.replaceAll(bob.mail, victimMail).replaceAll(bob.eduPersonPrincipalName, 'victim@fjnu.edu.cn');

  afterAll(async () => {
    expect(await usersWithMail(victimMail)).toBe(0);
  });

  it('refuses an unsigned assertion', async () => {
    const { browser, post } = await answerFor(bob);
    const unsigned = retarget(stripSignatures(decode(post.samlResponse)));
    await expectRefused(await postToAcs(browser, encode(unsigned), post.relayState), 'unsigned', '没有数字签名');
  });

  it('refuses an assertion signed with a key the institution did not publish', async () => {
    const { browser, post } = await answerFor(bob);
    const forged = signAssertion(retarget(stripSignatures(decode(post.samlResponse))), strangerPrivateKey());
    await expectRefused(await postToAcs(browser, encode(forged), post.relayState), 'bad-signature', '数字签名无效');
  });

  it('refuses XML signature wrapping (a forged assertion beside the signed one)', async () => {
    const { browser, post } = await answerFor(bob);
    const xml = decode(post.samlResponse);
    const signed = assertionOf(xml);
    const evil = retarget(stripSignatures(signed)).replace(/ID="([^"]+)"/, 'ID="_evil$1"');
    // The response keeps its own signature; the signed assertion hides after the forged one.
    const wrapped = xml.replace(signed, `${evil}${signed}`);
    await expectRefused(await postToAcs(browser, encode(wrapped), post.relayState), 'bad-signature', '数字签名无效');
  });

  it('refuses an assertion the IdP issued for another service provider', async () => {
    const { browser, post } = await answerFor(bob);
    const elsewhere = stripSignatures(decode(post.samlResponse)).replace(/<saml:Audience>[^<]*<\/saml:Audience>/, '<saml:Audience>https://other-sp.example/shibboleth</saml:Audience>');
    await expectRefused(await postToAcs(browser, encode(signAssertion(retarget(elsewhere), idpPrivateKey(idp.folder))), post.relayState), 'wrong-audience', '发给其他网站');
  });

  it('refuses an expired assertion', async () => {
    const { browser, post } = await answerFor(bob);
    const past = (iso: string) => new Date(Date.parse(iso) - 3 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const expired = stripSignatures(decode(post.samlResponse)).replace(/(NotBefore|NotOnOrAfter|IssueInstant|AuthnInstant|SessionNotOnOrAfter)="([^"]+)"/g, (_, name: string, iso: string) => `${name}="${past(iso)}"`);
    await expectRefused(await postToAcs(browser, encode(signAssertion(retarget(expired), idpPrivateKey(idp.folder))), post.relayState), 'expired', '已过期');
  });

  it('refuses the same answer a second time, from any browser', async () => {
    const { browser, post } = await answerFor(bob);
    expect((await postToAcs(browser, post.samlResponse, post.relayState)).status).toBe(303);
    const before = await testSql()`select id from audit_log where action = 'sso.signed-in'`;
    await expectRefused(await postToAcs(new FormClient(baseUrl), post.samlResponse, post.relayState), 'replayed', '已经用过一次', 403);
    await expectRefused(await postToAcs(browser, post.samlResponse, post.relayState), 'replayed', '已经用过一次', 403);
    expect(await testSql()`select id from audit_log where action = 'sso.signed-in'`).toHaveLength(before.length);
  });

  it('refuses attributes scoped to another institution', async () => {
    const { browser, post } = await answerFor(mallory);
    await expectRefused(await postToAcs(browser, post.samlResponse, post.relayState), 'foreign-scope', '属于另一所学校');
    expect(await usersWithMail(mallory.mail)).toBe(0);
  });
});
