import { describe, expect, it } from 'vitest';
import type { NextFunction, Request, Response } from 'express';
import { limitFormBodies } from './limits.js';
import { rejectCrossOriginWrites, securityHeaders } from './security-headers.js';

function fakeRes() {
  const headers = new Map<string, string>();
  const res = {
    locals: {} as Record<string, unknown>,
    statusCode: 200,
    setHeader: (k: string, v: string) => headers.set(k.toLowerCase(), v),
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    type() {
      return this;
    },
    send() {
      return this;
    },
  };
  return { res: res as unknown as Response & { statusCode: number }, headers };
}
const req = (method: string, h: Record<string, string>) =>
  ({ method, get: (k: string) => h[k.toLowerCase()], is: (type: string) => (h['content-type'] ?? '').startsWith(type) }) as unknown as Request;

describe('security headers', () => {
  it('sends HSTS only in production over HTTPS, and always forbids framing', () => {
    for (const production of [true, false]) {
      const { res, headers } = fakeRes();
      securityHeaders({ production, devServer: false })(req('GET', {}), res, (() => {}) as NextFunction);
      expect(headers.has('strict-transport-security')).toBe(production);
      expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(headers.get('x-frame-options')).toBe('DENY');
    }
  });
});

describe('camera and microphone', () => {
  it('are allowed (to this origin only) on a teacher’s session console, and nowhere else', () => {
    const policy = (path: string) => {
      const { res, headers } = fakeRes();
      securityHeaders({ production: true, devServer: false })({ ...req('GET', {}), path } as Request, res, (() => {}) as NextFunction);
      return headers.get('permissions-policy');
    };
    expect(policy('/classroom/sessions/0b7c9a52-4a8e-4f43-9a43-3d0e2c6c9b11/console')).toBe('camera=(self), microphone=(self), geolocation=()');
    for (const path of ['/', '/classroom/sessions/0b7c9a52-4a8e-4f43-9a43-3d0e2c6c9b11/screen', '/studio', '/classroom/sessions/x/console/../screen']) {
      expect(policy(path)).toBe('camera=(), microphone=(), geolocation=()');
    }
  });
});

describe('request gates', () => {
  const run = (mw: (rq: Request, rs: Response, n: NextFunction) => unknown, r: Request) => {
    const { res } = fakeRes();
    let passed = false;
    mw(r, res, () => (passed = true));
    return { passed, status: res.statusCode };
  };

  it('refuses a write whose Origin is another host; allows same-origin and no Origin', () => {
    const mw = rejectCrossOriginWrites();
    expect(run(mw, req('POST', { origin: 'https://evil.example', host: 'edu.example' }))).toEqual({ passed: false, status: 403 });
    expect(run(mw, req('POST', { origin: 'https://edu.example', host: 'edu.example' })).passed).toBe(true);
    expect(run(mw, req('POST', { host: 'edu.example' })).passed).toBe(true);
    expect(run(mw, req('GET', { origin: 'https://evil.example', host: 'edu.example' })).passed).toBe(true);
  });

  it('lets an IdP post a SAML answer to an ACS from its own origin, and only there', () => {
    const mw = rejectCrossOriginWrites();
    const posted = (path: string) => {
      const h: Record<string, string> = { origin: 'https://idp.fjnu.edu.cn', host: 'edu.example' };
      return { method: 'POST', path, headers: h, get: (k: string) => h[k.toLowerCase()] } as unknown as Request;
    };
    const acs = posted('/sso/fjnu/saml/acs');
    expect(run(mw, acs).passed).toBe(true);
    expect(acs.headers.origin).toBeUndefined();
    expect(run(mw, posted('/sso/fjnu/saml/finish')).status).toBe(403);
  });

  it('answers 413 for a form body over the limit and 411 for a chunked one', () => {
    const mw = limitFormBodies(1024);
    expect(run(mw, req('POST', { 'content-length': '2048' })).status).toBe(413);
    expect(run(mw, req('POST', { 'transfer-encoding': 'chunked' })).status).toBe(411);
    expect(run(mw, req('POST', { 'content-length': '512' })).passed).toBe(true);
    // Multipart forms (a caption file) get the larger allowance, and no more.
    const withFiles = limitFormBodies(1024, 4096);
    expect(run(withFiles, req('POST', { 'content-length': '3000', 'content-type': 'multipart/form-data; boundary=x' })).passed).toBe(true);
    expect(run(withFiles, req('POST', { 'content-length': '5000', 'content-type': 'multipart/form-data; boundary=x' })).status).toBe(413);
    expect(run(withFiles, req('POST', { 'content-length': '3000', 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(413);
  });
});
