import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { publicBaseUrl } from '../../env.server.js';
import { statusBitSet, statusListUrl } from './credential-document.js';
import { verifyDataIntegrity } from './data-integrity.server.js';
import { institutionDid } from './did-web.js';
import { allowPrivateHosts, credentialDocumentLoader, resolveDidUrl } from './issuer-documents.server.js';
import { pinnedContexts, type DocumentLoader } from './jsonld-contexts.server.js';
import { fetchJsonDocument } from './safe-fetch.server.js';
import { statusListDocument } from './status-lists.server.js';

import { maxCredentialBytes } from './verification-words.js';

export { maxCredentialBytes };

export type VerificationStatus = 'valid' | 'revoked' | 'suspended' | 'expired' | 'not-yet-valid' | 'invalid';
export type InvalidReason = 'malformed' | 'too-large' | 'unsupported-context' | 'unknown-issuer' | 'bad-signature' | 'issuer-mismatch' | 'status-unavailable';
export type CredentialSummary = { issuerId: string; issuerName: string | null; holder: string | null; achievement: string | null; validFrom: string | null; validUntil: string | null; ours: boolean };
export type VerificationOutcome = {
  status: VerificationStatus;
  reason: InvalidReason | null;
  detail: string | null;
  format: 'data-integrity' | 'vc+jwt' | null;
  summary: CredentialSummary | null;
  credential: Record<string, unknown> | null;
};

const fail = (reason: InvalidReason, detail: string | null, rest: Partial<VerificationOutcome> = {}): VerificationOutcome => ({ status: 'invalid', reason, detail, format: null, summary: null, credential: null, ...rest });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const idOf = (v: unknown) => (typeof v === 'string' ? v : isObject(v) && typeof v.id === 'string' ? v.id : null);
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const jwtPattern = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Verifies a credential from anyone: JSON-LD with a Data Integrity proof, a vc+jwt, or our enveloped download. */
export async function verifyAnyCredential(input: string): Promise<VerificationOutcome> {
  if (Buffer.byteLength(input, 'utf8') > maxCredentialBytes) return fail('too-large', `larger than ${maxCredentialBytes / 1024} KB`);
  const text = input.trim();
  if (jwtPattern.test(text)) return verifyJwtCredential(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('malformed', 'neither JSON nor a JWT');
  }
  if (isObject(parsed) && asArray(parsed.type as string | string[]).includes('EnvelopedVerifiableCredential') && typeof parsed.id === 'string' && parsed.id.startsWith('data:application/vc+jwt,')) {
    return verifyJwtCredential(parsed.id.slice('data:application/vc+jwt,'.length));
  }
  if (isObject(parsed) && isObject(parsed.credential)) parsed = parsed.credential;
  if (!isObject(parsed) || !parsed.proof) return fail('malformed', 'a JSON credential must carry an embedded proof');
  return verifyDataIntegrityCredential(parsed);
}

function unsupportedContext(document: Record<string, unknown>): string | null {
  const pinned = pinnedContexts();
  for (const c of asArray(document['@context'] as unknown)) if (typeof c === 'string' && !pinned.has(c)) return c;
  return null;
}

async function verifyDataIntegrityCredential(credential: Record<string, unknown>): Promise<VerificationOutcome> {
  const context = unsupportedContext(credential);
  if (context) return fail('unsupported-context', context, { credential });
  const summary = summarise(credential);
  if (!summary) return fail('malformed', 'no issuer', { credential });
  const loader = credentialDocumentLoader();
  const proof = await verifyDataIntegrity(credential, loader);
  if (!proof.verified) return { ...fail(/resolve|fetch|answer|private|https/i.test(proof.problem) ? 'unknown-issuer' : 'bad-signature', proof.problem), format: 'data-integrity', summary, credential };
  return judge(credential, summary, 'data-integrity', loader);
}

/** A vc+jwt: `kid` must be a JsonWebKey the issuer's controller document lists under assertionMethod. */
async function verifyJwtCredential(jwt: string): Promise<VerificationOutcome> {
  let kid: string;
  try {
    const header = decodeProtectedHeader(jwt);
    if (header.alg !== 'EdDSA' || typeof header.kid !== 'string') return fail('malformed', 'the JWT must be EdDSA-signed and name its key (kid)');
    kid = header.kid;
  } catch {
    return fail('malformed', 'not a JWT');
  }
  const payload = await verifiedJwtPayload(jwt, kid);
  if (!payload.ok) return { ...fail(payload.reason, payload.detail), format: 'vc+jwt' };
  const summary = summarise(payload.claims);
  if (!summary) return { ...fail('malformed', 'no issuer'), format: 'vc+jwt', credential: payload.claims };
  if (summary.issuerId !== payload.controller) return { ...fail('issuer-mismatch', `signed by ${payload.controller}`), format: 'vc+jwt', summary, credential: payload.claims };
  return judge(payload.claims, summary, 'vc+jwt', credentialDocumentLoader());
}

type JwtCheck = { ok: true; claims: Record<string, unknown>; controller: string } | { ok: false; reason: InvalidReason; detail: string };

async function verifiedJwtPayload(jwt: string, kid: string): Promise<JwtCheck> {
  let method: Record<string, unknown> | null;
  let controller: Record<string, unknown> | null;
  try {
    method = kid.startsWith('did:') ? await resolveDidUrl(kid) : null;
    controller = method && typeof method.controller === 'string' ? await resolveDidUrl(method.controller) : null;
  } catch (error) {
    return { ok: false, reason: 'unknown-issuer', detail: error instanceof Error ? error.message : String(error) };
  }
  if (!method || !controller || !isObject(method.publicKeyJwk)) return { ok: false, reason: 'unknown-issuer', detail: `no key ${kid}` };
  const assertion = asArray(controller.assertionMethod as unknown[]).map(idOf);
  if (!assertion.includes(kid)) return { ok: false, reason: 'unknown-issuer', detail: `${kid} is not an assertion method of its controller` };
  try {
    const { payload } = await jwtVerify(jwt, await importJWK(method.publicKeyJwk as JWK, 'EdDSA'));
    return { ok: true, claims: payload as Record<string, unknown>, controller: String(controller.id) };
  } catch (error) {
    return { ok: false, reason: 'bad-signature', detail: error instanceof Error ? error.message : String(error) };
  }
}

/** Dates first, then every revocation/suspension entry against the list it names. */
async function judge(credential: Record<string, unknown>, summary: CredentialSummary, format: 'data-integrity' | 'vc+jwt', loader: DocumentLoader): Promise<VerificationOutcome> {
  const base = { reason: null, detail: null, format, summary, credential } as const;
  const now = Date.now();
  if (summary.validFrom && Date.parse(summary.validFrom) > now) return { ...base, status: 'not-yet-valid' };
  if (summary.validUntil && Date.parse(summary.validUntil) < now) return { ...base, status: 'expired' };
  for (const entry of asArray(credential.credentialStatus as unknown[]).filter(isObject)) {
    if (entry.type !== 'BitstringStatusListEntry') continue;
    const set = await statusBit(entry, summary.issuerId, loader);
    if (typeof set === 'string') return { ...base, status: 'invalid', reason: 'status-unavailable', detail: set };
    if (set) return { ...base, status: entry.statusPurpose === 'suspension' ? 'suspended' : 'revoked' };
  }
  return { ...base, status: 'valid' };
}

/** True/false for the bit, or a sentence saying why the list could not be trusted. */
async function statusBit(entry: Record<string, unknown>, issuerId: string, loader: DocumentLoader): Promise<boolean | string> {
  const url = typeof entry.statusListCredential === 'string' ? entry.statusListCredential : '';
  const index = Number(entry.statusListIndex);
  let list: Record<string, unknown> | null = null;
  try {
    list = await loadStatusList(url);
  } catch (error) {
    return `the status list ${url} could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (!list) return `the status list ${url} could not be loaded`;
  if (idOf(list.issuer) !== issuerId) return 'the status list was issued by someone else';
  if (typeof list.validUntil === 'string' && Date.parse(list.validUntil) < Date.now()) return 'the status list has expired';
  if (!asArray(list.type as string[]).includes('BitstringStatusListCredential')) return 'the status list is not a BitstringStatusListCredential';
  const proof =
    typeof list.jwtVerifiedBy === 'string'
      ? list.jwtVerifiedBy === issuerId
        ? { verified: true as const }
        : { verified: false as const, problem: 'signed by someone else' }
      : list.proof
        ? await verifyDataIntegrity(list, loader)
        : { verified: false as const, problem: 'the status list carries no proof' };
  if (!proof.verified) return `the status list's proof does not verify (${proof.problem})`;
  const subject = list.credentialSubject as { statusPurpose?: string; encodedList?: string } | undefined;
  if (!subject?.encodedList || subject.statusPurpose !== entry.statusPurpose) return 'the status list is for another purpose';
  try {
    return statusBitSet(subject.encodedList, index);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function loadStatusList(url: string): Promise<Record<string, unknown> | null> {
  const base = publicBaseUrl();
  const ourPrefix = statusListUrl(base, '');
  if (url.startsWith(ourPrefix)) return statusListDocument(url.slice(ourPrefix.length));
  const { body } = await fetchJsonDocument(url, { allowPrivateHosts: allowPrivateHosts() });
  const trimmed = body.trim();
  if (jwtPattern.test(trimmed)) {
    const kid = decodeProtectedHeader(trimmed).kid;
    const checked = typeof kid === 'string' ? await verifiedJwtPayload(trimmed, kid) : null;
    // A vc+jwt list is as good as its signature, checked here; the caller sees who signed it.
    return checked?.ok ? { ...checked.claims, jwtVerifiedBy: checked.controller } : null;
  }
  const parsed = JSON.parse(trimmed) as unknown;
  return isObject(parsed) ? parsed : null;
}

function plainName(v: unknown): string | null {
  if (typeof v === 'string') return v;
  for (const item of asArray(v as unknown[])) if (isObject(item) && typeof item['@value'] === 'string') return item['@value'];
  return null;
}

function summarise(credential: Record<string, unknown>): CredentialSummary | null {
  const issuerId = idOf(credential.issuer);
  if (!issuerId) return null;
  const subject = asArray(credential.credentialSubject as unknown[]).find(isObject) ?? {};
  const named = asArray(subject.identifier as unknown[]).filter(isObject).find((i) => i.identityType === 'name' && i.hashed === false);
  const achievement = isObject(subject.achievement) ? subject.achievement : {};
  const baseUrl = publicBaseUrl();
  return {
    issuerId,
    issuerName: isObject(credential.issuer) ? plainName(credential.issuer.name) : null,
    holder: (named?.identityHash as string | undefined) ?? plainName(subject.name) ?? idOf(subject),
    achievement: plainName(achievement.name) ?? plainName(credential.name),
    validFrom: typeof credential.validFrom === 'string' ? credential.validFrom : typeof credential.issuanceDate === 'string' ? credential.issuanceDate : null,
    validUntil: typeof credential.validUntil === 'string' ? credential.validUntil : typeof credential.expirationDate === 'string' ? credential.expirationDate : null,
    ours: issuerId.startsWith(institutionDid(baseUrl, '').replace(/:$/, '')),
  };
}
