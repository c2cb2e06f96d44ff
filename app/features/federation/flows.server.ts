import { randomBytes } from 'node:crypto';
import { createCookie, type Cookie } from '@remix-run/node';
import type { SsoProtocol } from '../../../db/schema/federation.js';
import { getEnv } from '../../env.server.js';
import { getServices } from '../../services.server.js';

/** A sign-in on its way through an IdP: what the answer must match, kept in Redis for ten minutes. */
export type SsoFlow = {
  institutionId: string;
  slug: string;
  protocol: SsoProtocol;
  redirectTo: string;
  oidc?: { state: string; nonce: string; codeVerifier: string };
  samlRequestId?: string;
};

const FLOW_TTL_SECONDS = 600;
const flowKey = (id: string) => `sso:flow:${id}`;

let cookie: Cookie | undefined;
function flowCookie(): Cookie {
  const env = getEnv();
  cookie ??= createCookie(env.SECURE_COOKIES ? '__Host-edu_sso_flow' : 'edu_sso_flow', {
    httpOnly: true,
    sameSite: 'lax',
    secure: env.SECURE_COOKIES,
    path: '/',
    secrets: [env.SESSION_SECRET],
    maxAge: FLOW_TTL_SECONDS,
  });
  return cookie;
}

/** Stores the flow and returns its id and the Set-Cookie that binds it to this browser. */
export async function beginFlow(flow: SsoFlow): Promise<{ id: string; setCookie: string }> {
  const id = randomBytes(24).toString('base64url');
  await getServices().redis.set(flowKey(id), JSON.stringify(flow), 'EX', FLOW_TTL_SECONDS);
  return { id, setCookie: await flowCookie().serialize(id) };
}

export async function flowIdFromCookie(request: Request): Promise<string | null> {
  const value: unknown = await flowCookie().parse(request.headers.get('Cookie'));
  return typeof value === 'string' ? value : null;
}

/** The flow, removed as it is read: an IdP's answer can complete it once. */
export async function takeFlow(id: string | null): Promise<SsoFlow | null> {
  if (!id) return null;
  const raw = await getServices().redis.getdel(flowKey(id));
  return raw ? (JSON.parse(raw) as SsoFlow) : null;
}

export async function clearFlowCookie(): Promise<string> {
  return flowCookie().serialize('', { maxAge: 0 });
}

/**
 * Marks a one-time value (a SAML assertion ID, a CAS ticket) as used until `ttlSeconds` from now.
 * False when it was already used: the caller refuses the answer as a replay.
 */
export async function markUsedOnce(kind: 'saml-assertion' | 'cas-ticket', value: string, institutionId: string, ttlSeconds: number): Promise<boolean> {
  const key = `sso:used:${kind}:${institutionId}:${value}`;
  const set = await getServices().redis.set(key, '1', 'EX', Math.max(60, Math.ceil(ttlSeconds)), 'NX');
  return set === 'OK';
}
