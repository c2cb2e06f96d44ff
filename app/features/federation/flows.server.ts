import { createHash, randomBytes } from 'node:crypto';
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

export const newFlowId = (): string => randomBytes(24).toString('base64url');

/** Stores the flow and returns the Set-Cookie that binds it to this browser. */
export async function beginFlow(id: string, flow: SsoFlow): Promise<{ setCookie: string }> {
  await getServices().redis.set(flowKey(id), JSON.stringify(flow), 'EX', FLOW_TTL_SECONDS);
  return { setCookie: await flowCookie().serialize(id) };
}

export async function flowIdFromCookie(request: Request): Promise<string | null> {
  const value: unknown = await flowCookie().parse(request.headers.get('Cookie'));
  return typeof value === 'string' ? value : null;
}

/** The flow, left in place (a SAML answer names it in RelayState; the browser's return completes it). */
export async function peekFlow(id: string | null): Promise<SsoFlow | null> {
  if (!id) return null;
  const raw = await getServices().redis.get(flowKey(id));
  return raw ? (JSON.parse(raw) as SsoFlow) : null;
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

type OneTimeKind = 'saml-assertion' | 'cas-ticket';
const usedKey = (kind: OneTimeKind, value: string, institutionId: string) => `sso:used:${kind}:${institutionId}:${createHash('sha256').update(value).digest('base64url')}`;

export async function isUsedOnce(kind: OneTimeKind, value: string, institutionId: string): Promise<boolean> {
  return (await getServices().redis.exists(usedKey(kind, value, institutionId))) === 1;
}

/** Verified answers waiting for the browser to come back with its flow cookie (the SAML POST is cross-site). */
export async function holdResult(flowId: string, result: unknown): Promise<void> {
  await getServices().redis.set(`sso:result:${flowId}`, JSON.stringify(result), 'EX', 120);
}

export async function takeResult<T>(flowId: string | null): Promise<T | null> {
  if (!flowId) return null;
  const raw = await getServices().redis.getdel(`sso:result:${flowId}`);
  return raw ? (JSON.parse(raw) as T) : null;
}

/**
 * Marks a one-time value (a SAML assertion ID, a CAS ticket) as used until `ttlSeconds` from now.
 * False when it was already used: the caller refuses the answer as a replay.
 */
export async function markUsedOnce(kind: OneTimeKind, value: string, institutionId: string, ttlSeconds: number): Promise<boolean> {
  const key = usedKey(kind, value, institutionId);
  const set = await getServices().redis.set(key, '1', 'EX', Math.max(60, Math.ceil(ttlSeconds)), 'NX');
  return set === 'OK';
}
