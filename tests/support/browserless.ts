import { randomBytes } from 'node:crypto';
import { PRIVACY_NOTICE_VERSION } from '../../app/features/accounts/privacy-notice.js';

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

  async login(email: string, password: string): Promise<Response> {
    return this.post('/login', { email, password });
  }
}

function rnd() {
  return randomBytes(1)[0]! % 250;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}@test.edu.cn`;
}
