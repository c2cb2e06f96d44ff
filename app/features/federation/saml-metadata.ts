import { XMLParser } from 'fast-xml-parser';

export type IdpMetadata = { entityId: string; ssoRedirectUrl: string; signingCertificates: string[] };

const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, processEntities: false });

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : v && typeof v === 'object' ? [v as Node] : []);
const text = (v: unknown): string => (typeof v === 'string' ? v : v && typeof v === 'object' && '#text' in v ? String((v as Node)['#text']) : '');

/**
 * The identity provider in a SAML metadata document (an EntityDescriptor, or the first IdP
 * of an EntitiesDescriptor, optionally the one named `entityId`): its entityID, its
 * HTTP-Redirect SSO endpoint and its signing certificates (base64 DER).
 */
export function parseIdpMetadata(xml: string, entityId?: string): IdpMetadata {
  const doc = parser.parse(xml) as Node;
  const entities = [...list(doc.EntityDescriptor), ...list(doc.EntitiesDescriptor).flatMap((group) => list(group.EntityDescriptor))];
  const entity = entities.find((e) => list(e.IDPSSODescriptor).length > 0 && (!entityId || e['@entityID'] === entityId));
  if (!entity) throw new Error('no identity provider (IDPSSODescriptor) in the metadata');
  const idp = list(entity.IDPSSODescriptor)[0]!;
  const sso = list(idp.SingleSignOnService).find((s) => s['@Binding'] === REDIRECT_BINDING);
  if (!sso || typeof sso['@Location'] !== 'string') throw new Error('the identity provider has no HTTP-Redirect SingleSignOnService');
  const signingCertificates = list(idp.KeyDescriptor)
    .filter((k) => k['@use'] === undefined || k['@use'] === 'signing')
    .flatMap((k) => list(k.KeyInfo).flatMap((ki) => list(ki.X509Data).flatMap((d) => [d.X509Certificate].flat())))
    .map((c) => text(c).replace(/\s+/g, ''))
    .filter(Boolean);
  if (signingCertificates.length === 0) throw new Error('the identity provider publishes no signing certificate');
  return { entityId: String(entity['@entityID']), ssoRedirectUrl: sso['@Location'], signingCertificates: [...new Set(signingCertificates)] };
}
