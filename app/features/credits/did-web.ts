// did:web identifiers for institutions (https://w3c-ccg.github.io/did-method-web/): the DID
// names a host and a path; its controller document is served over HTTPS at that path + /did.json.

/** `did:web:<host>:institutions:<slug>`; a port's colon is percent-encoded, as the method requires. */
export function institutionDid(baseUrl: string, slug: string): string {
  const url = new URL(baseUrl);
  const prefix = url.pathname.replace(/\/$/, '').split('/').filter(Boolean).map(encodeURIComponent);
  return ['did:web', encodeURIComponent(url.host), ...prefix, 'institutions', encodeURIComponent(slug)].join(':');
}

/** The https URL a did:web resolves to, or null when the string is not a did:web DID. */
export function didWebDocumentUrl(did: string): URL | null {
  const bare = did.split('#')[0]!;
  if (!/^did:web:[^:#?/]+(:[^:#?/]+)*$/.test(bare)) return null;
  const [host, ...path] = bare.slice('did:web:'.length).split(':').map(decodeURIComponent);
  if (!host || path.some((p) => p === '' || p === '.' || p === '..' || p.includes('/'))) return null;
  try {
    return new URL(path.length ? `https://${host}/${path.join('/')}/did.json` : `https://${host}/.well-known/did.json`);
  } catch {
    return null;
  }
}

/** The institution slug of one of our own DIDs, or null. */
export function ourInstitutionSlug(baseUrl: string, did: string): string | null {
  const bare = did.split('#')[0]!;
  const prefix = institutionDid(baseUrl, '');
  if (!bare.startsWith(prefix)) return null;
  const slug = decodeURIComponent(bare.slice(prefix.length));
  return /^[a-z0-9-]{1,64}$/.test(slug) ? slug : null;
}

export type PublishedKey = { id: string; publicKeyMultibase: string; publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string }; active: boolean };

export const multikeyMethodId = (did: string, keyId: string) => `${did}#${keyId}`;
export const jwkMethodId = (did: string, keyId: string) => `${did}#${keyId}-jwk`;

/**
 * The controller (DID) document: every key the institution ever signed with, each twice, as a
 * Multikey (for Data Integrity proofs) and as a JsonWebKey (for vc+jwt). Retired keys stay
 * listed under assertionMethod, so the credentials and status lists they signed keep verifying.
 */
export function controllerDocument(did: string, keys: readonly PublishedKey[]): Record<string, unknown> {
  const methods = keys.flatMap((k) => [
    { id: multikeyMethodId(did, k.id), type: 'Multikey', controller: did, publicKeyMultibase: k.publicKeyMultibase },
    { id: jwkMethodId(did, k.id), type: 'JsonWebKey', controller: did, publicKeyJwk: k.publicJwk },
  ]);
  const ids = methods.map((m) => m.id);
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1', 'https://w3id.org/security/jwk/v1'],
    id: did,
    verificationMethod: methods,
    assertionMethod: ids,
    authentication: [],
  };
}
