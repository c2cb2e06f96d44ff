import type { KeyObject } from 'node:crypto';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import type { DocumentLoader } from './jsonld-contexts.server.js';

/** Signs a VC 2.0 document with an embedded `DataIntegrityProof` (eddsa-rdfc-2022). */
export async function signWithDataIntegrity(document: Record<string, unknown>, key: { privateKey: KeyObject; methodId: string; did: string }, documentLoader: DocumentLoader) {
  const jwk = key.privateKey.export({ format: 'jwk' }) as Record<string, string>;
  const keyPair = await Ed25519Multikey.fromJwk({ jwk, secretKey: true, id: key.methodId, controller: key.did });
  const suite = new DataIntegrityProof({ signer: keyPair.signer(), cryptosuite: eddsaRdfc2022 });
  return vc.issue({ credential: structuredClone(document), suite, documentLoader });
}

const verifySuite = () => new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });

export type ProofCheck = { verified: true } | { verified: false; problem: string };

/** Checks the embedded proof only (status and dates are the caller's business). */
export async function verifyDataIntegrity(document: Record<string, unknown>, documentLoader: DocumentLoader): Promise<ProofCheck> {
  try {
    // Status is read by the caller (from the list the credential names, with its own proof).
    const checkStatus = async () => ({ verified: true });
    const result = await vc.verifyCredential({ credential: document, suite: verifySuite(), documentLoader, checkStatus, now: validityProbeDate(document) });
    if (result.verified) return { verified: true };
    const first = result.error?.errors?.[0] ?? result.error;
    return { verified: false, problem: first?.message ?? 'the proof did not verify' };
  } catch (error) {
    return { verified: false, problem: error instanceof Error ? error.message : String(error) };
  }
}

// @digitalbazaar/vc refuses a credential outside its validity period outright; we check the
// proof at a moment inside that period and report expiry ourselves, in plain words.
function validityProbeDate(document: Record<string, unknown>): Date | undefined {
  const from = typeof document.validFrom === 'string' ? Date.parse(document.validFrom) : NaN;
  const until = typeof document.validUntil === 'string' ? Date.parse(document.validUntil) : NaN;
  const now = Date.now();
  if (!Number.isNaN(until) && until < now) return new Date(Number.isNaN(from) ? until - 1 : Math.max(from, until - 1));
  if (!Number.isNaN(from) && from > now) return new Date(from);
  return undefined;
}

/** A public key's Multikey encoding (`z6Mk…`), from its JWK. */
export async function publicKeyMultibase(publicJwk: { kty: 'OKP'; crv: 'Ed25519'; x: string }): Promise<string> {
  return (await Ed25519Multikey.fromJwk({ jwk: publicJwk })).publicKeyMultibase;
}

/** The DID document of an Ed25519 did:key (the only did:key kind accepted). */
export async function didKeyDocument(did: string): Promise<Record<string, unknown> | null> {
  const fingerprint = did.slice('did:key:'.length).split('#')[0]!;
  if (!/^z6Mk[1-9A-HJ-NP-Za-km-z]{40,50}$/.test(fingerprint)) return null;
  try {
    await Ed25519Multikey.from({ publicKeyMultibase: fingerprint });
  } catch {
    return null;
  }
  const id = `did:key:${fingerprint}`;
  const method = { id: `${id}#${fingerprint}`, type: 'Multikey', controller: id, publicKeyMultibase: fingerprint };
  return { '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'], id, verificationMethod: [method], assertionMethod: [method.id], authentication: [method.id] };
}

/** From a DID document, the node a DID URL names (the document itself, or one of its methods). */
export function dereferenceDidUrl(didDocument: Record<string, unknown>, didUrl: string): Record<string, unknown> | null {
  if (!didUrl.includes('#')) return didDocument;
  const methods = (Array.isArray(didDocument.verificationMethod) ? didDocument.verificationMethod : []) as Record<string, unknown>[];
  const fragment = didUrl.slice(didUrl.indexOf('#'));
  const method = methods.find((m) => m.id === didUrl || m.id === fragment);
  if (!method) return null;
  return { '@context': didDocument['@context'], ...method, id: didUrl, controller: typeof method.controller === 'string' ? method.controller : didDocument.id };
}
