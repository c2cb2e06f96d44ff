import { createPublicKey, verify } from 'node:crypto';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { platformKeyFromSeed } from '../../db/checkpoint-signature.js';
import { createDatabase } from '../../db/client.js';
import { jobId } from '../../workers/queues.js';
import { signLedgerCheckpointJob } from '../../workers/handlers/sign-ledger-checkpoint.js';
import { entryHash, genesisHash } from '../../app/features/credits/ledger-chain.js';
import { demoPassword } from '../../db/seed/demo-data.js';
import { FormClient } from '../support/browserless.js';
import { newCompletionRecord, newCourse, newRegistrar, requestIdFrom, signUpStudent } from '../support/credits.js';
import { closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';
import { closeOwnerSql, ownerSql, tamperWithLedger } from '../support/dba.js';
import { projectRoot, testServiceEnv } from '../support/env.js';
import { run, tsx } from '../support/processes.js';

// The ledger against someone who can write the database: PostgreSQL refuses the application's
// role (no rights) and even the owner (a trigger); an administrator who switches the trigger off
// and rewrites history, re-hashing the chain, is caught by a checkpoint kept outside.

const baseUrl = inject('baseUrl');
const keptDir = mkdtempSync(path.join(tmpdir(), 'edu-checkpoint-'));
const admin = new FormClient(baseUrl);
let registrar: Awaited<ReturnType<typeof newRegistrar>>;
let student: Awaited<ReturnType<typeof signUpStudent>>;
let requestId = '';
let ruleId = '';

afterAll(async () => {
  await closeTestSql();
  await closeOwnerSql();
  rmSync(keptDir, { recursive: true, force: true });
});

beforeAll(async () => {
  registrar = await newRegistrar(baseUrl, 'fjnu');
  const course = await newCourse('mju', '4.0', 64);
  const rule = await registrar.client.post('/institutions/fjnu/credits/rules', { intent: 'create', sources: course.slug, targetKind: 'elective', credits: '4.0', effectiveFrom: '2025-01-01', autoApprove: 'on' });
  expect(rule.status).toBe(200);
  const [row] = await testSql()<{ id: string }[]>`select r.id from equivalency_rules r join equivalency_rule_sources s on s.rule_id = r.id where s.course_id = ${course.id}`;
  ruleId = row!.id;
  student = await signUpStudent(baseUrl, 'fjnu', '账本学生');
  requestId = requestIdFrom(await student.client.post('/credits', { completionRecordId: await newCompletionRecord(student.userId, course, '90.00'), institutionId: await institutionIdBySlug('fjnu'), targetKind: 'elective' }));
  expect((await student.client.post(`/credits/requests/${requestId}`, { intent: 'credential' })).status).toBe(200);
  expect((await admin.login('admin@demo.edu.cn', demoPassword)).status).toBe(302);
});

async function ledgerVerify(...args: string[]) {
  const result = await run(tsx, [path.join(projectRoot, 'scripts/ledger-verify.ts'), ...args], { ...testServiceEnv(), LEDGER_SIGNING_KEY: '' }, 60_000);
  const line = result.output.trim().split('\n').find((l) => l.startsWith('ledger ')) ?? result.output;
  return { code: result.code, line };
}

/** The platform's key as an outsider gets it: from the published key list. */
async function publishedKeyX(): Promise<string> {
  const keys = (await (await fetch(`${baseUrl}/ledger/keys.json`)).json()) as { keys: { x: string; status: string }[] };
  return keys.keys.find((k) => k.status === 'current')!.x;
}

async function signCheckpoint() {
  const res = await admin.post('/admin/ledger', { intent: 'sign-checkpoint' });
  expect(res.status).toBe(200);
  return (await (await fetch(`${baseUrl}/ledger/checkpoints/latest.json`)).json()) as { treeSize: number; headHash: string; signedAt: string; keyId: string; publicJwk: { x: string }; signature: string };
}

type Row = { seq: number; kind: string; payload: Record<string, unknown>; occurred_at: string; prev_hash: string; hash: string };
const ledgerRows = async () => (await testSql()<Row[]>`select * from ledger_entries order by seq`).map((r) => ({ ...r, seq: Number(r.seq) }));

/** The administrator's rewrite: new rows, every hash recomputed so the chain links, and the stored checkpoints removed. */
async function rewriteHistory(edit: (rows: Row[]) => Row[]) {
  const edited = edit(await ledgerRows());
  let prev = genesisHash;
  const rehashed = edited.map((r) => {
    const content = { prevHash: prev, kind: r.kind, payload: r.payload, occurredAt: r.occurred_at };
    prev = entryHash(content);
    return { seq: r.seq, kind: r.kind, payload: r.payload, occurred_at: r.occurred_at, prev_hash: content.prevHash, hash: prev };
  });
  await tamperWithLedger(async (tx) => {
    await tx`delete from ledger_entries`;
    await tx`delete from ledger_checkpoints`;
    for (const r of rehashed) await tx`insert into ledger_entries (seq, kind, payload, occurred_at, prev_hash, hash) values (${r.seq}, ${r.kind}, ${tx.json(r.payload as never)}, ${r.occurred_at}, ${r.prev_hash}, ${r.hash})`;
  });
}

describe('append-only in PostgreSQL', () => {
  it('the application’s role may add entries but not update, delete or truncate them', async () => {
    const [entry] = await ledgerRows();
    const app = testSql();
    await expect(app`update ledger_entries set kind = kind where seq = ${entry!.seq}`).rejects.toThrow(/permission denied for table ledger_entries/);
    await expect(app`delete from ledger_entries where seq = ${entry!.seq}`).rejects.toThrow(/permission denied/);
    await expect(app`truncate ledger_entries`).rejects.toThrow(/permission denied/);
    await expect(app`delete from ledger_checkpoints`).rejects.toThrow(/permission denied for table ledger_checkpoints/);
    await expect(app`alter table ledger_entries disable trigger user`).rejects.toThrow(/must be owner/);
  });

  it('the trigger refuses even the tables’ owner', async () => {
    const [entry] = await ledgerRows();
    const owner = ownerSql();
    await expect(owner`update ledger_entries set kind = kind where seq = ${entry!.seq}`).rejects.toThrow(/ledger_entries is append-only: UPDATE refused/);
    await expect(owner`delete from ledger_entries where seq = ${entry!.seq}`).rejects.toThrow(/append-only: DELETE refused/);
    await expect(owner`truncate ledger_entries`).rejects.toThrow(/append-only: TRUNCATE refused/);
    await signCheckpoint();
    await expect(owner`delete from ledger_checkpoints`).rejects.toThrow(/ledger_checkpoints is append-only/);
    expect((await ledgerRows()).find((r) => r.seq === entry!.seq)).toEqual(entry);
  });
});

describe('what is ledgered', () => {
  it('a rule created and withdrawn, the decision, the credential and the key that signed it', async () => {
    const kinds = async (where: string, id: string) => (await testSql()<{ kind: string }[]>`select kind from ledger_entries where payload->>${where} = ${id} order by seq`).map((r) => r.kind);
    expect(await kinds('ruleId', ruleId)).toEqual(['rule.created', 'credit.decided']); // the auto-match names its rule
    expect((await registrar.client.post('/institutions/fjnu/credits/rules', { intent: 'retire', ruleId })).status).toBe(200);
    expect(await kinds('ruleId', ruleId)).toEqual(['rule.created', 'credit.decided', 'rule.changed']);
    expect(await kinds('requestId', requestId)).toEqual(['credit.decided', 'credit.posted']);
    const [credential] = await testSql()<{ id: string; key_id: string }[]>`select id, key_id from issued_credentials where subject_ref = ${requestId}`;
    expect(await kinds('credentialId', credential!.id)).toEqual(['credential.issued']);
    expect(await kinds('keyId', credential!.key_id)).toEqual(['signing-key.created']);
  });
});

describe('signed checkpoints', () => {
  it('are signed on demand, published with CORS and in the open data, and shown on the admin page', async () => {
    const checkpoint = await signCheckpoint();
    const [{ n }] = (await testSql()`select count(*)::int as n from ledger_entries`) as unknown as [{ n: number }];
    expect(checkpoint.treeSize).toBe(n);
    const latest = await fetch(`${baseUrl}/ledger/checkpoints/latest.json`, { headers: { Origin: 'https://verifier.example.org' } });
    expect(latest.headers.get('access-control-allow-origin')).toBe('*');
    const listing = (await (await fetch(`${baseUrl}/ledger/checkpoints`)).json()) as { checkpoints: { signature: string }[]; keys: { x: string }[] };
    expect(listing.checkpoints[0]!.signature).toBe(checkpoint.signature);
    const catalog = (await (await fetch(`${baseUrl}/api/catalog`)).json()) as { links: { ledgerCheckpoints: string } };
    expect(catalog.links.ledgerCheckpoints).toBe(`${baseUrl}/ledger/checkpoints`);
    const page = await (await admin.get('/admin/ledger')).text();
    expect(page).toContain(`data-latest-checkpoint="${checkpoint.treeSize}"`);
    expect(page).toContain(checkpoint.headHash);
  });

  it('the signature verifies with the published key, by hand, and fails when a field is changed', async () => {
    const checkpoint = await signCheckpoint();
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: await publishedKeyX() }, format: 'jwk' });
    const note = (c: typeof checkpoint) => Buffer.from(`edu-ledger-checkpoint/v1\n${c.treeSize}\n${c.headHash}\n${c.signedAt}\n`);
    const signature = Buffer.from(checkpoint.signature, 'base64url');
    expect(verify(null, note(checkpoint), key, signature)).toBe(true);
    expect(verify(null, note({ ...checkpoint, treeSize: checkpoint.treeSize - 1 }), key, signature)).toBe(false);

    const file = path.join(keptDir, 'tampered.json');
    writeFileSync(file, JSON.stringify({ ...checkpoint, headHash: 'f'.repeat(64) }));
    expect(await ledgerVerify('--checkpoint', file, '--key', await publishedKeyX())).toMatchObject({ code: 1, line: expect.stringContaining('ledger checkpoint invalid') });
    expect(await ledgerVerify('--checkpoint', `${baseUrl}/ledger/checkpoints/latest.json`, '--key', await publishedKeyX())).toMatchObject({ code: 0, line: expect.stringMatching(/^ledger intact: .*consistent with \d+ signed checkpoints; tables agree$/) });
  });
});

describe('the periodic checkpoint', () => {
  it('the worker schedules it; the job signs a new head once and leaves an unchanged one alone', async () => {
    const queue = new Queue('maintenance', { connection: { url: testServiceEnv().REDIS_URL } });
    try {
      const scheduler = await queue.getJobScheduler(jobId('sign-ledger-checkpoint', 'periodic'));
      expect(scheduler).toMatchObject({ name: 'sign-ledger-checkpoint', every: 3_600_000 });
    } finally {
      await queue.close();
    }
    const { db, sql } = createDatabase(testServiceEnv().DATABASE_URL, { max: 1 });
    try {
      const key = platformKeyFromSeed(process.env.LEDGER_SIGNING_KEY!);
      await signCheckpoint(); // the head as it is now is signed
      expect(await signLedgerCheckpointJob(db, key)).toMatchObject({ created: false });
      expect(await signLedgerCheckpointJob(db, null)).toMatchObject({ created: false, skipped: 'LEDGER_SIGNING_KEY is not set' });
      expect((await registrar.client.post('/institutions/fjnu/credits/rules', { intent: 'restore', ruleId })).status).toBe(200);
      const [{ n }] = (await testSql()`select count(*)::int as n from ledger_entries`) as unknown as [{ n: number }];
      expect(await signLedgerCheckpointJob(db, key)).toEqual({ created: true, treeSize: n });
      expect(((await (await fetch(`${baseUrl}/ledger/checkpoints/latest.json`)).json()) as { treeSize: number }).treeSize).toBe(n);
    } finally {
      await sql.end();
    }
  });
});

describe('an administrator who rewrites history is caught by a kept checkpoint', () => {
  let kept = '';
  let original: Row[] = [];
  let storedCheckpoints: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const checkpoint = await signCheckpoint();
    kept = path.join(keptDir, 'kept.json');
    writeFileSync(kept, JSON.stringify(checkpoint));
    original = await ledgerRows();
    storedCheckpoints = await testSql()`select * from ledger_checkpoints order by id`;
    expect(original.length).toBeGreaterThanOrEqual(5);
  });

  async function restore() {
    await tamperWithLedger(async (tx) => {
      await tx`delete from ledger_entries`;
      await tx`delete from ledger_checkpoints`;
      for (const r of original) await tx`insert into ledger_entries ${tx({ ...r, payload: tx.json(r.payload as never) } as never)}`;
      for (const c of storedCheckpoints) await tx`insert into ledger_checkpoints ${tx({ ...c, public_jwk: tx.json(c.public_jwk as never) } as never)}`;
    });
    expect((await ledgerVerify('--checkpoint', kept, '--key', await publishedKeyX())).code).toBe(0);
  }

  // An entry past the first whose loss the tables cannot show (not a posted credit nor a credential event): only the chain can.
  const victimIndex = () => original.findIndex((r, i) => i > 0 && !['credit.posted', 'credential.issued', 'credential.revoked'].includes(r.kind));

  it('a row altered in place', async () => {
    const victim = original[victimIndex()]!;
    await tamperWithLedger((tx) => tx`update ledger_entries set payload = payload || '{"credits":"9.0"}'::jsonb where seq = ${victim.seq}`);
    await tamperWithLedger((tx) => tx`delete from ledger_checkpoints`);
    expect(await ledgerVerify('--checkpoint', kept, '--key', await publishedKeyX())).toEqual({ code: 1, line: `ledger broken: entry seq ${victim.seq} was altered` });
    await restore();
  });

  it('a row deleted, the chain re-hashed', async () => {
    await rewriteHistory((rows) => rows.filter((_, i) => i !== victimIndex()));
    expect(await ledgerVerify()).toMatchObject({ code: 0 }); // without a kept checkpoint the rewrite is invisible…
    expect(await ledgerVerify('--checkpoint', kept, '--key', await publishedKeyX())).toMatchObject({ code: 1, line: expect.stringContaining('ledger broken: history rewritten') }); // …with one it is not
    await restore();
  });

  it('a row inserted, the chain re-hashed', async () => {
    await rewriteHistory((rows) => {
      const at = victimIndex();
      const forged = { ...rows[at]!, kind: 'rule.changed', payload: { ruleId: 'forged', active: true } };
      return [...rows.slice(0, at), forged, ...rows.slice(at).map((r) => ({ ...r, seq: r.seq + 1_000_000 }))];
    });
    expect(await ledgerVerify('--checkpoint', kept, '--key', await publishedKeyX())).toMatchObject({ code: 1, line: expect.stringContaining('history rewritten') });
    await restore();
  });

  it('the whole chain re-hashed from its first entry, and the tail cut', async () => {
    await rewriteHistory((rows) => rows.map((r, i) => (i === 0 ? { ...r, occurred_at: '2020-01-01T00:00:00.000Z' } : r)));
    expect((await ledgerVerify()).code).toBe(0);
    const rewritten = await ledgerVerify('--checkpoint', kept, '--key', await publishedKeyX());
    expect(rewritten).toMatchObject({ code: 1, line: expect.stringContaining('history rewritten') });
    await restore();
    await rewriteHistory((rows) => rows.slice(0, -1));
    expect(await ledgerVerify('--checkpoint', kept, '--key', await publishedKeyX())).toMatchObject({ code: 1, line: expect.stringContaining('the chain now has fewer') });
    await restore();
  });

  it('the admin page and the stored checkpoints name a rewrite that kept them', async () => {
    await rewriteHistory((rows) => rows.map((r, i) => (i === 0 ? { ...r, occurred_at: '2020-01-01T00:00:00.000Z' } : r)));
    await tamperWithLedger(async (tx) => {
      for (const c of storedCheckpoints) await tx`insert into ledger_checkpoints ${tx({ ...c, public_jwk: tx.json(c.public_jwk as never) } as never)}`;
    });
    const html = await (await admin.get('/admin/ledger')).text();
    expect(/data-ledger-problem="([^"]+)"/.exec(html)![1]).toBe('rewritten');
    expect((await ledgerVerify('--key', await publishedKeyX())).line).toContain('history rewritten');
    await restore();
  });
});

describe('the tables agree with the ledger', () => {
  it('a credit edited without a ledger entry is named: table, row, what differs', async () => {
    await testSql()`update credit_requests set awarded_credits = '9.0' where id = ${requestId}`;
    expect(await ledgerVerify()).toEqual({ code: 1, line: `ledger disagrees with the tables: credit_requests row ${requestId}: awarded_credits is 9.0 in the table, but the ledger says 4.0` });
    const html = await (await admin.get('/admin/ledger')).text();
    expect(/data-ledger-problem="([^"]+)"/.exec(html)![1]).toBe('disagreement');
    await testSql()`update credit_requests set awarded_credits = '4.0' where id = ${requestId}`;
    expect((await ledgerVerify()).code).toBe(0);

    await testSql()`update credit_requests set status = 'denied' where id = ${requestId}`;
    expect(await ledgerVerify()).toMatchObject({ code: 1, line: expect.stringContaining(`credit_requests row ${requestId}: status is denied in the table, but the ledger says posted 4.0`) });
    await testSql()`update credit_requests set status = 'posted' where id = ${requestId}`;
  });

  it('a credential revoked (or un-revoked) behind the ledger is named', async () => {
    const [credential] = await testSql()<{ id: string }[]>`select id from issued_credentials where subject_ref = ${requestId}`;
    await testSql()`update issued_credentials set revoked_at = now() where id = ${credential!.id}`;
    expect(await ledgerVerify()).toMatchObject({ code: 1, line: expect.stringContaining(`issued_credentials row ${credential!.id}: revoked_at is`) });
    await testSql()`update issued_credentials set revoked_at = null where id = ${credential!.id}`;
    expect((await ledgerVerify()).code).toBe(0);
  });
});
