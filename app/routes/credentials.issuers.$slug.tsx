import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { issuerDocument } from '../features/credits/credentials.server.js';

/** The issuer profile with its public keys (JWKS): what `kid` in a credential points to. */
export async function loader({ params }: LoaderFunctionArgs) {
  const doc = await issuerDocument(params.slug ?? '');
  if (!doc) throw data({ reason: 'not-found' as const }, { status: 404 });
  return new Response(JSON.stringify(doc), { headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'max-age=300' } });
}
