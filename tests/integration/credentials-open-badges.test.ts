import { verifyCredential as dccVerify } from '@digitalcredentials/verifier-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FormClient } from '../support/browserless.js';
import { newCompletionRecord, newCourse, newRegistrar, requestIdFrom, signUpStudent } from '../support/credits.js';
import { closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';
import { testServiceEnv } from '../support/env.js';
import { freePort, startProcess, waitFor, type Running } from '../support/processes.js';
import { tlsFront } from '../support/tls-front.js';
import { validateAgainstOb3Schema } from '../support/ob3-schema.js';

// Credentials as an outside verifier sees them: the Digital Credentials Consortium's verifier
// library (behind the Learner Credential Wallet and VerifierPlus) resolves our did:web over
// HTTPS, checks the eddsa-rdfc-2022 proof and reads the status list. The site runs behind a
// TLS front (PUBLIC_URL https) as it would behind a reverse proxy in production.
//
// The front's certificate is self-signed: this test process, and only it, accepts that.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';

let web: Running | undefined;
let front: { close(): Promise<void> } | undefined;
let site = '';
let registrar: Awaited<ReturnType<typeof newRegistrar>>;
let student: Awaited<ReturnType<typeof signUpStudent>>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON documents, read and altered by path
type Doc = Record<string, any>;
type DccLog = { id: string; valid: boolean }[];

beforeAll(async () => {
  const [port, inner] = [await freePort(), await freePort()];
  site = `https://127.0.0.1:${port}`;
  web = startProcess('app/server/main.ts', {
    ...testServiceEnv(), NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(inner), PUBLIC_URL: site, SESSION_SECRET: process.env.SESSION_SECRET,
    SECURE_COOKIES: '0', TRUST_PROXY: '1', LOG_LEVEL: 'warn', MEDIA_ROOT: inject('mediaRoot'),
  });
  front = await tlsFront(port, inner);
  await waitFor(async () => (await fetch(`${site}/healthz`)).ok, 60_000, 'the https site');
  registrar = await newRegistrar(site, 'fjnu');
  student = await signUpStudent(site, 'fjnu', '林晓');
}, 90_000);

afterAll(async () => {
  web?.child.kill('SIGTERM');
  await web?.exited;
  await front?.close();
  await closeTestSql();
});

async function completionCredential(grade = '91.50'): Promise<{ id: string; document: Doc; jwt: string }> {
  const course = await newCourse('fjnu', '2.0');
  const recordId = await newCompletionRecord(student.userId, course, grade);
  const res = await student.client.post('/credits?index', { intent: 'completion-credential', completionRecordId: recordId });
  expect(res.status).toBe(302);
  const id = /\/credentials\/([0-9a-f-]{36})/.exec(res.headers.get('location') ?? '')![1]!;
  const document = (await (await fetch(`${site}/credentials/${id}/download`)).json()) as Doc;
  const envelope = (await (await fetch(`${site}/credentials/${id}/download?format=jwt`)).json()) as { id: string };
  return { id, document, jwt: envelope.id.slice('data:application/vc+jwt,'.length) };
}

const dcc = async (credential: Doc) => {
  const result = (await dccVerify({ credential: credential as Parameters<typeof dccVerify>[0]["credential"], knownDIDRegistries: [] })) as { log?: DccLog; errors?: { name: string; message: string }[] };
  const step = (id: string) => result.log?.find((l) => l.id === id)?.valid;
  if (process.env.DEBUG_DCC) console.log(JSON.stringify(result, (k, v) => (k === 'credential' ? undefined : v)).slice(0, 2500));
  return { signature: step('valid_signature'), expiration: step('expiration'), revocation: step('revocation_status'), errors: result.errors?.map((e) => e.name) ?? [] };
};

const ourApi = async (credential: unknown) => {
  const body = (await (await fetch(`${site}/api/credentials/verify`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ credential }) })).json()) as { valid: boolean; status: string; reason: string | null };
  if (process.env.DEBUG_DCC) console.log(JSON.stringify(body).slice(0, 600));
  return body;
};

const keyCount = async (slug: string) => Number((await testSql()`select count(*)::int as n from institution_signing_keys k join institutions i on i.id = k.institution_id where i.slug = ${slug}`)[0]!.n);
const listRow = async (slug: string) => (await testSql()`select l.version, l.built_at, l.key_id from credential_status_lists l join institutions i on i.id = l.institution_id where i.slug = ${slug}`)[0];

describe('Open Badges 3.0 credentials an outside verifier accepts', () => {
  let first: Awaited<ReturnType<typeof completionCredential>>;

  it('an anonymous status-list or DID request creates no key', async () => {
    const [{ slug }] = (await testSql()`select slug from institutions i where not exists (select 1 from institution_signing_keys k where k.institution_id = i.id) order by slug limit 1`) as unknown as [{ slug: string }];
    expect((await fetch(`${site}/credentials/status/${slug}`)).status).toBe(404);
    const did = (await (await fetch(`${site}/institutions/${slug}/did.json`)).json()) as Doc;
    expect(did.verificationMethod).toEqual([]);
    expect(await keyCount(slug)).toBe(0);
  });

  it('issues an OpenBadgeCredential with a did:web issuer and an eddsa-rdfc-2022 proof that the DCC verifier accepts', async () => {
    first = await completionCredential();
    const { document } = first;
    const did = `did:web:127.0.0.1%3A${new URL(site).port}:institutions:fjnu`;
    expect(document).toMatchObject({
      '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: did, type: ['Profile'] },
      proof: { type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022', proofPurpose: 'assertionMethod', verificationMethod: expect.stringMatching(new RegExp(`^${did}#`)) },
      credentialSubject: {
        identifier: expect.arrayContaining([expect.objectContaining({ identityType: 'name', identityHash: '林晓' }), expect.objectContaining({ identityType: 'emailAddress', hashed: true })]),
        achievement: { achievementType: 'Course', inLanguage: 'zh-CN', resultDescription: [expect.objectContaining({ resultType: 'Percent', valueMax: '100' })] },
        result: [{ value: '91.50' }],
      },
    });
    expect(validateAgainstOb3Schema(document)).toEqual([]);
    expect(await dcc(document)).toEqual({ signature: true, expiration: true, revocation: true, errors: [] });
    expect(await ourApi(document)).toMatchObject({ valid: true, status: 'valid' });
    expect(await ourApi(first.jwt)).toMatchObject({ valid: true, status: 'valid' });
  });

  it('publishes the DID document, issuer profile, status list and verify API with CORS headers for browsers', async () => {
    for (const path of ['/institutions/fjnu/did.json', '/credentials/issuers/fjnu', '/credentials/status/fjnu']) {
      const res = await fetch(`${site}${path}`, { headers: { Origin: 'https://verifier.example' } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('access-control-allow-origin'), path).toBe('*');
    }
    const preflight = await fetch(`${site}/api/credentials/verify`, { method: 'OPTIONS', headers: { Origin: 'https://verifier.example', 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const did = (await (await fetch(`${site}/institutions/fjnu/did.json`)).json()) as Doc;
    expect(did.verificationMethod.slice(0, 2).map((m: Doc) => m.type)).toEqual(['Multikey', 'JsonWebKey']);
    expect(JSON.stringify(did)).not.toMatch(/"d"\s*:/);
    expect(did.assertionMethod).toContain(first.document.proof.verificationMethod);
  });

  it('fails verification when any signed field is changed', async () => {
    const tamperings: [string, (d: Doc) => void][] = [
      ['credit figure', (d) => (d.credentialSubject.creditsEarned = 20)],
      ['grade', (d) => (d.credentialSubject.result[0].value = '99.00')],
      ['holder', (d) => (d.credentialSubject.identifier[0].identityHash = '别人')],
      ['achievement name', (d) => (d.credentialSubject.achievement.name = '高等数学')],
      ['issuer name', (d) => (d.issuer.name = '另一所大学')],
      ['validFrom', (d) => (d.validFrom = '2020-01-01T00:00:00Z')],
      ['status index', (d) => (d.credentialStatus.statusListIndex = '99')],
    ];
    for (const [what, change] of tamperings) {
      const copy = structuredClone(first.document);
      change(copy);
      expect((await dcc(copy)).signature, what).not.toBe(true);
      expect(await ourApi(copy), what).toMatchObject({ valid: false, reason: 'bad-signature' });
    }
    const [h, p, s] = first.jwt.split('.');
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Doc;
    claims.credentialSubject.creditsEarned = 20;
    expect(await ourApi(`${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`)).toMatchObject({ valid: false, reason: 'bad-signature' });
  });

  it('serves the status list from memory: many requests, one signing per change', async () => {
    const before = await listRow('fjnu');
    const etags = new Set<string>();
    for (let i = 0; i < 25; i++) etags.add((await fetch(`${site}/credentials/status/fjnu`)).headers.get('etag')!);
    expect(etags.size).toBe(1);
    expect(await listRow('fjnu')).toEqual(before);
    const cached = await fetch(`${site}/credentials/status/fjnu`, { headers: { 'If-None-Match': [...etags][0]! } });
    expect(cached.status).toBe(304);
    const list = (await (await fetch(`${site}/credentials/status/fjnu`)).json()) as Doc;
    expect(list).toMatchObject({ type: ['VerifiableCredential', 'BitstringStatusListCredential'], validUntil: expect.any(String), credentialSubject: { statusPurpose: 'revocation', ttl: 300000 }, proof: { cryptosuite: 'eddsa-rdfc-2022' } });
  });

  it('revocation: the list is signed once more, and the DCC verifier and ours refuse the credential', async () => {
    const before = await listRow('fjnu');
    expect((await registrar.client.post('/institutions/fjnu/credentials', { intent: 'revoke', credentialId: first.id, reason: '成绩录入错误' })).status).toBe(400); // no confirmation
    expect((await registrar.client.post('/institutions/fjnu/credentials', { intent: 'revoke', credentialId: first.id, reason: '成绩录入错误', confirm: 'yes' })).status).toBe(200);
    const after = await listRow('fjnu');
    expect(after!.version).toBe(before!.version + 1);
    expect(await dcc(first.document)).toMatchObject({ signature: true, revocation: false });
    expect(await ourApi(first.document)).toMatchObject({ valid: false, status: 'revoked' });
    expect(await ourApi(first.jwt)).toMatchObject({ valid: false, status: 'revoked' });
    for (let i = 0; i < 5; i++) await fetch(`${site}/credentials/status/fjnu`);
    expect((await listRow('fjnu'))!.version).toBe(after!.version);
    // The holder is told on the site, with the reason.
    expect(await (await student.client.get('/credits')).text()).toContain('成绩录入错误');
  });

  it('after a key rotation old credentials still verify, the list is signed by the new key, and new credentials use it', async () => {
    const old = await completionCredential('80.00');
    const oldList = (await (await fetch(`${site}/credentials/status/fjnu`)).json()) as Doc;
    const methodsBefore = ((await (await fetch(`${site}/institutions/fjnu/did.json`)).json()) as Doc).verificationMethod.length as number;
    expect((await registrar.client.post('/institutions/fjnu/credentials', { intent: 'rotate-key', confirm: 'yes' })).status).toBe(200);
    const did = (await (await fetch(`${site}/institutions/fjnu/did.json`)).json()) as Doc;
    expect(did.verificationMethod).toHaveLength(methodsBefore + 2);
    expect(did.verificationMethod.slice(0, 2).map((m: Doc) => m.id)).not.toContain(old.document.proof.verificationMethod);
    const list = (await (await fetch(`${site}/credentials/status/fjnu`)).json()) as Doc;
    expect(list.proof.verificationMethod).not.toBe(oldList.proof.verificationMethod);
    // Our verifier reads the new DID document at once; the DCC library caches resolved DID
    // documents for 5 s (did-io's CachedResolver), as any verifier may: wait that out.
    expect(await ourApi(old.document)).toMatchObject({ valid: true });
    await new Promise((r) => setTimeout(r, 5500));
    expect(await dcc(old.document)).toEqual({ signature: true, expiration: true, revocation: true, errors: [] });
    expect(await ourApi(old.document)).toMatchObject({ valid: true });
    expect(await ourApi(old.jwt)).toMatchObject({ valid: true });
    const fresh = await completionCredential('70.00');
    expect(fresh.document.proof.verificationMethod).toBe(list.proof.verificationMethod);
    expect(await dcc(fresh.document)).toMatchObject({ signature: true, revocation: true });
  });

  it('a recognition credential uses an ext: achievement type and states both grade scales', async () => {
    const course = await newCourse('mju', '3.0', 48);
    await registrar.client.post('/institutions/fjnu/credits/rules', { intent: 'create', sources: course.slug, targetKind: 'elective', credits: '3.0', effectiveFrom: '2025-01-01', autoApprove: 'on' });
    const res = await student.client.post('/credits', { completionRecordId: await newCompletionRecord(student.userId, course, '88.00'), institutionId: await institutionIdBySlug('fjnu'), targetKind: 'elective' });
    const requestId = requestIdFrom(res);
    expect((await student.client.post(`/credits/requests/${requestId}`, { intent: 'credential' })).status).toBe(200);
    const [row] = await testSql()`select id from issued_credentials where subject_ref = ${requestId}`;
    const document = (await (await fetch(`${site}/credentials/${row!.id}/download`)).json()) as Doc;
    expect(document.credentialSubject.achievement.achievementType).toBe('ext:CreditRecognition');
    expect(document.credentialSubject.achievement.resultDescription.map((r: Doc) => r.resultType)).toEqual(['Percent', 'LetterGrade']);
    expect(validateAgainstOb3Schema(document)).toEqual([]);
    expect(await dcc(document)).toMatchObject({ signature: true, revocation: true });
    const english = (await (await fetch(document.credentialSubject.achievement.related[0].id)).json()) as Doc;
    expect(english).toMatchObject({ inLanguage: 'en', name: expect.stringContaining('Data Structures') });
  });
});

describe('verifying anyone’s credential on the site', () => {
  it('the page says in plain words who issued what to whom, and whether it holds', async () => {
    const visitor = new FormClient(site);
    const { document } = await completionCredential('66.00');
    const page = await (await visitor.postMultipart('/credentials/verify', { credential: JSON.stringify(document) }, {})).text();
    expect(page).toContain('data-verify-status="verify.verdict.valid"');
    expect(page).toContain('向 林晓 签发了');
    const tampered = { ...document, name: '伪造的课程' };
    expect(await (await visitor.postMultipart('/credentials/verify', { credential: JSON.stringify(tampered) }, {})).text()).toContain('data-verify-status="verify.invalid.bad-signature"');
    expect((await visitor.postMultipart('/credentials/verify', { credential: 'x'.repeat(70 * 1024) }, {})).status).toBe(413);
  });
});
