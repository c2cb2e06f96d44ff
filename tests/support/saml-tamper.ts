// Hostile SAML answers made from a real one: SimpleSAMLphp's signed response, altered, then
// left unsigned, re-signed with a key the institution never published, or re-signed with the
// IdP's own key (an answer the IdP really issued, but for another audience or time).
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SignedXml } from 'xml-crypto';

export const decode = (samlResponse: string) => Buffer.from(samlResponse, 'base64').toString('utf8');
export const encode = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

export function stripSignatures(xml: string): string {
  return xml.replace(/<ds:Signature\b[\s\S]*?<\/ds:Signature>/g, '');
}

/** Signs the (first) Assertion as an IdP does: enveloped, exclusive c14n, RSA-SHA256, after its Issuer. */
export function signAssertion(xml: string, privateKeyPem: string): string {
  const sig = new SignedXml({
    privateKey: privateKeyPem,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  sig.addReference({
    xpath: "//*[local-name(.)='Assertion']",
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: 'after' } });
  return sig.getSignedXml();
}

export function idpPrivateKey(idpFolder: string): string {
  return readFileSync(path.join(idpFolder, 'cert/idp.key'), 'utf8');
}

export function strangerPrivateKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The assertion element of a response, whole. */
export function assertionOf(xml: string): string {
  const match = /<saml:Assertion\b[\s\S]*<\/saml:Assertion>/.exec(xml);
  if (!match) throw new Error('no saml:Assertion in the response');
  return match[0];
}
