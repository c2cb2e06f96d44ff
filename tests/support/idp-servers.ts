// The project-local identity providers (SimpleSAMLphp for SAML 2.0, LemonLDAP::NG for
// CAS 3.0) for tests, and the steps a person's browser takes at their login pages, done
// with fetch and a small cookie jar. The servers themselves: scripts/idp/.
export { startSamlIdp, samlAttributeNames, type RunningSamlIdp, type SamlIdpOptions } from '../../scripts/idp/simplesamlphp.js';
export { startCasServer, casAttributeNames, type RunningCasServer, type CasServerOptions } from '../../scripts/idp/lemonldap.js';
export { demoScope, demoUsers, type IdpUser } from '../../scripts/idp/demo-users.js';

/** A cookie jar per origin for fetch: enough for an identity provider's session cookies. */
export class CookieJar {
  private readonly jar = new Map<string, Map<string, string>>();

  header(url: string): string | undefined {
    const cookies = this.jar.get(new URL(url).origin);
    if (!cookies || cookies.size === 0) return undefined;
    return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  store(url: string, res: Response): void {
    const origin = new URL(url).origin;
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      if (eq < 1) continue;
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const cookies = this.jar.get(origin) ?? new Map<string, string>();
      if (value === '' || value === 'deleted' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
      this.jar.set(origin, cookies);
    }
  }
}

export type Page = { url: string; status: number; body: string; location?: string };

/**
 * Fetches `url` as a browser would, following redirects (GET after 301/302/303) with the
 * jar's cookies, until a page answers or a redirect leaves for `stopAtOrigin` (then that
 * redirect is returned unfollowed, so the caller sees where the IdP sends the person).
 */
export async function browse(jar: CookieJar, url: string, init: { method?: string; form?: Record<string, string>; stopAtOrigin?: string } = {}): Promise<Page> {
  let current = url;
  let method = init.method ?? (init.form ? 'POST' : 'GET');
  let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : undefined;
  for (let hop = 0; hop < 20; hop++) {
    const headers: Record<string, string> = { accept: 'text/html,application/xhtml+xml,*/*', 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' };
    const cookie = jar.header(current);
    if (cookie) headers.cookie = cookie;
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(current, { method, headers, body, redirect: 'manual' });
    jar.store(current, res);
    const text = await res.text();
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, current).toString();
      if (init.stopAtOrigin && new URL(next).origin === init.stopAtOrigin) return { url: current, status: res.status, body: text, location: next };
      current = next;
      if (res.status !== 307 && res.status !== 308) {
        method = 'GET';
        body = undefined;
      }
      continue;
    }
    return { url: current, status: res.status, body: text };
  }
  throw new Error(`too many redirects from ${url}`);
}

function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d: string) => String.fromCodePoint(parseInt(d, 10)))
    .replace(/&amp;/g, '&');
}

/** The first <form> of a page: its action (absolute) and its named inputs' values. */
export function parseForm(page: Page, which: RegExp = /<form\b[\s\S]*?<\/form>/i): { action: string; fields: Record<string, string> } {
  const form = page.body.match(which)?.[0];
  if (!form) throw new Error(`no form on ${page.url} (HTTP ${page.status}):\n${page.body.slice(0, 2000)}`);
  const action = decodeEntities(form.match(/\baction\s*=\s*["']([^"']*)["']/i)?.[1] ?? page.url);
  const fields: Record<string, string> = {};
  for (const input of form.match(/<input\b[^>]*>/gi) ?? []) {
    const name = input.match(/\bname\s*=\s*["']([^"']*)["']/i)?.[1];
    if (!name) continue;
    fields[decodeEntities(name)] = decodeEntities(input.match(/\bvalue\s*=\s*["']([^"']*)["']/i)?.[1] ?? '');
  }
  return { action: new URL(action, page.url).toString(), fields };
}

export type SamlPost = { acsUrl: string; samlResponse: string; relayState?: string };

/**
 * Signs a person in at SimpleSAMLphp: opens `ssoRedirectUrl` (the IdP's SSO URL with a
 * SAMLRequest, as the SP redirects a browser to it), fills the login form and returns the
 * SAMLResponse the IdP's auto-posting page would send to the SP's ACS URL. Pass the same
 * jar again to see the IdP's single sign-on (no second form).
 */
export async function signInAtSamlIdp(ssoRedirectUrl: string, username: string, password: string, jar = new CookieJar()): Promise<SamlPost> {
  let page = await browse(jar, ssoRedirectUrl);
  if (/name=["']password["']/i.test(page.body)) {
    const login = parseForm(page);
    page = await browse(jar, login.action, { form: { ...login.fields, username, password } });
    if (/name=["']password["']/i.test(page.body)) throw new Error(`SimpleSAMLphp refused ${username}'s password (login form shown again)`);
  }
  const post = parseForm(page, /<form\b[^>]*method=["']post["'][\s\S]*?<\/form>/i);
  if (!post.fields.SAMLResponse) throw new Error(`no SAMLResponse on ${page.url} (HTTP ${page.status}):\n${page.body.slice(0, 2000)}`);
  return { acsUrl: post.action, samlResponse: post.fields.SAMLResponse, relayState: post.fields.RelayState };
}

/** The login <form> of a page (the one with a password field). */
const loginForm = /<form\b(?:(?!<\/form>)[\s\S])*?name=["']password["'][\s\S]*?<\/form>/i;

/**
 * Signs a person in at the CAS server: opens `${casBaseUrl}/login?service=...`, fills the
 * login form and returns the service URL the server redirects the browser to, with its
 * `ticket`. Throws when the server answers with a page instead (wrong password, service
 * not allowed): the error carries the page's text.
 */
export async function signInAtCas(loginUrl: string, username: string, password: string, jar = new CookieJar()): Promise<{ serviceUrl: string; ticket: string }> {
  const service = new URL(loginUrl).searchParams.get('service');
  if (!service) throw new Error(`${loginUrl} has no service parameter`);
  const stopAtOrigin = new URL(service).origin;
  let page = await browse(jar, loginUrl, { stopAtOrigin });
  if (!page.location && loginForm.test(page.body)) {
    const form = parseForm(page, loginForm);
    page = await browse(jar, form.action, { form: { ...form.fields, user: username, password }, stopAtOrigin });
  }
  if (!page.location) {
    const text = page.body.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    // LemonLDAP::NG names its message by number (translated in the browser): PE_BADCREDENTIALS
    // is 5, PE_UNKNOWNPARTNER 107 (see Lemonldap::NG::Portal::Main::Constants).
    const codes = [...page.body.matchAll(/\btrmsg=["'](\d+)["']/g)].map((m) => m[1]);
    throw new Error(`the CAS server did not send ${username} back to the service (HTTP ${page.status} at ${page.url}; portal message ${codes.join(', ') || 'none'}): ${text.slice(0, 400)}`);
  }
  const ticket = new URL(page.location).searchParams.get('ticket');
  if (!ticket) throw new Error(`the CAS server sent ${username} back without a ticket: ${page.location}`);
  return { serviceUrl: page.location, ticket };
}
