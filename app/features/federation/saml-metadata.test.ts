import { describe, expect, it } from 'vitest';
import { parseIdpMetadata } from './saml-metadata.js';

const entity = (id: string, cert: string, use = 'signing') => `
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${id}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="${use}"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>
      ${cert}
    </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:KeyDescriptor use="encryption"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>ENC</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${id}/post"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${id}/redirect"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;

describe('parseIdpMetadata', () => {
  it('reads the entityID, the redirect SSO endpoint and only the signing certificates', () => {
    expect(parseIdpMetadata(entity('https://idp.fjnu.edu.cn', 'MIIB AAA\n BBB'))).toEqual({
      entityId: 'https://idp.fjnu.edu.cn',
      ssoRedirectUrl: 'https://idp.fjnu.edu.cn/redirect',
      signingCertificates: ['MIIBAAABBB'],
    });
  });

  it('finds the named IdP in federation metadata (an EntitiesDescriptor)', () => {
    const federation = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${entity('https://a.example', 'AAA').replace(/^\s*/, '')}${entity('https://b.example', 'BBB')}</md:EntitiesDescriptor>`;
    expect(parseIdpMetadata(federation, 'https://b.example').signingCertificates).toEqual(['BBB']);
  });

  it('refuses metadata without an IdP, a redirect endpoint or a signing certificate', () => {
    expect(() => parseIdpMetadata('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>')).toThrow(/IDPSSODescriptor/);
    expect(() => parseIdpMetadata(entity('x', 'AAA').replace('HTTP-Redirect', 'SOAP'))).toThrow(/HTTP-Redirect/);
    expect(() => parseIdpMetadata(entity('x', 'AAA', 'encryption'))).toThrow(/signing certificate/);
  });
});
