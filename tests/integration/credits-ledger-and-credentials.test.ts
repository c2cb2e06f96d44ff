import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { entryHash } from '../../app/features/credits/ledger-chain.js';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient } from '../support/browserless.js';
import { newCompletionRecord, newCourse, newRegistrar, requestIdFrom, signUpStudent } from '../support/credits.js';
import { closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';
import { closeOwnerSql, tamperWithLedger } from '../support/dba.js';
import { projectRoot, testServiceEnv } from '../support/env.js';
import { run, tsx } from '../support/processes.js';

const baseUrl = inject('baseUrl');
afterAll(async () => {
  await closeTestSql();
  await closeOwnerSql();
});

let registrar: Awaited<ReturnType<typeof newRegistrar>>;
let student: Awaited<ReturnType<typeof signUpStudent>>;
let requestId = '';
const admin = new FormClient(baseUrl);

beforeAll(async () => {
  registrar = await newRegistrar(baseUrl, 'fjnu');
  const course = await newCourse('mju', '4.0', 64);
  const rule = await registrar.client.post('/institutions/fjnu/credits/rules', { intent: 'create', sources: course.slug, targetKind: 'elective', credits: '4.0', effectiveFrom: '2025-01-01', autoApprove: 'on' });
  expect(rule.status).toBe(200);
  student = await signUpStudent(baseUrl, 'fjnu', '陈小华');
  const res = await student.client.post('/credits', { completionRecordId: await newCompletionRecord(student.userId, course, '88.00'), institutionId: await institutionIdBySlug('fjnu'), targetKind: 'elective' });
  requestId = requestIdFrom(res);
  // A second decision, so that the chain has entries before and after the ones tampered with.
  const other = await signUpStudent(baseUrl, 'fjnu');
  requestIdFrom(await other.client.post('/credits', { completionRecordId: await newCompletionRecord(other.userId, course, '75.00'), institutionId: await institutionIdBySlug('fjnu'), targetKind: 'elective' }));
  expect((await admin.login('admin@demo.edu.cn', demoPassword)).status).toBe(302);
});

async function verifyScript(head?: string) {
  const result = await run(tsx, [path.join(projectRoot, 'scripts/ledger-verify.ts'), ...(head ? [head] : [])], testServiceEnv());
  return { code: result.code, line: result.output.trim().split('\n').find((l) => l.startsWith('ledger ')) ?? result.output };
}

async function adminVerdict(head?: string) {
  const html = await (await admin.get(`/admin/ledger${head ? `?head=${head}` : ''}`)).text();
  return /data-ledger-problem="([^"]+)"[^>]*>([^<]+)</.exec(html)!.slice(1);
}

type Row = { seq: number; kind: string; payload: unknown; occurred_at: string; prev_hash: string; hash: string };
// seq is a bigint: postgres.js returns it as a string, so it is cast back to a number here.
const rows = async () => (await testSql()<Row[]>`select * from ledger_entries order by seq`).map((r) => ({ ...r, seq: Number(r.seq) }));

// The ledger refuses changes (docs/ledger.md): each tampering step below is an administrator's
// who switched its triggers off, as ledger-append-only.test.ts shows one can.
describe('tamper-evident ledger', () => {
  it('verifies intact, then names an altered, a deleted and an inserted entry (script and admin page)', async () => {
    expect(await verifyScript()).toMatchObject({ code: 0, line: expect.stringMatching(/^ledger intact: \d+ entries/) });
    expect((await adminVerdict())[0]).toBe('none');
    const all = await rows();
    expect(all.length).toBeGreaterThanOrEqual(3);
    const victim = all[all.length - 2]!;
    const successor = all[all.length - 1]!;

    // Altered: one credit figure changed in place.
    await tamperWithLedger((tx) => tx`update ledger_entries set payload = payload || '{"credits":"9.0"}'::jsonb where seq = ${victim.seq}`);
    expect(await verifyScript()).toEqual({ code: 1, line: `ledger broken: entry seq ${victim.seq} was altered` });
    expect(await adminVerdict()).toEqual(['altered', `第 ${victim.seq} 条记录的内容被改动过。`]);
    await tamperWithLedger((tx) => tx`update ledger_entries set payload = ${tx.json(victim.payload as never)} where seq = ${victim.seq}`);
    expect((await verifyScript()).code).toBe(0);

    // Deleted: the row is gone; its successor points at a hash nobody has.
    await tamperWithLedger((tx) => tx`delete from ledger_entries where seq = ${victim.seq}`);
    expect(await verifyScript()).toMatchObject({ code: 1, line: expect.stringContaining(`an entry before seq ${successor.seq} was deleted`) });
    expect((await adminVerdict())[0]).toBe('deleted');
    await tamperWithLedger((tx) => tx`insert into ledger_entries ${tx(victim as never)}`);
    expect((await verifyScript()).code).toBe(0);

    // Inserted: a forged decision with a correct hash of its own, slipped in after `victim`.
    const offset = all[all.length - 1]!.seq + 1; // moves the tail past every existing seq
    await tamperWithLedger((tx) => tx`update ledger_entries set seq = seq + ${offset} where seq > ${victim.seq}`);
    const forgedContent = { prevHash: victim.hash, kind: 'credit.decided', payload: { requestId: 'forged', decision: 'approved', credits: '9.0' }, occurredAt: new Date().toISOString() };
    const forgedSeq = victim.seq + 1;
    await tamperWithLedger((tx) => tx`insert into ledger_entries (seq, kind, payload, occurred_at, prev_hash, hash) values (${forgedSeq}, ${forgedContent.kind}, ${tx.json(forgedContent.payload)}, ${forgedContent.occurredAt}, ${forgedContent.prevHash}, ${entryHash(forgedContent)})`);
    expect(await verifyScript()).toEqual({ code: 1, line: `ledger broken: entry seq ${forgedSeq} was inserted` });
    expect((await adminVerdict())[0]).toBe('inserted');
    await tamperWithLedger((tx) => tx`delete from ledger_entries where seq = ${forgedSeq}`);
    await tamperWithLedger((tx) => tx`update ledger_entries set seq = seq - ${offset} where seq >= ${offset}`);
    expect((await verifyScript()).code).toBe(0);
  });

  it('checks the tail against a published head hash', async () => {
    const all = await rows();
    const head = all[all.length - 1]!;
    expect((await verifyScript(head.hash)).code).toBe(0);
    // A well-formed entry appended after the head was published, behind the application's back.
    // A kind the tables are not reconciled with: only the published head tells it apart.
    const content = { prevHash: head.hash, kind: 'rule.changed', payload: { ruleId: 'forged-tail', active: true }, occurredAt: new Date().toISOString() };
    const [added] = await testSql()<{ seq: number }[]>`insert into ledger_entries (kind, payload, occurred_at, prev_hash, hash) values (${content.kind}, ${testSql().json(content.payload)}, ${content.occurredAt}, ${content.prevHash}, ${entryHash(content)}) returning seq`;
    expect((await verifyScript()).code).toBe(0); // the chain itself is consistent…
    expect(await verifyScript(head.hash)).toEqual({ code: 1, line: `ledger broken: entry seq ${added!.seq} was inserted` }); // …the published head is not the end
    expect(await adminVerdict(head.hash)).toEqual(['inserted', `第 ${added!.seq} 条记录是被插入的（后续记录不承认它）。`]);
    await tamperWithLedger((tx) => tx`delete from ledger_entries where seq = ${added!.seq}`);
    // Deleting the tail loses the published head.
    await tamperWithLedger((tx) => tx`delete from ledger_entries where seq = ${head.seq}`);
    expect(await verifyScript(head.hash)).toMatchObject({ code: 1, line: expect.stringContaining('deleted at the end') });
    await tamperWithLedger((tx) => tx`insert into ledger_entries ${tx(head as never)}`);
    expect((await verifyScript(head.hash)).code).toBe(0);
  });
});

const didOf = (slug: string) => `did:web:${encodeURIComponent(new URL(baseUrl).host)}:institutions:${slug}`;
type ControllerDoc = { id: string; verificationMethod: { id: string; type: string; publicKeyJwk?: JWK }[]; assertionMethod: string[] };
// The main test server is plain http; a did:web resolves over https, so the document is read at its path.
const controllerDoc = async (slug: string) => (await (await fetch(`${baseUrl}/institutions/${slug}/did.json`)).json()) as ControllerDoc;

describe('verifiable credentials (Open Badges 3.0 on VC 2.0, the vc+jwt format with EdDSA)', () => {
  let credentialId = '';
  let jwt = '';

  it('the student creates one for a posted request; it verifies with jose against the published issuer key', async () => {
    const res = await student.client.post(`/credits/requests/${requestId}`, { intent: 'credential' });
    expect(res.status).toBe(200);
    const [row] = await testSql()`select id from issued_credentials where subject_ref = ${requestId}`;
    credentialId = row!.id as string;
    const download = await new FormClient(baseUrl).get(`/credentials/${credentialId}/download?format=jwt`);
    const envelope = (await download.json()) as { type: string; id: string };
    expect(envelope.type).toBe('EnvelopedVerifiableCredential');
    jwt = envelope.id.slice('data:application/vc+jwt,'.length);

    const header = decodeProtectedHeader(jwt);
    expect(header).toMatchObject({ alg: 'EdDSA', typ: 'vc+jwt' });
    const issuerUrl = header.kid!.split('#')[0]!;
    expect(issuerUrl).toBe(didOf('fjnu'));
    const issuerDoc = await controllerDoc('fjnu');
    expect(issuerDoc.assertionMethod).toContain(header.kid);
    const jwk = issuerDoc.verificationMethod.find((m) => m.id === header.kid && m.type === 'JsonWebKey')!.publicKeyJwk!;
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(JSON.stringify(issuerDoc)).not.toMatch(/"d"\s*:/); // never the private half
    const { payload } = await jwtVerify(jwt, await importJWK(jwk, 'EdDSA'), { typ: 'vc+jwt' });
    expect(payload).toMatchObject({
      '@context': ['https://www.w3.org/ns/credentials/v2', expect.stringContaining('ob/v3p0')],
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { id: issuerUrl },
      credentialSubject: { type: ['AchievementSubject'], creditsEarned: 4, achievement: { type: ['Achievement'] } },
      credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation' },
    });
    // A changed byte breaks the signature.
    const [h, p, s] = jwt.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, credentialSubject: { ...(payload.credentialSubject as object), creditsEarned: 40 } })).toString('base64url')}.${s}`;
    expect(p).not.toBe(tampered.split('.')[1]);
    await expect(jwtVerify(tampered, await importJWK(jwk, 'EdDSA'))).rejects.toThrow();
    const api = await fetch(`${baseUrl}/api/credentials/verify`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ credential: tampered }) });
    expect(await api.json()).toMatchObject({ valid: false, reason: 'bad-signature' });
  });

  it('the private key is stored sealed, never in the credential or the ledger', async () => {
    const [key] = await testSql()`select k.id, k.sealed_private_key, k.public_jwk from institution_signing_keys k join institutions i on i.id = k.institution_id where i.slug = 'fjnu'`;
    expect(key!.sealed_private_key).not.toContain('PRIVATE KEY');
    const ledger = await testSql()`select payload::text as p from ledger_entries where kind like 'credential.%'`;
    for (const l of ledger) expect(l.p).not.toContain(key!.sealed_private_key as string);
    // The key's creation is ledgered with its public half, so a key slipped in later stands out.
    const [created] = await testSql()`select payload from ledger_entries where kind = 'signing-key.created' and payload->>'keyId' = ${key!.id as string}`;
    expect(created?.payload).toMatchObject({ publicKeyX: (key!.public_jwk as { x: string }).x });
  });

  it('public page and API say valid; only the issuing registrar can revoke; then both say revoked and the status list bit is set', async () => {
    const page = await (await new FormClient(baseUrl).get(`/credentials/${credentialId}`)).text();
    expect(page).toContain('data-credential-valid="yes"');
    expect(page).toContain('<svg');
    const verify = async () => (await (await fetch(`${baseUrl}/api/credentials/verify`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ credential: jwt }) })).json()) as Record<string, unknown>;
    expect(await verify()).toMatchObject({ valid: true, revoked: false });

    const outsider = await newRegistrar(baseUrl, 'mju');
    expect((await outsider.client.post(`/credentials/${credentialId}`, { intent: 'revoke', reason: '越权' })).status).toBe(403);
    expect((await student.client.post(`/credentials/${credentialId}`, { intent: 'revoke', reason: '自己撤销' })).status).toBe(403);
    expect(await verify()).toMatchObject({ valid: true });

    expect((await registrar.client.post(`/credentials/${credentialId}`, { intent: 'revoke', reason: '成绩更正' })).status).toBe(200);
    expect(await verify()).toMatchObject({ valid: false, revoked: true, reason: 'revoked' });
    expect(await (await new FormClient(baseUrl).get(`/credentials/${credentialId}`)).text()).toContain('data-credential-valid="no"');

    // Independently: fetch the status list credential, verify it with jose, read the bit.
    const [, payloadB64] = jwt.split('.');
    const status = (JSON.parse(Buffer.from(payloadB64!, 'base64url').toString()) as { credentialStatus: { statusListCredential: string; statusListIndex: string } }).credentialStatus;
    const listJwt = await (await fetch(status.statusListCredential, { headers: { Accept: 'application/vc+jwt' } })).text();
    const listKey = (await controllerDoc('fjnu')).verificationMethod.find((m) => m.id === decodeProtectedHeader(listJwt).kid)!.publicKeyJwk!;
    const { payload: list } = await jwtVerify(listJwt, await importJWK(listKey, 'EdDSA'));
    const encoded = (list.credentialSubject as { encodedList: string; type: string }).encodedList;
    const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    expect(bits.length).toBe(16384);
    const index = Number(status.statusListIndex);
    expect((bits[index >> 3]! >> (7 - (index & 7))) & 1).toBe(1);
    const [revokedEvent] = await testSql()`select 1 from ledger_entries where kind = 'credential.revoked' and payload->>'credentialId' = ${credentialId}`;
    expect(revokedEvent).toBeDefined();
  });

  it('a course-completion credential is issued by the course’s institution, only to the record’s holder', async () => {
    const [record] = await testSql()`select id from completion_records where user_id = ${student.userId}`;
    const stranger = await signUpStudent(baseUrl, 'fjnu');
    expect((await stranger.client.post('/credits?index', { intent: 'completion-credential', completionRecordId: record!.id as string })).status).toBe(404);
    expect(await testSql()`select 1 from issued_credentials where subject_ref = ${record!.id}`).toHaveLength(0);
    const res = await student.client.post('/credits?index', { intent: 'completion-credential', completionRecordId: record!.id as string });
    expect(res.status).toBe(302);
    const id = /\/credentials\/([0-9a-f-]{36})/.exec(res.headers.get('location') ?? '')![1]!;
    const envelope = (await (await fetch(`${baseUrl}/credentials/${id}/download`)).json()) as { id: string };
    const result = await fetch(`${baseUrl}/api/credentials/verify`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(envelope) });
    expect(await result.json()).toMatchObject({ valid: true, issuer: { id: didOf('mju') } });
  });

  it('erasing the account drops the stored copies that carry the name; the holder’s own copy still verifies', async () => {
    const holder = await signUpStudent(baseUrl, 'fjnu', '即将注销的学生');
    const course = await newCourse('mju', '2.0');
    const recordId = await newCompletionRecord(holder.userId, course, '91.00');
    const res = await holder.client.post('/credits?index', { intent: 'completion-credential', completionRecordId: recordId });
    const id = /\/credentials\/([0-9a-f-]{36})/.exec(res.headers.get('location') ?? '')![1]!;
    const envelope = (await (await fetch(`${baseUrl}/credentials/${id}/download?format=jwt`)).json()) as { id: string };
    // The signed payload names the holder.
    const payload = JSON.parse(Buffer.from(envelope.id.split(',')[1]!.split('.')[1]!, 'base64url').toString('utf8')) as object;
    expect(JSON.stringify(payload)).toContain('即将注销的学生');

    const erase = await holder.client.post('/account/delete', { password: 'a-long-enough-password', confirm: '注销' });
    expect(erase.status).toBe(302);
    const [row] = await testSql()`select jwt, document, revoked_at from issued_credentials where id = ${id}`;
    expect(row).toEqual({ jwt: '', document: null, revoked_at: null });
    const page = await fetch(`${baseUrl}/credentials/${id}`);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('持有人已注销账户');
    expect((await fetch(`${baseUrl}/credentials/${id}/download`)).status).toBe(410);
    const verified = await fetch(`${baseUrl}/api/credentials/verify`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(envelope) });
    expect(await verified.json()).toMatchObject({ valid: true });
  });
});
