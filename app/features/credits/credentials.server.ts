import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { completionRecords, creditRequests, equivalencyRules, institutions, issuedCredentials, users, type CredentialKind } from '../../../db/schema/index.js';
import { getEnv, publicBaseUrl } from '../../env.server.js';
import { getServices } from '../../services.server.js';
import { recordAudit } from '../audit/audit.server.js';
import { buildAchievementCredential, signVcJwt, statusListBits, xsdDate, type CredentialResult } from './credential-document.js';
import { signWithDataIntegrity } from './data-integrity.server.js';
import { institutionDid, jwkMethodId, multikeyMethodId } from './did-web.js';
import { credentialDocumentLoader } from './issuer-documents.server.js';
import { appendLedger } from './ledger.server.js';
import { rotateSigningKey, signingKeyForIssuance } from './signing-keys.server.js';
import { forgetCachedStatusLists, rebuildStatusList } from './status-lists.server.js';

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

type Subject = {
  institutionId: string;
  userId: string;
  holderName: string;
  holderEmail: string | null;
  nameZh: string;
  nameEn: string | null;
  description: string;
  criteria: string;
  credits: string;
  results: CredentialResult[];
};

/** The salt of a holder's hashed e-mail: stable per holder, not guessable without the secret. */
function holderSalt(userId: string) {
  const env = getEnv();
  return createHash('sha256').update(`holder-salt:${env.CREDENTIAL_KEY_SECRET ?? env.SESSION_SECRET}:${userId}`).digest('hex').slice(0, 16);
}

const percentScale: CredentialResult['scale'] = { nameZh: '课程总评成绩（百分制，0–100，60 分及格）', nameEn: 'Final course grade, percent scale 0–100, pass mark 60', resultType: 'Percent', valueMin: '0', valueMax: '100' };

async function issue(kind: CredentialKind, subjectRef: string, subject: Subject): Promise<{ id: string }> {
  const { db } = getServices();
  const existing = await credentialForSubject(kind, subjectRef);
  if (existing) return existing;
  const baseUrl = publicBaseUrl();
  const issued = await db.transaction(async (tx) => {
    const key = await signingKeyForIssuance(tx, subject.institutionId);
    const [inst] = await tx.select().from(institutions).where(eq(institutions.id, subject.institutionId));
    const [{ next }] = (await tx.execute<{ next: number }>(sql`select coalesce(max(status_index) + 1, 0)::int as next from issued_credentials where institution_id = ${subject.institutionId}`)) as unknown as [{ next: number }];
    if (next >= statusListBits) throw new Error('status list full');
    const id = crypto.randomUUID();
    const did = institutionDid(baseUrl, inst!.slug);
    const vc = buildAchievementCredential({
      id,
      baseUrl,
      issuer: { did, slug: inst!.slug, nameZh: inst!.nameZh, nameEn: inst!.nameEn },
      holder: { name: subject.holderName, email: subject.holderEmail, salt: holderSalt(subject.userId) },
      validFrom: xsdDate(new Date()),
      achievement: { nameZh: subject.nameZh, nameEn: subject.nameEn, kind, description: subject.description, criteria: subject.criteria },
      creditsEarned: subject.credits,
      results: subject.results,
      statusIndex: next,
    });
    const document = await signWithDataIntegrity(vc, { privateKey: key.privateKey, methodId: multikeyMethodId(did, key.id), did }, credentialDocumentLoader());
    const jwt = signVcJwt(vc, jwkMethodId(did, key.id), key.privateKey);
    await tx.insert(issuedCredentials).values({ id, institutionId: subject.institutionId, userId: subject.userId, kind, subjectRef, statusIndex: next, keyId: key.id, jwt, document });
    await appendLedger(tx, [{ kind: 'credential.issued', payload: { credentialId: id, institutionId: subject.institutionId, kind, subjectRef, statusIndex: next } }]);
    // The first credential an institution issues gives it a status list; later ones only use a free index.
    if (next === 0) await rebuildStatusList(tx, subject.institutionId);
    return { id };
  });
  forgetCachedStatusLists();
  return issued;
}

/** A credit-recognition credential for the student's own posted request, issued by the recognising institution. */
export async function issueRecognitionCredential(requestId: string, userId: string) {
  const { db } = getServices();
  const [row] = await db
    .select({ request: creditRequests, record: completionRecords, holder: users.displayName, pseudonym: users.pseudonym, email: users.email, rule: equivalencyRules })
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
    holderEmail: row.email,
    nameZh: row.record.courseTitleZh,
    nameEn: row.record.courseTitleEn,
    description: `${row.request.awardedCredits} credits recognised as ${target} for ${row.record.courseTitleEn ?? row.record.courseSlug} (${row.record.institutionNameEn}), completed ${row.record.completedOn}; grade ${row.request.convertedLabel} under conversion table version ${row.request.conversionTableVersion}.`,
    criteria: `Completion of ${row.record.courseTitleEn ?? row.record.courseSlug} at ${row.record.institutionNameEn}, recognised by the registrar under an equivalency rule.`,
    credits: row.request.awardedCredits!,
    results: [
      ...(row.record.finalGrade ? [{ key: 'source-grade', value: row.record.finalGrade, scale: percentScale }] : []),
      ...(row.request.convertedLabel
        ? [{ key: 'converted-grade', value: row.request.convertedLabel, scale: { nameZh: `按本校成绩换算表第 ${row.request.conversionTableVersion} 版换算的等级`, nameEn: `Grade converted under this institution's conversion table, version ${row.request.conversionTableVersion}`, resultType: 'LetterGrade' as const } }]
        : []),
    ],
  });
}

/** A course-completion credential, issued by the institution that offered the course. */
export async function issueCompletionCredential(recordId: string, userId: string) {
  const { db } = getServices();
  const [row] = await db
    .select({ record: completionRecords, holder: users.displayName, pseudonym: users.pseudonym, email: users.email })
    .from(completionRecords)
    .innerJoin(users, eq(users.id, completionRecords.userId))
    .where(and(eq(completionRecords.id, recordId), eq(completionRecords.userId, userId)));
  if (!row) return null;
  return issue('course-completion', recordId, {
    institutionId: row.record.institutionId,
    userId,
    holderName: row.holder ?? row.pseudonym,
    holderEmail: row.email,
    nameZh: row.record.courseTitleZh,
    nameEn: row.record.courseTitleEn,
    description: `Completed ${row.record.courseTitleEn ?? row.record.courseSlug} (${row.record.classHours} class hours, ${row.record.credits} credits) on ${row.record.completedOn}.`,
    criteria: `Watched the course's lessons and passed its assessments, with a final grade of 60 or more out of 100.`,
    credits: row.record.credits,
    results: row.record.finalGrade ? [{ key: 'final-grade', value: row.record.finalGrade, scale: percentScale }] : [],
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
  const revoked = await db.transaction(async (tx) => {
    const rows = await tx
      .update(issuedCredentials)
      .set({ revokedAt: new Date(), revokedBy: registrarId, revocationReason: reason })
      .where(and(eq(issuedCredentials.id, id), eq(issuedCredentials.institutionId, institutionId), sql`${issuedCredentials.revokedAt} is null`))
      .returning({ id: issuedCredentials.id, statusIndex: issuedCredentials.statusIndex });
    if (rows.length === 0) return false;
    await appendLedger(tx, [{ kind: 'credential.revoked', payload: { credentialId: id, institutionId, statusIndex: rows[0]!.statusIndex, reason, revokedBy: registrarId } }]);
    await recordAudit(tx, { action: 'credential.revoked', actorUserId: registrarId, institutionId, ip, details: { credentialId: id } });
    await rebuildStatusList(tx, institutionId);
    return true;
  });
  if (revoked) forgetCachedStatusLists();
  return revoked;
}

/** A registrar's key rotation: the old key stays published, the status list is re-signed with the new one. */
export async function rotateInstitutionKey(institutionId: string, registrarId: string, ip: string) {
  const rotated = await getServices().db.transaction(async (tx) => {
    const keys = await rotateSigningKey(tx, institutionId);
    await rebuildStatusList(tx, institutionId);
    await recordAudit(tx, { action: 'credential.key-rotated', actorUserId: registrarId, institutionId, ip, details: keys });
    return keys;
  });
  forgetCachedStatusLists();
  return rotated;
}

