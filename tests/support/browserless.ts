import { randomBytes } from 'node:crypto';
import { PRIVACY_NOTICE_VERSION } from '../../app/features/accounts/privacy-notice.js';
import { currentTotpCode, currentTotpStep, freshTotpCode, rememberTotpSecret, totpSecretOf } from './totp.js';

/**
 * A minimal HTTP client that behaves like a browser without JavaScript: it keeps
 * cookies, follows nothing automatically, and posts forms with the CSRF token the
 * server gave it. Each client claims its own IP (the test server trusts one proxy hop).
 */
export class FormClient {
  readonly cookies = new Map<string, string>();
  readonly ip: string;

  constructor(readonly baseUrl: string, ip?: string) {
    this.ip = ip ?? `10.${rnd()}.${rnd()}.${rnd()}`;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { 'X-Forwarded-For': this.ip, ...(cookie ? { Cookie: cookie } : {}), ...extra };
  }

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const name = pair!.slice(0, pair!.indexOf('='));
      const value = pair!.slice(pair!.indexOf('=') + 1);
      const expired = attrs.some((a) => /max-age=0/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path: string): Promise<Response> {
    const res = await fetch(this.baseUrl + path, { headers: this.headers(), redirect: 'manual' });
    this.remember(res);
    return res;
  }

  /** The CSRF token cookie, fetched with a first page view if this client has none yet. */
  async csrfToken(): Promise<string> {
    if (!this.cookies.has('edu_csrf')) await (await this.get('/login')).text();
    return this.cookies.get('edu_csrf')!;
  }

  async post(path: string, fields: Record<string, string>, opts: { csrf?: boolean; headers?: Record<string, string> } = {}): Promise<Response> {
    const body = new URLSearchParams(fields);
    if (opts.csrf !== false) body.set('csrf', decodeURIComponent(await this.csrfToken()));
    const res = await fetch(this.baseUrl + path, {
      method: 'POST',
      body,
      headers: this.headers({ 'Content-Type': 'application/x-www-form-urlencoded', ...opts.headers }),
      redirect: 'manual',
    });
    this.remember(res);
    return res;
  }

  /** A multipart form with files, as a browser sends `<form enctype="multipart/form-data">`. */
  async postMultipart(path: string, fields: Record<string, string>, files: Record<string, { name: string; type: string; content: string | Uint8Array }>): Promise<Response> {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    body.set('csrf', decodeURIComponent(await this.csrfToken()));
    for (const [k, f] of Object.entries(files)) body.set(k, new Blob([typeof f.content === 'string' ? f.content : new Uint8Array(f.content)], { type: f.type }), f.name);
    const res = await fetch(this.baseUrl + path, { method: 'POST', body, headers: this.headers(), redirect: 'manual' });
    this.remember(res);
    return res;
  }

  /** Raw bytes, as a page's script posts them with fetch (the CSRF token in a header). */
  async postBytes(path: string, bytes: Uint8Array, opts: { csrf?: boolean } = {}): Promise<Response> {
    const csrf: Record<string, string> = opts.csrf === false ? {} : { 'X-CSRF-Token': decodeURIComponent(await this.csrfToken()) };
    const res = await fetch(this.baseUrl + path, { method: 'POST', body: new Blob([new Uint8Array(bytes)]), headers: this.headers({ 'Content-Type': 'application/octet-stream', ...csrf }), redirect: 'manual' });
    this.remember(res);
    return res;
  }

  /**
   * Signs up as an adult who consents to the privacy notice (unless `fields` say otherwise),
   * then, since sign-up answers every address with "check your mail" and starts no session,
   * logs in with the new account. Returns the login's response (302 to / when it worked),
   * or the sign-up's own when it was refused.
   */
  async signUp(fields: Record<string, string>): Promise<Response> {
    const res = await this.post('/signup', { birthDate: '2000-01-01', consent: 'on', noticeVersion: PRIVACY_NOTICE_VERSION, ...fields });
    if (res.status !== 302 || res.headers.get('location') !== '/signup/sent') return res;
    return this.login(fields.email!.toLowerCase(), fields.password!);
  }

  /**
   * Signs in through the real form. Someone with an authenticator the tests know (the demo
   * registrar and admin, people enrolled with `enrolSecondFactor`) answers the second step too,
   * so the answer is the final redirect, as for anyone else.
   */
  async login(email: string, password: string, fields: Record<string, string> = {}): Promise<Response> {
    const res = await this.post('/login', { email, password, ...fields });
    const location = res.headers.get('location') ?? '';
    if (res.status !== 302 || !location.startsWith('/login/second-factor') || !totpSecretOf(email)) return res;
    return this.giveSecondFactor(email, location);
  }

  /** Answers /login/second-factor with a fresh code (a code refused as already used is retried with the next step). */
  async giveSecondFactor(email: string, location = '/login/second-factor'): Promise<Response> {
    const redirectTo = new URL(location, this.baseUrl).searchParams.get('redirectTo') ?? '/';
    let res: Response | undefined;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      res = await this.post('/login/second-factor', { code: await freshTotpCode(email), redirectTo });
      if (res.status !== 401) return res;
    }
    return res!;
  }

  /**
   * Enrols an authenticator for the signed-in person through /account/second-factor, as a
   * registrar does at first sign-in; the tests remember its key to sign in later.
   */
  async enrolSecondFactor(email: string): Promise<{ secret: string; recoveryCodes: string[] }> {
    const page = await (await this.get('/account/second-factor')).text();
    const key = /class="manual-key">([A-Z2-7 ]+)</.exec(page)?.[1];
    if (!key) throw new Error('no manual key on /account/second-factor');
    const secret = key.replace(/\s/g, '');
    const step = currentTotpStep();
    const res = await this.post('/account/second-factor', { intent: 'confirm', code: await currentTotpCode(secret) });
    const html = await res.text();
    if (res.status !== 200) throw new Error(`second-factor enrolment answered ${res.status}`);
    rememberTotpSecret(email, secret, step);
    return { secret, recoveryCodes: [...html.matchAll(/<code>([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3})<\/code>/g)].map((m) => m[1]!) };
  }
}

function rnd() {
  return randomBytes(1)[0]! % 250;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}@test.edu.cn`;
}
