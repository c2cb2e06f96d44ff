import { continueAfterPassword } from '../identity/second-factor/sign-in.server.js';
import { createCookie, data, redirect, type Cookie } from '@remix-run/node';
import type { SsoProtocol } from '../../../db/schema/federation.js';
import { getEnv } from '../../env.server.js';
import { getServices } from '../../services.server.js';
import { safeRedirectPath } from '../identity/guards.server.js';
import { clearFlowCookie, type SsoFlow } from './flows.server.js';
import { SsoRefusal, type SsoRefusalReason } from './refusals.js';
import { auditRefusal, signInVerified, type VerifiedIdentity } from './sign-in.server.js';

let cookie: Cookie | undefined;
/** Names the identity waiting at /sso/link for its local account's password. */
export function linkCookie(): Cookie {
  const env = getEnv();
  cookie ??= createCookie(env.SECURE_COOKIES ? '__Host-edu_sso_link' : 'edu_sso_link', {
    httpOnly: true,
    sameSite: 'lax',
    secure: env.SECURE_COOKIES,
    path: '/',
    secrets: [env.SESSION_SECRET],
    maxAge: 600,
  });
  return cookie;
}

export type SsoRefusedData = { refused: SsoRefusalReason; institutionSlug: string | null };

/** A refused answer: audited, nothing stored, a 400 page saying why (a 403 for a replay). */
export async function refusedResponse(error: unknown, where: { institutionId: string | null; slug: string | null; protocol: SsoProtocol | null; ip: string }) {
  const refusal = error instanceof SsoRefusal ? error : new SsoRefusal('invalid-response', error instanceof Error ? error.message : String(error));
  if (!(error instanceof SsoRefusal)) getServices().log.warn({ err: refusal.detail, protocol: where.protocol }, 'sso answer failed unexpectedly');
  await auditRefusal(refusal, where);
  const headers = new Headers({ 'Set-Cookie': await clearFlowCookie(), 'Cache-Control': 'no-store' });
  const status = refusal.reason === 'not-configured' ? 404 : refusal.reason === 'replayed' ? 403 : 400;
  return data<SsoRefusedData>({ refused: refusal.reason, institutionSlug: where.slug }, { status, headers });
}

/** Signs the verified person in (or sends them to prove their local password) and goes where they were headed. */
export async function signedInResponse(request: Request, flow: SsoFlow, identity: VerifiedIdentity, ip: string) {
  const headers = new Headers({ 'Cache-Control': 'no-store' });
  headers.append('Set-Cookie', await clearFlowCookie());
  const outcome = await signInVerified(identity, ip);
  if (outcome.kind === 'address-in-use') {
    return refusedResponse(new SsoRefusal('address-in-use'), { institutionId: flow.institutionId, slug: flow.slug, protocol: flow.protocol, ip });
  }
  if (outcome.kind === 'needs-link') {
    headers.append('Set-Cookie', await linkCookie().serialize({ token: outcome.token, redirectTo: flow.redirectTo }));
    return redirect('/sso/link', { headers });
  }
  // The institution's sign-in is a first factor: a registrar or administrator still gives their code.
  return continueAfterPassword(request, outcome, safeRedirectPath(flow.redirectTo), headers);
}
