import type { IdentityProvider } from '../../../db/schema/index.js';
import type { SsoFlow } from './flows.server.js';
import { startCas } from './cas.server.js';
import { startOidc } from './oidc.server.js';
import { startSaml } from './saml.server.js';
import { SsoRefusal } from './refusals.js';

/** Where to send the browser for this provider, and the checks its answer must later pass. */
export async function startSignIn(provider: IdentityProvider, slug: string, flowId: string): Promise<{ url: string; checks: Pick<SsoFlow, 'oidc' | 'samlRequestId'> }> {
  try {
    switch (provider.protocol) {
      case 'oidc': {
        const { url, oidc } = await startOidc(provider, slug);
        return { url, checks: { oidc } };
      }
      case 'saml': {
        const { url, samlRequestId } = await startSaml(provider, slug, flowId);
        return { url, checks: { samlRequestId } };
      }
      case 'cas':
        return { url: startCas(provider, slug), checks: {} };
      default:
        throw new SsoRefusal('not-configured', `protocol ${provider.protocol} not available`);
    }
  } catch (error) {
    if (error instanceof SsoRefusal) throw error;
    throw new SsoRefusal('idp-unreachable', error instanceof Error ? error.message : String(error));
  }
}
