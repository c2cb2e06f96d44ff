import { SAML, ValidateInResponseTo, type CacheProvider, type Profile } from '@node-saml/node-saml';
import { XMLParser } from 'fast-xml-parser';
import type { IdentityProvider } from '../../../db/schema/index.js';
import { getServices } from '../../services.server.js';
import { roleFromAffiliations } from './affiliation.js';
import { serviceEndpoints } from './endpoints.server.js';
import { isUsedOnce, markUsedOnce } from './flows.server.js';
import { SsoRefusal } from './refusals.js';
import { parseIdpMetadata, type IdpMetadata } from './saml-metadata.js';
import type { VerifiedIdentity } from './sign-in.server.js';

/** The attributes CARSI and eduGAIN release, by their URI names (urn:oid:…). */
export const samlAttributes = {
  eduPersonPrincipalName: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6',
  eduPersonScopedAffiliation: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.9',
  displayName: 'urn:oid:2.16.840.1.113730.3.1.241',
  mail: 'urn:oid:0.9.2342.19200300.100.1.3',
  pairwiseId: 'urn:oasis:names:tc:SAML:attribute:pairwise-id',
} as const;

const REQUEST_TTL_SECONDS = 600;
const METADATA_TTL_MS = 10 * 60_000;

/** Outstanding AuthnRequest IDs in Redis, so InResponseTo is checked on whichever web process gets the answer. */
function requestCache(onSave?: (id: string) => void): CacheProvider {
  const { redis } = getServices();
  const key = (id: string) => `sso:saml-request:${id}`;
  return {
    saveAsync: async (id, value) => {
      onSave?.(id);
      await redis.set(key(id), value, 'EX', REQUEST_TTL_SECONDS);
      return { value, createdAt: Date.now() };
    },
    getAsync: (id) => redis.get(key(id)),
    removeAsync: async (id) => (id && (await redis.del(key(id))) ? id : null),
  };
}

const metadataCache = new Map<string, { metadata: IdpMetadata; fetchedAt: number }>();

async function idpMetadata(provider: IdentityProvider): Promise<IdpMetadata> {
  const cacheKey = `${provider.id}:${provider.updatedAt.toISOString()}`;
  const cached = metadataCache.get(cacheKey);
  if (cached && Date.now() - cached.fetchedAt < METADATA_TTL_MS) return cached.metadata;
  let xml = provider.samlMetadataXml;
  if (!xml && provider.samlMetadataUrl) {
    const res = await fetch(provider.samlMetadataUrl, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`IdP metadata answered HTTP ${res.status}`);
    xml = await res.text();
  }
  if (!xml) throw new SsoRefusal('not-configured', 'no IdP metadata');
  const metadata = parseIdpMetadata(xml);
  metadataCache.set(cacheKey, { metadata, fetchedAt: Date.now() });
  return metadata;
}

function serviceProvider(slug: string, idp: { entityId?: string; ssoRedirectUrl?: string; signingCertificates: string[] }, cache?: CacheProvider): SAML {
  const endpoints = serviceEndpoints(slug);
  return new SAML({
    issuer: endpoints.samlMetadataUrl,
    audience: endpoints.samlMetadataUrl,
    callbackUrl: endpoints.samlAcsUrl,
    entryPoint: idp.ssoRedirectUrl,
    idpIssuer: idp.entityId,
    idpCert: idp.signingCertificates,
    wantAssertionsSigned: true,
    // CARSI IdPs (Shibboleth) sign the assertion; a signature on the response too is checked when present.
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: REQUEST_TTL_SECONDS * 1000,
    cacheProvider: cache ?? requestCache(),
    acceptedClockSkewMs: 60_000,
    identifierFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    disableRequestedAuthnContext: true,
  });
}

/** This platform's SP metadata for one institution (entityID = its URL, ACS, the NameID format asked for). */
export function spMetadataXml(slug: string): string {
  return serviceProvider(slug, { signingCertificates: ['not-used-for-metadata'] }).generateServiceProviderMetadata(null, null);
}

/** The IdP's SSO URL carrying a fresh AuthnRequest; RelayState names the flow. */
export async function startSaml(provider: IdentityProvider, slug: string, flowId: string): Promise<{ url: string; samlRequestId: string }> {
  let samlRequestId = '';
  const sp = serviceProvider(slug, await idpMetadata(provider), requestCache((id) => (samlRequestId = id)));
  const url = await sp.getAuthorizeUrlAsync(flowId, undefined, {});
  return { url, samlRequestId };
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, processEntities: false });
type Node = Record<string, unknown>;
const first = (v: unknown): Node => ((Array.isArray(v) ? v[0] : v) ?? {}) as Node;

/** What the raw answer claims before any check: only ever used to refuse, never to accept. */
export function peekResponse(samlResponse: string): { inResponseTo: string | null; assertionId: string | null; signed: boolean } {
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  const doc = parser.parse(xml) as Node;
  const response = first(doc.Response);
  const assertion = first(response.Assertion);
  return {
    inResponseTo: typeof response['@InResponseTo'] === 'string' ? response['@InResponseTo'] : null,
    assertionId: typeof assertion['@ID'] === 'string' ? assertion['@ID'] : null,
    signed: /<(\w+:)?Signature[\s>]/.test(xml),
  };
}

/** Refuses an answer whose assertion was already accepted once, before anything else is looked at. */
export async function refuseReplayedAssertion(institutionId: string, samlResponse: string): Promise<void> {
  const { assertionId } = peekResponse(samlResponse);
  if (assertionId && (await isUsedOnce('saml-assertion', assertionId, institutionId))) throw new SsoRefusal('replayed', assertionId);
}

function refusalFor(error: unknown): SsoRefusal {
  if (error instanceof SsoRefusal) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/signature|EncryptedAssertion|multiple assertions|assertion from signed data/i.test(message)) return new SsoRefusal('bad-signature', message);
  if (/InResponseTo/i.test(message)) return new SsoRefusal('unexpected-response', message);
  // node-saml reports a bearer confirmation past its NotOnOrAfter as "no valid subject
  // confirmation" (InResponseTo, its other check, was compared with the flow before).
  if (/expired|not yet valid|No valid subject confirmation/i.test(message)) return new SsoRefusal('expired', message);
  if (/audience|AudienceRestriction/i.test(message)) return new SsoRefusal('wrong-audience', message);
  if (/issuer/i.test(message)) return new SsoRefusal('issuer-mismatch', message);
  if (/status code/i.test(message)) return new SsoRefusal('idp-error', message);
  return new SsoRefusal('invalid-response', message);
}

const values = (profile: Profile, name: string): string[] => [(profile.attributes as Record<string, unknown> | undefined)?.[name] ?? profile[name]].flat().filter((v): v is string => typeof v === 'string');

/** Recipient of the bearer SubjectConfirmation and the assertion's end of validity, from the verified assertion. */
function confirmation(profile: Profile): { recipient: string | null; notOnOrAfter: string | null; id: string | null } {
  const assertion = first((parser.parse(profile.getAssertionXml?.() ?? '') as Node).Assertion);
  const data = first(first(first(assertion.Subject).SubjectConfirmation).SubjectConfirmationData);
  const conditions = first(assertion.Conditions);
  const s = (v: unknown) => (typeof v === 'string' ? v : null);
  return { recipient: s(data['@Recipient']), notOnOrAfter: s(conditions['@NotOnOrAfter']) ?? s(data['@NotOnOrAfter']), id: s(assertion['@ID']) };
}

/**
 * Checks a posted SAMLResponse: signed assertion from the IdP's key, issuer, audience,
 * validity window and InResponseTo (by node-saml), then recipient, replay and scopes here.
 */
export async function finishSaml(provider: IdentityProvider, slug: string, expectedRequestId: string | undefined, samlResponse: string): Promise<VerifiedIdentity> {
  try {
    const peek = peekResponse(samlResponse);
    if (!peek.signed) throw new SsoRefusal('unsigned', 'no ds:Signature in the response');
    await refuseReplayedAssertion(provider.institutionId, samlResponse);
    if (!expectedRequestId || peek.inResponseTo !== expectedRequestId) throw new SsoRefusal('unexpected-response', `InResponseTo ${peek.inResponseTo ?? 'missing'}`);
    const { profile } = await serviceProvider(slug, await idpMetadata(provider)).validatePostResponseAsync({ SAMLResponse: samlResponse });
    if (!profile) throw new SsoRefusal('invalid-response', 'no profile (a logout response?)');
    const { recipient, notOnOrAfter, id } = confirmation(profile);
    if (recipient !== serviceEndpoints(slug).samlAcsUrl) throw new SsoRefusal('wrong-audience', `Recipient ${recipient ?? 'missing'}`);
    const ttl = notOnOrAfter ? (Date.parse(notOnOrAfter) - Date.now()) / 1000 + 120 : REQUEST_TTL_SECONDS;
    if (!id || !(await markUsedOnce('saml-assertion', id, provider.institutionId, ttl))) throw new SsoRefusal('replayed', id ?? 'no assertion ID');

    const eppn = values(profile, samlAttributes.eduPersonPrincipalName)[0] ?? null;
    const pairwiseId = values(profile, samlAttributes.pairwiseId)[0] ?? null;
    const verdict = roleFromAffiliations(values(profile, samlAttributes.eduPersonScopedAffiliation), [eppn, pairwiseId].filter((v): v is string => v !== null), {
      scopes: provider.scopes,
      staffRole: provider.staffRole,
    });
    if (verdict.kind === 'foreign-scope') throw new SsoRefusal('foreign-scope', verdict.scope);
    // pairwise-id is stable and not reassigned; eppn may be reassigned, so it comes second.
    const subject = pairwiseId ?? eppn;
    if (!subject) throw new SsoRefusal('no-subject', 'neither pairwise-id nor eduPersonPrincipalName');
    const mail = values(profile, samlAttributes.mail)[0]?.toLowerCase() ?? null;
    return {
      institutionId: provider.institutionId,
      protocol: 'saml',
      subject,
      email: mail,
      displayName: values(profile, samlAttributes.displayName)[0]?.slice(0, 100) ?? null,
      role: verdict.role,
    };
  } catch (error) {
    throw refusalFor(error);
  }
}
