import type { OidcIdpAccount, OidcIdpConfig } from '../../scripts/idp/oidc-idp.js';
import { freePort, startProcess, waitFor, type Running } from './processes.js';

export type OidcIdpProcess = { issuer: string; port: number; stop: () => Promise<void> };

/** The real `oidc-provider`, run from scripts/idp/oidc-provider.ts as its own process on a free port. */
export async function startOidcIdpProcess(config: Omit<OidcIdpConfig, 'port'>): Promise<OidcIdpProcess> {
  const port = await freePort();
  const running: Running = startProcess('scripts/idp/oidc-provider.ts', { OIDC_IDP_CONFIG: JSON.stringify({ ...config, port }) });
  const issuer = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => (await fetch(`${issuer}/.well-known/openid-configuration`)).ok, 30_000, 'the OIDC provider');
  } catch (error) {
    console.error(running.output());
    throw error;
  }
  return {
    issuer,
    port,
    stop: async () => {
      running.child.kill('SIGTERM');
      await running.exited;
    },
  };
}

export function oidcAccount(tag: string, fields: Partial<OidcIdpAccount> = {}): OidcIdpAccount {
  return { username: tag, password: `pw-${tag}`, sub: `sub-${tag}`, email: `${tag}@fzu.edu.cn`, name: `统一认证用户 ${tag}`, affiliations: [`student@fzu.edu.cn`], ...fields };
}

/**
 * A browser at the IdP: follows its redirects with its own cookies, fills in the login form
 * when it appears, and returns the URL it finally sends the browser to (the platform's callback).
 */
export async function signInAtOidcIdp(authorizationUrl: string, account: { username: string; password: string }): Promise<URL> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0]!;
      jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
  };
  const idpOrigin = new URL(authorizationUrl).origin;
  let url = new URL(authorizationUrl);
  for (let hops = 0; hops < 12; hops += 1) {
    if (url.origin !== idpOrigin) return url;
    const res = await fetch(url, { headers: { Cookie: cookieHeader() }, redirect: 'manual' });
    remember(res);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url);
      continue;
    }
    const html = await res.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`IdP answered ${res.status} without a login form: ${html.slice(0, 300)}`);
    const posted = await fetch(new URL(action.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))), url), {
      method: 'POST',
      body: new URLSearchParams({ username: account.username, password: account.password }),
      headers: { Cookie: cookieHeader(), 'Content-Type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    remember(posted);
    if (posted.status < 300 || posted.status >= 400) throw new Error(`IdP login failed with ${posted.status}: ${(await posted.text()).slice(0, 300)}`);
    url = new URL(posted.headers.get('location')!, url);
  }
  throw new Error('too many redirects at the IdP');
}
