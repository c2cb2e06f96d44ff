import { sign, type KeyObject } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

// Open Badges 3.0 AchievementCredentials on the VC 2.0 data model, secured as VC-JOSE
// (application/vc+jwt, EdDSA over Ed25519): see docs/decisions/015-verifiable-credentials.md.

export const vcContexts = ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'];

/** 16 KB: the Bitstring Status List minimum, so one set bit does not single out its holder. */
export const statusListBits = 131_072;

export type CredentialFacts = {
  id: string;
  baseUrl: string;
  issuer: { slug: string; nameZh: string; nameEn: string };
  holderName: string;
  validFrom: string;
  achievement: { id: string; nameZh: string; nameEn: string | null; kind: 'course-completion' | 'credit-recognition'; description: string };
  creditsEarned: string;
  result: string | null;
  statusIndex: number;
};

export const issuerUrl = (baseUrl: string, slug: string) => `${baseUrl}/credentials/issuers/${slug}`;
export const statusListUrl = (baseUrl: string, slug: string) => `${baseUrl}/credentials/status/${slug}`;

export function buildAchievementCredential(f: CredentialFacts): Record<string, unknown> {
  const listUrl = statusListUrl(f.baseUrl, f.issuer.slug);
  return {
    '@context': vcContexts,
    id: `${f.baseUrl}/credentials/${f.id}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: issuerUrl(f.baseUrl, f.issuer.slug), type: ['Profile'], name: f.issuer.nameZh, description: f.issuer.nameEn },
    validFrom: f.validFrom,
    name: f.achievement.nameZh,
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [{ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: f.holderName }],
      achievement: {
        id: f.achievement.id,
        type: ['Achievement'],
        achievementType: f.achievement.kind === 'credit-recognition' ? 'Credit' : 'Course',
        name: f.achievement.nameZh,
        ...(f.achievement.nameEn ? { alternateName: f.achievement.nameEn } : {}),
        description: f.achievement.description,
        criteria: { narrative: f.achievement.description },
        creditsAvailable: Number(f.creditsEarned),
      },
      creditsEarned: Number(f.creditsEarned),
      ...(f.result ? { result: [{ type: ['Result'], value: f.result }] } : {}),
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

export function statusListCredential(baseUrl: string, slug: string, revokedIndexes: readonly number[], validFrom: string): Record<string, unknown> {
  const url = statusListUrl(baseUrl, slug);
  return {
    '@context': [vcContexts[0]],
    id: url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: issuerUrl(baseUrl, slug),
    validFrom,
    credentialSubject: { id: `${url}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: encodeStatusList(revokedIndexes) },
  };
}

/** Multibase base64url (prefix `u`) of the GZIP-compressed bitstring; index 0 is the left-most bit. */
export function encodeStatusList(setIndexes: readonly number[], bits = statusListBits): string {
  const bytes = new Uint8Array(bits / 8);
  for (const i of setIndexes) bytes[i >> 3]! |= 0x80 >> (i & 7);
  return `u${gzipSync(bytes).toString('base64url')}`;
}

export function statusBitSet(encodedList: string, index: number): boolean {
  if (!encodedList.startsWith('u')) throw new Error('encodedList must be multibase base64url');
  const bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  if (index < 0 || index >= bytes.length * 8) throw new Error('status index outside the list');
  return (bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0;
}

/** A compact JWS (VC-JOSE): EdDSA over `base64url(header).base64url(payload)`. */
export function signVcJwt(payload: Record<string, unknown>, kid: string, privateKey: KeyObject): string {
  const header = { alg: 'EdDSA', kid, typ: 'vc+jwt', cty: 'vc' };
  const signingInput = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${signingInput}.${sign(null, Buffer.from(signingInput), privateKey).toString('base64url')}`;
}
