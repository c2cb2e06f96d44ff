import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { completionRecords, creditRequests, equivalencyRules, institutions, institutionSigningKeys, issuedCredentials, users, type CredentialKind } from '../../../db/schema/index.js';
import { publicBaseUrl } from '../../env.server.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';
import { buildAchievementCredential, issuerUrl, signVcJwt, statusBitSet, statusListBits, statusListCredential } from './credential-document.js';
import { appendLedger } from './ledger.server.js';
import { signingKeyFor } from './signing-keys.server.js';

export async function credentialForSubject(kind: CredentialKind, subjectRef: string) {
  const [row] = await getServices().db.select({ id: issuedCredentials.id, revokedAt: issuedCredentials.revokedAt }).from(issuedCredentials).where(and(eq(issuedCredentials.kind, kind), eq(issuedCredentials.subjectRef, subjectRef)));
  return row ?? null;
}

/** The student's course-completion credentials, by completion record. */
export async function completionCredentialsOf(userId: string): Promise<Map<string, string>> {
  const rows = await getServices()
    .db.select({ id: issuedCredentials.id, subjectRef: issuedCredentials.subjectRef })
    .from(issuedCredentials)
    .where(and(eq(issuedCredentials.userId, userId), eq(issuedCredentials.kind, 'course-completion')));
  return new Map(rows.map((r) => [r.subjectRef, r.id]));
}

type Subject = { institutionId: string; userId: string; holderName: string; nameZh: string; nameEn: string | null; description: string; credits: string; result: string | null };

async function issue(kind: CredentialKind, subjectRef: string, subject: Subject): Promise<{ id: string }> {
  const { db } = getServices();
  const existing = await credentialForSubject(kind, subjectRef);
  if (existing) return existing;
  const baseUrl = publicBaseUrl();
  return db.transaction(async (tx) => {
    const key = await signingKeyFor(tx, subject.institutionId);
    const [inst] = await tx.select().from(institutions).where(eq(institutions.id, subject.institutionId));
    const [{ next }] = (await tx.execute<{ next: number }>(sql`select coalesce(max(status_index) + 1, 0)::int as next from issued_credentials where institution_id = ${subject.institutionId}`)) as unknown as [{ next: number }];
    if (next >= statusListBits) throw new Error('status list full');
    const id = crypto.randomUUID();
    const validFrom = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const vc = buildAchievementCredential({
      id,
      baseUrl,
      issuer: { slug: inst!.slug, nameZh: inst!.nameZh, nameEn: inst!.nameEn },
      holderName: subject.holderName,
      validFrom,
      achievement: { id: `${baseUrl}/credentials/${id}#achievement`, nameZh: subject.nameZh, nameEn: subject.nameEn, kind, description: subject.description },
      creditsEarned: subject.credits,
      result: subject.result,
      statusIndex: next,
    });
    const jwt = signVcJwt(vc, `${issuerUrl(baseUrl, inst!.slug)}#${key.id}`, key.privateKey);
    await tx.insert(issuedCredentials).values({ id, institutionId: subject.institutionId, userId: subject.userId, kind, subjectRef, statusIndex: next, keyId: key.id, jwt });
    await appendLedger(tx, [{ kind: 'credential.issued', payload: { credentialId: id, institutionId: subject.institutionId, kind, subjectRef, statusIndex: next } }]);
    return { id };
  });
}

/** A credit-recognition credential for the student's own posted request, issued by the recognising institution. */
export async function issueRecognitionCredential(requestId: string, userId: string) {
  const { db } = getServices();
  const [row] = await db
    .select({ request: creditRequests, record: completionRecords, holder: users.displayName, pseudonym: users.pseudonym, rule: equivalencyRules })
    .from(creditRequests)
    .innerJoin(completionRecords, eq(completionRecords.id, creditRequests.completionRecordId))
    .innerJoin(users, eq(users.id, creditRequests.userId))
    .leftJoin(equivalencyRules, eq(equivalencyRules.id, creditRequests.ruleId))
    .where(and(eq(creditRequests.id, requestId), eq(creditRequests.userId, userId), eq(creditRequests.status, 'posted')));
  if (!row) return null;
  const target = row.request.targetKind === 'elective' ? 'elective credit' : `${row.request.targetCode || row.rule?.targetCode || ''} ${row.request.targetTitle || row.rule?.targetTitleEn || ''}`.trim();
  return issue('credit-recognition', requestId, {
    institutionId: row.request.institutionId,
    userId,
    holderName: row.holder ?? row.pseudonym,
    nameZh: row.record.courseTitleZh,
    nameEn: row.record.courseTitleEn,
    description: `${row.request.awardedCredits} credits recognised as ${target} for ${row.record.courseTitleEn ?? row.record.courseSlug} (${row.record.institutionNameEn}), completed ${row.record.completedOn}; grade ${row.request.convertedLabel} under conversion table version ${row.request.conversionTableVersion}.`,
    credits: row.request.awardedCredits!,
    result: row.request.convertedLabel,
  });
}

/** A course-completion credential, issued by the institution that offered the course. */
export async function issueCompletionCredential(recordId: string, userId: string) {
  const { db } = getServices();
  const [row] = await db
    .select({ record: completionRecords, holder: users.displayName, pseudonym: users.pseudonym })
    .from(completionRecords)
    .innerJoin(users, eq(users.id, completionRecords.userId))
    .where(and(eq(completionRecords.id, recordId), eq(completionRecords.userId, userId)));
  if (!row) return null;
  return issue('course-completion', recordId, {
    institutionId: row.record.institutionId,
    userId,
    holderName: row.holder ?? row.pseudonym,
    nameZh: row.record.courseTitleZh,
    nameEn: row.record.courseTitleEn,
    description: `Completed ${row.record.courseTitleEn ?? row.record.courseSlug} (${row.record.classHours} class hours, ${row.record.credits} credits) on ${row.record.completedOn}.`,
    credits: row.record.credits,
    result: row.record.finalGrade,
  });
}

export async function getCredential(id: string) {
  const [row] = await getServices()
    .db.select({ credential: issuedCredentials, slug: institutions.slug, nameZh: institutions.nameZh, nameEn: institutions.nameEn })
    .from(issuedCredentials)
    .innerJoin(institutions, eq(institutions.id, issuedCredentials.institutionId))
    .where(eq(issuedCredentials.id, id));
  return row ?? null;
}

export async function revokeCredential(id: string, institutionId: string, registrarId: string, reason: string, ip: string): Promise<boolean> {
  const { db } = getServices();
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(issuedCredentials)
      .set({ revokedAt: new Date(), revokedBy: registrarId, revocationReason: reason })
      .where(and(eq(issuedCredentials.id, id), eq(issuedCredentials.institutionId, institutionId), sql`${issuedCredentials.revokedAt} is null`))
      .returning({ id: issuedCredentials.id, statusIndex: issuedCredentials.statusIndex });
    if (rows.length === 0) return false;
    await appendLedger(tx, [{ kind: 'credential.revoked', payload: { credentialId: id, institutionId, statusIndex: rows[0]!.statusIndex, reason, revokedBy: registrarId } }]);
    await recordAudit(tx, { action: 'credential.revoked', actorUserId: registrarId, institutionId, ip, details: { credentialId: id } });
    return true;
  });
}

export async function issuerDocument(slug: string) {
  const { db } = getServices();
  const [inst] = await db.select().from(institutions).where(eq(institutions.slug, slug));
  if (!inst) return null;
  const keys = await db.select().from(institutionSigningKeys).where(eq(institutionSigningKeys.institutionId, inst.id)).orderBy(desc(institutionSigningKeys.createdAt));
  const id = issuerUrl(publicBaseUrl(), slug);
  return { id, type: ['Profile'], name: inst.nameZh, description: inst.nameEn, jwks: { keys: keys.map((k) => ({ ...k.publicJwk, kid: `${id}#${k.id}`, alg: 'EdDSA', use: 'sig' })) } };
}

/** The institution's Bitstring Status List credential, signed like the credentials it serves. */
export async function statusListJwt(slug: string): Promise<string | null> {
  const { db } = getServices();
  const [inst] = await db.select().from(institutions).where(eq(institutions.slug, slug));
  if (!inst) return null;
  const revoked = await db.select({ i: issuedCredentials.statusIndex }).from(issuedCredentials).where(and(eq(issuedCredentials.institutionId, inst.id), isNotNull(issuedCredentials.revokedAt)));
  const baseUrl = publicBaseUrl();
  const list = statusListCredential(baseUrl, slug, revoked.map((r) => r.i), new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'));
  return db.transaction(async (tx) => {
    const key = await signingKeyFor(tx, inst.id);
    return signVcJwt(list, `${issuerUrl(baseUrl, slug)}#${key.id}`, key.privateKey);
  });
}

export type Verification =
  | { valid: true; revoked: false; issuer: { id: string; name: string }; credential: Record<string, unknown> }
  | { valid: false; revoked: boolean; reason: 'malformed' | 'unknown-issuer' | 'bad-signature' | 'revoked'; issuer?: { id: string; name: string }; credential?: Record<string, unknown> };

/**
 * Checks a credential JWT as any verifier would, with `jose`: the key named by `kid` must be
 * one our issuer document publishes for the issuer the credential names; then revocation
 * is read from that issuer's Bitstring Status List.
 */
export async function verifyCredentialJwt(jwt: string): Promise<Verification> {
  let kid: string;
  try {
    const header = decodeProtectedHeader(jwt);
    if (header.alg !== 'EdDSA' || typeof header.kid !== 'string') return { valid: false, revoked: false, reason: 'malformed' };
    kid = header.kid;
  } catch {
    return { valid: false, revoked: false, reason: 'malformed' };
  }
  const base = `${publicBaseUrl()}/credentials/issuers/`;
  const [issuerId, keyId] = kid.split('#') as [string, string | undefined];
  if (!issuerId.startsWith(base) || !keyId || !/^[0-9a-f-]{36}$/.test(keyId)) return { valid: false, revoked: false, reason: 'unknown-issuer' };
  const slug = issuerId.slice(base.length);
  const doc = await issuerDocument(slug);
  const jwk = doc?.jwks.keys.find((k) => k.kid === kid);
  if (!doc || !jwk) return { valid: false, revoked: false, reason: 'unknown-issuer' };
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(jwt, await importJWK(jwk, 'EdDSA'), { typ: 'vc+jwt' }));
  } catch {
    return { valid: false, revoked: false, reason: 'bad-signature' };
  }
  const issuer = { id: doc.id, name: doc.name };
  const claimedIssuer = (payload.issuer as { id?: string } | undefined)?.id;
  if (claimedIssuer !== doc.id) return { valid: false, revoked: false, reason: 'unknown-issuer', issuer };
  const status = payload.credentialStatus as { statusListIndex?: string } | undefined;
  const listJwt = await statusListJwt(slug);
  const list = listJwt ? ((await jwtVerify(listJwt, await importJWK(jwk, 'EdDSA'))).payload.credentialSubject as { encodedList: string }) : null;
  if (!status?.statusListIndex || !list) return { valid: false, revoked: false, reason: 'malformed', issuer, credential: payload };
  if (statusBitSet(list.encodedList, Number(status.statusListIndex))) return { valid: false, revoked: true, reason: 'revoked', issuer, credential: payload };
  return { valid: true, revoked: false, issuer, credential: payload };
}
