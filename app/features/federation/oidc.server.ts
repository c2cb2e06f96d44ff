import * as client from 'openid-client';
import type { IdentityProvider } from '../../../db/schema/index.js';
import { roleFromAffiliations } from './affiliation.js';
import { serviceEndpoints } from './endpoints.server.js';
import type { SsoFlow } from './flows.server.js';
import { oidcClientSecret } from './providers.server.js';
import { SsoRefusal } from './refusals.js';
import type { VerifiedIdentity } from './sign-in.server.js';

// Discovery is fetched once per provider settings version and kept for ten minutes.
const configs = new Map<string, { config: client.Configuration; fetchedAt: number }>();
const CONFIG_TTL_MS = 10 * 60_000;

/** A loopback issuer (the demo IdP, tests) may be plain HTTP; any other must be HTTPS. */
function isLoopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

async function configFor(provider: IdentityProvider): Promise<client.Configuration> {
  if (!provider.oidcIssuer || !provider.oidcClientId) throw new SsoRefusal('not-configured', 'issuer or client id missing');
  const key = `${provider.id}:${provider.updatedAt.toISOString()}`;
  const cached = configs.get(key);
  if (cached && Date.now() - cached.fetchedAt < CONFIG_TTL_MS) return cached.config;
  const issuer = new URL(provider.oidcIssuer);
  const secret = oidcClientSecret(provider);
  const config = await client.discovery(
    issuer,
    provider.oidcClientId,
    secret ?? undefined,
    secret ? client.ClientSecretBasic(secret) : client.None(),
    isLoopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
  );
  configs.set(key, { config, fetchedAt: Date.now() });
  return config;
}


/** The IdP's authorization URL (code flow with PKCE S256, state and nonce) and what the answer must match. */
export async function startOidc(provider: IdentityProvider, slug: string): Promise<{ url: string; oidc: NonNullable<SsoFlow['oidc']> }> {
  const config = await configFor(provider);
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: serviceEndpoints(slug).oidcRedirectUri,
    scope: 'openid email profile eduperson_scoped_affiliation',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url: url.href, oidc: { state, nonce, codeVerifier } };
}

/** Messages down an error's cause chain: openid-client wraps oauth4webapi's specific error. */
function causeChain(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth += 1) parts.push(e.message);
  return parts.join(' <- ');
}

function refusalFor(error: unknown): SsoRefusal {
  if (error instanceof SsoRefusal) return error;
  if (error instanceof client.AuthorizationResponseError) return new SsoRefusal(error.error === 'access_denied' ? 'cancelled' : 'idp-error', error.message);
  const chain = causeChain(error);
  const code = (error as { code?: string }).code ?? '';
  if (chain.includes('"state"')) return new SsoRefusal('state-mismatch', chain);
  if (chain.includes('"nonce"')) return new SsoRefusal('nonce-mismatch', chain);
  if (chain.includes('"iss"') || chain.includes('issuer')) return new SsoRefusal('issuer-mismatch', chain);
  if (chain.includes('"aud"')) return new SsoRefusal('wrong-audience', chain);
  if (code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') return new SsoRefusal('expired', chain);
  return new SsoRefusal('invalid-response', `${code} ${chain}`.trim());
}

const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

/**
 * Completes the code flow: the answer's state, the ID token's issuer, audience, nonce and
 * signature are checked by openid-client; the claims then go through the institution's scopes.
 */
export async function finishOidc(provider: IdentityProvider, flow: SsoFlow, callbackUrl: URL): Promise<VerifiedIdentity> {
  if (!flow.oidc) throw new SsoRefusal('no-flow', 'flow has no OIDC checks');
  try {
    const config = await configFor(provider);
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: flow.oidc.codeVerifier,
      expectedState: flow.oidc.state,
      expectedNonce: flow.oidc.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims()!;
    const info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
    const claims = { ...info, ...idClaims };
    const verdict = roleFromAffiliations(stringList(claims.eduperson_scoped_affiliation), [], { scopes: provider.scopes, staffRole: provider.staffRole });
    if (verdict.kind === 'foreign-scope') throw new SsoRefusal('foreign-scope', verdict.scope);
    const email = typeof claims.email === 'string' && claims.email_verified !== false ? claims.email.toLowerCase() : null;
    return {
      institutionId: provider.institutionId,
      protocol: 'oidc',
      subject: idClaims.sub,
      email,
      displayName: typeof claims.name === 'string' ? claims.name.slice(0, 100) : null,
      role: verdict.role,
    };
  } catch (error) {
    throw refusalFor(error);
  }
}
