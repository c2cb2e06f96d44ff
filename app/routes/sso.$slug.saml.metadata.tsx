import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { findInstitutionBySlug } from '../features/federation/providers.server.js';
import { spMetadataXml } from '../features/federation/saml.server.js';

// This platform's SP metadata for one institution, at the URL that is also its entityID.
export async function loader({ params }: LoaderFunctionArgs) {
  const institution = await findInstitutionBySlug(params.slug ?? '');
  if (!institution) throw data({ reason: 'not-found' as const }, { status: 404 });
  return new Response(spMetadataXml(institution.slug), { headers: { 'Content-Type': 'application/samlmetadata+xml; charset=utf-8', 'Cache-Control': 'public, max-age=300' } });
}
