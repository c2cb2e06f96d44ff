import { createHash, sign, type KeyObject } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

// Open Badges 3.0 OpenBadgeCredentials on the VC 2.0 data model. The same unsigned document is
// secured twice: an embedded Data Integrity proof (eddsa-rdfc-2022) and a vc+jwt. See
// docs/decisions/015-verifiable-credentials.md and docs/credentials.md.

export const vcContext = 'https://www.w3.org/ns/credentials/v2';
export const obContext = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const vcContexts = [vcContext, obContext];

/** 16 KB: the Bitstring Status List minimum, so one set bit does not single out its holder. */
export const statusListBits = 131_072;
/** How long verifiers and caches may keep a status list (Bitstring Status List `ttl`, in ms). */
export const statusListTtlMs = 5 * 60 * 1000;
/** A status list is re-signed before its validUntil, even when nothing changed. */
export const statusListValidityDays = 30;

export type CredentialFacts = {
  id: string;
  baseUrl: string;
  issuer: { did: string; slug: string; nameZh: string; nameEn: string };
  holder: { name: string; email: string | null; salt: string };
  validFrom: string;
  achievement: { nameZh: string; nameEn: string | null; kind: 'course-completion' | 'credit-recognition'; description: string; criteria: string };
  creditsEarned: string;
  results: readonly CredentialResult[];
  statusIndex: number;
};

/** A result and the scale it is read on (stated in the ResultDescription). */
export type CredentialResult = { key: string; value: string; scale: { nameZh: string; nameEn: string; resultType: 'Percent' | 'LetterGrade' | 'Status'; valueMin?: string; valueMax?: string } };

export const issuerProfileUrl = (baseUrl: string, slug: string) => `${baseUrl}/credentials/issuers/${slug}`;
export const statusListUrl = (baseUrl: string, slug: string) => `${baseUrl}/credentials/status/${slug}`;
export const credentialUrl = (baseUrl: string, id: string) => `${baseUrl}/credentials/${id}`;
export const achievementUrl = (baseUrl: string, id: string, lang?: 'en') => `${baseUrl}/credentials/${id}/achievement${lang ? `?lang=${lang}` : ''}`;

/** OB 3.0 lists `Course`; credit recognition is no listed AchievementType, so it is an `ext:` one. */
export const achievementTypeOf = (kind: CredentialFacts['achievement']['kind']) => (kind === 'course-completion' ? 'Course' : 'ext:CreditRecognition');

/** OB 3.0 IdentityHash: `sha256$` + hex of the identifier followed by its salt. */
export const identityHash = (identifier: string, salt: string) => `sha256$${createHash('sha256').update(`${identifier}${salt}`).digest('hex')}`;

export function issuerProfile(f: { baseUrl: string; did: string; slug: string; nameZh: string; nameEn: string }): Record<string, unknown> {
  return { id: f.did, type: ['Profile'], name: f.nameZh, description: `English name: ${f.nameEn}`, url: `${f.baseUrl}/institutions/${f.slug}` };
}

export function buildAchievementCredential(f: CredentialFacts): Record<string, unknown> {
  const listUrl = statusListUrl(f.baseUrl, f.issuer.slug);
  const achievementId = achievementUrl(f.baseUrl, f.id);
  const descriptions = f.results.map((r) => ({
    id: `${achievementId}#${r.key}`,
    type: ['ResultDescription'],
    name: `${r.scale.nameZh} (${r.scale.nameEn})`,
    resultType: r.scale.resultType,
    ...(r.scale.valueMin !== undefined ? { valueMin: r.scale.valueMin } : {}),
    ...(r.scale.valueMax !== undefined ? { valueMax: r.scale.valueMax } : {}),
  }));
  const identifiers = [
    { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: f.holder.name },
    ...(f.holder.email ? [{ type: 'IdentityObject', identityType: 'emailAddress', hashed: true, identityHash: identityHash(f.holder.email.toLowerCase(), f.holder.salt), salt: f.holder.salt }] : []),
  ];
  return {
    '@context': vcContexts,
    id: credentialUrl(f.baseUrl, f.id),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: issuerProfile({ baseUrl: f.baseUrl, did: f.issuer.did, slug: f.issuer.slug, nameZh: f.issuer.nameZh, nameEn: f.issuer.nameEn }),
    validFrom: f.validFrom,
    name: f.achievement.nameZh,
    description: f.achievement.nameEn ? `${f.achievement.nameEn}. ${f.achievement.description}` : f.achievement.description,
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: identifiers,
      achievement: {
        id: achievementId,
        type: ['Achievement'],
        achievementType: achievementTypeOf(f.achievement.kind),
        name: f.achievement.nameZh,
        inLanguage: 'zh-CN',
        description: f.achievement.description,
        criteria: { narrative: f.achievement.criteria },
        creditsAvailable: Number(f.creditsEarned),
        ...(descriptions.length ? { resultDescription: descriptions } : {}),
        // OB 3.0 names alternate-language editions of an Achievement with `related`.
        ...(f.achievement.nameEn ? { related: [{ id: achievementUrl(f.baseUrl, f.id, 'en'), type: ['Related'], inLanguage: 'en' }] } : {}),
      },
      creditsEarned: Number(f.creditsEarned),
      ...(f.results.length ? { result: f.results.map((r) => ({ type: ['Result'], resultDescription: `${achievementId}#${r.key}`, value: r.value })) } : {}),
    },
    credentialStatus: {
      id: `${listUrl}#${f.statusIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(f.statusIndex),
      statusListCredential: listUrl,
    },
  };
}

/** The English edition of a credential's achievement (what `related` points to). */
export function englishAchievement(credential: Record<string, unknown>, nameEn: string): Record<string, unknown> {
  const achievement = (credential.credentialSubject as { achievement: Record<string, unknown> }).achievement;
  return { '@context': vcContexts, ...achievement, id: `${String(achievement.id)}?lang=en`, name: nameEn, inLanguage: 'en', related: [{ id: achievement.id, type: ['Related'], inLanguage: 'zh-CN' }] };
}

export function statusListCredential(f: { baseUrl: string; slug: string; did: string; revokedIndexes: readonly number[]; validFrom: Date }): Record<string, unknown> {
  const url = statusListUrl(f.baseUrl, f.slug);
  const validUntil = new Date(f.validFrom.getTime() + statusListValidityDays * 86_400_000);
  return {
    '@context': [vcContext],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: f.did,
    validFrom: xsdDate(f.validFrom),
    validUntil: xsdDate(validUntil),
    credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: encodeStatusList(f.revokedIndexes), ttl: statusListTtlMs },
  };
}

export const xsdDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Multibase base64url (prefix `u`) of the GZIP-compressed bitstring; index 0 is the left-most bit. */
export function encodeStatusList(setIndexes: readonly number[], bits = statusListBits): string {
  const bytes = new Uint8Array(bits / 8);
  for (const i of setIndexes) bytes[i >> 3]! |= 0x80 >> (i & 7);
  return `u${gzipSync(bytes).toString('base64url')}`;
}

/** Reads one bit; refuses lists that inflate beyond 16 MB (a zip bomb) or indexes outside the list. */
export function statusBitSet(encodedList: string, index: number): boolean {
  if (!encodedList.startsWith('u')) throw new Error('encodedList must be multibase base64url');
  const bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'), { maxOutputLength: 16 * 1024 * 1024 });
  if (!Number.isInteger(index) || index < 0 || index >= bytes.length * 8) throw new Error('status index outside the list');
  return (bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}

/** A compact JWS (VC-JOSE): EdDSA over `base64url(header).base64url(payload)`. */
export function signVcJwt(payload: Record<string, unknown>, kid: string, privateKey: KeyObject): string {
  const header = { alg: 'EdDSA', kid, typ: 'vc+jwt', cty: 'vc' };
  const signingInput = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${signingInput}.${sign(null, Buffer.from(signingInput), privateKey).toString('base64url')}`;
}
