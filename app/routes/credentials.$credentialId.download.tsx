import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { getCredential } from '../features/credits/credentials.server.js';

/**
 * The credential to keep or hand to a wallet: the OB 3.0 JSON-LD with its Data Integrity proof
 * (default), or `?format=jwt`: a VC 2.0 EnvelopedVerifiableCredential carrying the vc+jwt.
 */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const id = z.string().uuid().safeParse(params.credentialId);
  const found = id.success ? await getCredential(id.data) : null;
  if (!found) throw data({ reason: 'not-found' as const }, { status: 404 });
  if (found.credential.jwt === '') throw data({ reason: 'gone' as const }, { status: 410 });
  const wantsJwt = new URL(request.url).searchParams.get('format') === 'jwt' || !found.credential.document;
  const body = wantsJwt ? { '@context': 'https://www.w3.org/ns/credentials/v2', id: `data:application/vc+jwt,${found.credential.jwt}`, type: 'EnvelopedVerifiableCredential' } : found.credential.document;
  return new Response(JSON.stringify(body, null, 2), {
    headers: {
      'Content-Type': wantsJwt ? 'application/json; charset=utf-8' : 'application/vc+ld+json; charset=utf-8',
      'Content-Disposition': `attachment; filename="credential-${found.credential.id}${wantsJwt ? '-jwt' : ''}.json"`,
    },
  });
}
