import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { statusListJwt } from '../features/credits/credentials.server.js';

/** The institution's Bitstring Status List credential (revocation), as a signed vc+jwt. */
export async function loader({ params }: LoaderFunctionArgs) {
  const jwt = await statusListJwt(params.slug ?? '');
  if (!jwt) throw data({ reason: 'not-found' as const }, { status: 404 });
  return new Response(jwt, { headers: { 'Content-Type': 'application/vc+jwt', 'Cache-Control': 'max-age=60' } });
}
