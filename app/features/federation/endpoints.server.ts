import { publicBaseUrl } from '../../env.server.js';

/** The addresses an institution's IdP administrator registers for this platform. */
export function serviceEndpoints(slug: string) {
  const base = `${publicBaseUrl()}/sso/${slug}`;
  return {
    oidcRedirectUri: `${base}/oidc/callback`,
    samlMetadataUrl: `${base}/saml/metadata`,
    samlAcsUrl: `${base}/saml/acs`,
    casServiceUrl: `${base}/cas/callback`,
  };
}
