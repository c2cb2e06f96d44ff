import { describe, expect, it } from 'vitest';
import { controllerDocument, didWebDocumentUrl, institutionDid, ourInstitutionSlug } from './did-web.js';

describe('did:web for institutions', () => {
  it('encodes the port and resolves back to the site path', () => {
    const did = institutionDid('http://127.0.0.1:3000', 'fjnu');
    expect(did).toBe('did:web:127.0.0.1%3A3000:institutions:fjnu');
    expect(didWebDocumentUrl(did)!.href).toBe('https://127.0.0.1:3000/institutions/fjnu/did.json');
    expect(institutionDid('https://edu.example.cn/', 'mju')).toBe('did:web:edu.example.cn:institutions:mju');
    expect(didWebDocumentUrl('did:web:example.org')!.href).toBe('https://example.org/.well-known/did.json');
  });

  it('refuses what is not a did:web or would climb out of the path', () => {
    expect(didWebDocumentUrl('did:key:z6Mk')).toBeNull();
    expect(didWebDocumentUrl('did:web:example.org:..:admin')).toBeNull();
    expect(didWebDocumentUrl('did:web:example.org:a%2Fb')).toBeNull();
    expect(didWebDocumentUrl('https://example.org')).toBeNull();
  });

  it('recognises our own DIDs and no one else’s', () => {
    expect(ourInstitutionSlug('https://edu.example.cn', 'did:web:edu.example.cn:institutions:fjnu#k1')).toBe('fjnu');
    expect(ourInstitutionSlug('https://edu.example.cn', 'did:web:evil.example:institutions:fjnu')).toBeNull();
  });

  it('lists retired keys as assertion methods, in both key formats', () => {
    const key = (id: string, active: boolean) => ({ id, active, publicKeyMultibase: `z6Mk${id}`, publicJwk: { kty: 'OKP' as const, crv: 'Ed25519' as const, x: id } });
    const doc = controllerDocument('did:web:h:institutions:a', [key('new', true), key('old', false)]) as { assertionMethod: string[]; verificationMethod: { type: string }[] };
    expect(doc.assertionMethod).toEqual(['did:web:h:institutions:a#new', 'did:web:h:institutions:a#new-jwk', 'did:web:h:institutions:a#old', 'did:web:h:institutions:a#old-jwk']);
    expect(doc.verificationMethod.map((m) => m.type)).toEqual(['Multikey', 'JsonWebKey', 'Multikey', 'JsonWebKey']);
  });
});
