// A real OpenID Connect provider (the `oidc-provider` package) with a plain login form and
// fixed accounts: the demo institution's IdP under `npm start`, and the peer the tests sign in at.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

export type OidcIdpAccount = { username: string; password: string; sub: string; email: string; name: string; affiliations: string[] };
export type OidcIdpClient = { client_id: string; client_secret: string; redirect_uris: string[] };
export type OidcIdpConfig = { port: number; host?: string; issuer?: string; title?: string; clients: OidcIdpClient[]; accounts: OidcIdpAccount[] };

const SCOPE = 'openid email profile eduperson_scoped_affiliation';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(title: string, uid: string, error: string | null): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:3rem auto;padding:0 1rem}label{display:block;margin-top:1rem}input{width:100%;padding:.5rem;font-size:1rem}button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem}.error{color:#a00}</style>
</head><body><main><h1>${escapeHtml(title)}</h1>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${encodeURIComponent(uid)}/login">
<label for="username">学号 / 工号 (username)</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">密码 (password)</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">登录 (Sign in)</button></form></main></body></html>`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startOidcIdp(config: OidcIdpConfig): Promise<{ issuer: string; server: Server; close: () => Promise<void> }> {
  const host = config.host ?? '127.0.0.1';
  const issuer = config.issuer ?? `http://${host}:${config.port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };
  const accounts = new Map(config.accounts.map((a) => [a.sub, a]));
  const configuration: Configuration = {
    clients: config.clients.map((c) => ({ ...c, grant_types: ['authorization_code'], response_types: ['code'] })),
    jwks: { keys: [jwk as never] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], eduperson_scoped_affiliation: ['eduperson_scoped_affiliation'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, email: account.email, email_verified: true, name: account.name, eduperson_scoped_affiliation: account.affiliations }),
      };
    },
    // The platform is the institution's own service: consent is implied, as at a university's CAS.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope(SCOPE);
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  const title = config.title ?? '统一身份认证 (demo identity provider)';
  const callback = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, isPost: boolean) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    if (!isPost) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(loginPage(title, uid, null));
      return;
    }
    const form = await readForm(req);
    const account = config.accounts.find((a) => a.username === form.get('username') && a.password === form.get('password'));
    if (!account) {
      res.writeHead(401, { 'Content-Type': 'text/html; charset=utf-8' }).end(loginPage(title, uid, '用户名或密码错误 (wrong username or password)'));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
  }

  const server = createServer((req, res) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url?.split('?')[0] ?? '');
    if (!match) return void callback(req, res);
    interaction(req, res, match[1]!, req.method === 'POST' && Boolean(match[2])).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`sign-in failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, host, resolve);
  });
  return { issuer, server, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
