import { randomUUID } from 'node:crypto';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { didKeyDocument, dereferenceDidUrl } from '../../app/features/credits/data-integrity.server.js';
import { makeDocumentLoader } from '../../app/features/credits/jsonld-contexts.server.js';

/**
 * An OB 3.0 credential from an issuer that is not us: a did:key, signed here with the Digital
 * Bazaar stack, as any other platform's issuer would.
 */
export async function credentialFromAnotherIssuer(opts: { holder: string; achievement: string; validFrom?: string; validUntil?: string }) {
  const generated = await Ed25519Multikey.generate();
  const did = `did:key:${generated.publicKeyMultibase}`;
  const key = await Ed25519Multikey.from({ ...(await generated.export({ publicKey: true, secretKey: true, includeContext: true })), id: `${did}#${generated.publicKeyMultibase}`, controller: did });
  const credential = {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: `urn:uuid:${randomUUID()}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: did, type: ['Profile'], name: 'Open University of Example' },
    validFrom: opts.validFrom ?? '2025-01-15T00:00:00Z',
    ...(opts.validUntil ? { validUntil: opts.validUntil } : {}),
    name: opts.achievement,
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [{ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: opts.holder }],
      achievement: { id: `urn:uuid:${randomUUID()}`, type: ['Achievement'], achievementType: 'Course', name: opts.achievement, description: 'An online course.', criteria: { narrative: 'Pass the final exam.' } },
    },
  };
  const loader = makeDocumentLoader(async (url) => {
    const doc = await didKeyDocument(url);
    return doc ? dereferenceDidUrl(doc, url) : null;
  });
  // Signing an already-expired credential needs the signer's clock inside its validity period.
  const now = opts.validUntil && Date.parse(opts.validUntil) < Date.now() ? new Date(Date.parse(opts.validUntil) - 1000) : undefined;
  return vc.issue({ credential, suite: new DataIntegrityProof({ signer: key.signer(), cryptosuite, ...(now ? { date: now } : {}) }), documentLoader: loader, ...(now ? { now } : {}) });
}
