import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { institutionIssuerProfile } from '../features/credits/issuer-documents.server.js';
import { preflight, publicJson } from '../features/credits/cors.js';

/** The OB 3.0 issuer Profile; its `id` is the institution's did:web, whose document holds the keys. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  if (request.method === 'OPTIONS') return preflight();
  const profile = await institutionIssuerProfile(params.slug ?? '');
  if (!profile) throw data({ reason: 'not-found' as const }, { status: 404 });
  return publicJson(profile, 'application/ld+json; charset=utf-8');
}

