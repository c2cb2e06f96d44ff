// Runs a local OpenID Connect provider as its own process.
//   tsx scripts/idp/oidc-provider.ts                 the demo institution's IdP for `npm start`
//   OIDC_IDP_CONFIG='{"port":…}' tsx scripts/idp/oidc-provider.ts   any clients and accounts (tests)
// Prints one line "oidc-provider ready <issuer>" when it accepts requests.
import { demoSso, demoSsoAccounts } from '../../db/seed/demo-sso.js';
import { startOidcIdp, type OidcIdpConfig } from './oidc-idp.js';

function demoConfig(): OidcIdpConfig {
  const site = (process.env.PUBLIC_URL ?? `http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT ?? '3000'}`).replace(/\/$/, '');
  return {
    port: demoSso.port,
    title: `${demoSso.displayNameZh}`,
    clients: [{ client_id: demoSso.clientId, client_secret: demoSso.clientSecret, redirect_uris: [`${site}/sso/${demoSso.institutionSlug}/oidc/callback`] }],
    accounts: demoSsoAccounts,
  };
}

const config: OidcIdpConfig = process.env.OIDC_IDP_CONFIG ? (JSON.parse(process.env.OIDC_IDP_CONFIG) as OidcIdpConfig) : demoConfig();
const idp = await startOidcIdp(config);
console.log(`oidc-provider ready ${idp.issuer}`);
const stop = () => void idp.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
