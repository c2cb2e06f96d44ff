import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { getCredential } from '../features/credits/credentials.server.js';

/** The credential as VC 2.0 JSON: an EnvelopedVerifiableCredential carrying the signed vc+jwt. */
export async function loader({ params }: LoaderFunctionArgs) {
  const id = z.string().uuid().safeParse(params.credentialId);
  const found = id.success ? await getCredential(id.data) : null;
  if (!found) throw data({ reason: 'not-found' as const }, { status: 404 });
  if (found.credential.jwt === '') throw data({ reason: 'gone' as const }, { status: 410 });
  const body = { '@context': 'https://www.w3.org/ns/credentials/v2', id: `data:application/vc+jwt,${found.credential.jwt}`, type: 'EnvelopedVerifiableCredential' };
  return new Response(JSON.stringify(body, null, 2), {
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': `attachment; filename="credential-${found.credential.id}.json"` },
  });
}
