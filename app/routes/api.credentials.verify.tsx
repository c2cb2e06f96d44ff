import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { maxCredentialBytes, verifyAnyCredential } from '../features/credits/credential-verifier.server.js';
import { preflight, verifyApiCors } from '../features/credits/cors.js';
import { publicOutcome } from '../features/credits/verification-words.js';

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { ...verifyApiCors, 'Content-Type': 'application/json; charset=utf-8' } });

/**
 * Public JSON API, no cookies: POST a credential (JSON-LD with a Data Integrity proof, our
 * EnvelopedVerifiableCredential download, or a vc+jwt as text), or {"credential": <any of those>}.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method === 'OPTIONS') return preflight(verifyApiCors);
  if (request.method !== 'POST') return json({ error: 'use POST' }, 405);
  if (Number(request.headers.get('Content-Length') ?? 0) > maxCredentialBytes + 1024) return json({ error: `a credential is at most ${maxCredentialBytes / 1024} KB` }, 413);
  const text = await request.text();
  if (Buffer.byteLength(text) > maxCredentialBytes + 1024) return json({ error: `a credential is at most ${maxCredentialBytes / 1024} KB` }, 413);
  let input = text;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === 'object' && 'credential' in parsed) {
      const inner = (parsed as { credential: unknown }).credential;
      input = typeof inner === 'string' ? inner : JSON.stringify(inner);
    }
  } catch {
    // not JSON: a vc+jwt sent as text
  }
  if (!input.trim()) return json({ error: 'send a credential: JSON-LD with a proof, a vc+jwt, or {"credential": …}' }, 400);
  return json(publicOutcome(await verifyAnyCredential(input)));
}

/** Remix hands OPTIONS (the browser's CORS preflight) to the loader. */
export function loader({ request }: LoaderFunctionArgs) {
  if (request.method === 'OPTIONS') return preflight(verifyApiCors);
  return json({ error: 'use POST' }, 405);
}
