import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { verifyCredentialJwt } from '../features/credits/credentials.server.js';

const bodySchema = z.union([
  z.object({ credential: z.string().min(10).max(20_000) }),
  z.object({ type: z.literal('EnvelopedVerifiableCredential'), id: z.string().startsWith('data:application/vc+jwt,').max(20_100) }),
]);

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json; charset=utf-8' } });

/** Public JSON API: POST {"credential": "<vc+jwt>"} or the downloaded JSON; cookies play no part. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return json({ error: 'use POST' }, 405);
  const parsed = bodySchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return json({ error: 'send {"credential": "<vc+jwt>"} or an EnvelopedVerifiableCredential' }, 400);
  const jwt = 'credential' in parsed.data ? parsed.data.credential : parsed.data.id.slice('data:application/vc+jwt,'.length);
  const result = await verifyCredentialJwt(jwt);
  return json(result.valid ? { valid: true, revoked: false, issuer: result.issuer } : { valid: false, revoked: result.revoked, reason: result.reason, issuer: result.issuer ?? null });
}

export function loader(_: LoaderFunctionArgs) {
  return json({ error: 'use POST' }, 405);
}
