// The demo institution that signs in through a local OpenID Connect provider (scripts/idp/oidc-provider.ts),
// started beside the site by `npm start`. Nothing here is used outside the demo.
import { sql } from 'drizzle-orm';
import type { Transaction } from '../client.js';
import { identityProviders } from '../schema/index.js';
import { OIDC_CLIENT_SECRET_PURPOSE, sealSecret } from '../sealed-secret.js';
import { demoPassword } from './demo-data.js';

export const demoSso = {
  institutionSlug: 'mju',
  port: Number(process.env.DEMO_OIDC_PORT ?? 3101),
  clientId: 'bamin-cloud-classroom',
  /** A demo value: real institutions' secrets are typed into the admin console and sealed. */
  clientSecret: process.env.DEMO_OIDC_CLIENT_SECRET ?? 'demo-oidc-client-secret-not-for-production',
  scopes: ['mju.edu.cn'],
  displayNameZh: '闽江学院统一身份认证（演示）',
  displayNameEn: 'Minjiang University sign-in (demo)',
};

export const demoSsoIssuer = (): string => `http://127.0.0.1:${demoSso.port}`;

export type OidcDemoAccount = { username: string; password: string; sub: string; email: string; name: string; affiliations: string[] };

export const demoSsoAccounts: OidcDemoAccount[] = [
  { username: '20230158', password: demoPassword, sub: 'mju-20230158', email: '20230158@stu.mju.edu.cn', name: '郑雨桐', affiliations: ['student@mju.edu.cn', 'member@mju.edu.cn'] },
  { username: 't0042', password: demoPassword, sub: 'mju-t0042', email: 't0042@mju.edu.cn', name: '罗文斌', affiliations: ['staff@mju.edu.cn', 'member@mju.edu.cn'] },
];

/**
 * The demo institution's provider settings, once (an administrator's later edits are kept).
 * Skipped without SESSION_SECRET: the client secret is sealed under it, as the web process reads it.
 */
export async function seedDemoSso(tx: Transaction, institutionId: string): Promise<void> {
  const serverSecret = process.env.SESSION_SECRET;
  if (!serverSecret) return;
  await tx
    .insert(identityProviders)
    .values({
      institutionId,
      protocol: 'oidc',
      enabled: true,
      displayNameZh: demoSso.displayNameZh,
      displayNameEn: demoSso.displayNameEn,
      scopes: demoSso.scopes,
      staffRole: 'teacher',
      oidcIssuer: demoSsoIssuer(),
      oidcClientId: demoSso.clientId,
      oidcClientSecretSealed: sealSecret(demoSso.clientSecret, serverSecret, OIDC_CLIENT_SECRET_PURPOSE),
    })
    // Only the demo IdP's address follows DEMO_OIDC_PORT; an administrator's other edits stay.
    .onConflictDoUpdate({
      target: identityProviders.institutionId,
      set: { oidcIssuer: demoSsoIssuer() },
      setWhere: sql`${identityProviders.oidcClientId} = ${demoSso.clientId} and ${identityProviders.oidcIssuer} like 'http://127.0.0.1:%'`,
    });
}
