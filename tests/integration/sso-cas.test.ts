import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FormClient } from '../support/browserless.js';
import { closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';
import { signInAtCas, startCasServer, type IdpUser, type RunningCasServer } from '../support/idp-servers.js';
import { configureSso, lastRefusal } from '../support/sso.js';

// CAS 3.0 sign-in for 光泽县第一中学 against a real LemonLDAP::NG (scripts/idp/lemonldap.ts).
const baseUrl = inject('baseUrl');
const run = randomBytes(3).toString('hex');
const person = (name: string, scope: string, affiliation: string): IdpUser => ({
  username: `${name}${run}`,
  password: `pw-${name}-${run}`,
  displayName: `统一认证 ${name}`,
  mail: `${name}${run}@${scope}`,
  eduPersonPrincipalName: `${name}${run}@${scope}`,
  eduPersonScopedAffiliation: [`${affiliation}@${scope}`],
});
const pupil = person('pupil', 'gzyz.edu.cn', 'student');
const outsider = person('outsider', 'fjnu.edu.cn', 'student');
let cas: RunningCasServer;

beforeAll(async () => {
  cas = await startCasServer({ serviceUrlPrefix: `${baseUrl}/sso/`, users: [pupil, outsider] });
  await configureSso(baseUrl, 'gz-no1-middle', { protocol: 'cas', casBaseUrl: cas.casBaseUrl, scopes: 'gzyz.edu.cn' });
});

afterAll(async () => {
  await cas?.stop();
  await closeTestSql();
});

async function ticketFor(user: IdpUser) {
  const browser = new FormClient(baseUrl);
  const start = await browser.get('/sso/gz-no1-middle/start');
  expect(start.status).toBe(302);
  const { serviceUrl } = await signInAtCas(start.headers.get('location')!, user.username, user.password);
  const back = new URL(serviceUrl);
  return { browser, path: back.pathname + back.search };
}

describe('CAS 3.0 sign-in', () => {
  it('validates the ticket with attributes and signs the pupil in as a verified member', async () => {
    const { browser, path } = await ticketFor(pupil);
    const res = await browser.get(path);
    expect(res.status).toBe(302);
    expect(await (await browser.get('/')).text()).toContain(`你好，${pupil.displayName}`);
    const rows = await testSql()`select m.role, m.verification, e.subject from users u join memberships m on m.user_id = u.id join external_identities e on e.user_id = u.id where u.email = ${pupil.mail}`;
    expect(rows).toEqual([{ role: 'student', verification: 'sso', subject: pupil.eduPersonPrincipalName }]);
  });

  it('refuses a ticket used a second time, audited, creating nothing', async () => {
    const { browser, path } = await ticketFor(pupil);
    expect((await browser.get(path)).status).toBe(302);
    const before = await testSql()`select id from audit_log where action = 'sso.signed-in'`;
    const again = await new FormClient(baseUrl).get(path);
    expect(again.status).toBe(403);
    expect(await again.text()).toContain('已经用过一次');
    expect(await lastRefusal()).toMatchObject({ reason: 'replayed', protocol: 'cas', institution_id: await institutionIdBySlug('gz-no1-middle') });
    expect(await testSql()`select id from audit_log where action = 'sso.signed-in'`).toHaveLength(before.length);
  });

  it('refuses attributes scoped to another institution', async () => {
    const { browser, path } = await ticketFor(outsider);
    const res = await browser.get(path);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('属于另一所学校');
    expect((await lastRefusal())?.reason).toBe('foreign-scope');
    expect(await testSql()`select id from users where email = ${outsider.mail}`).toHaveLength(0);
  });
});
