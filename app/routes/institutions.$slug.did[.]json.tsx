import { data, type LoaderFunctionArgs } from '@remix-run/node';
import { preflight, publicJson } from '../features/credits/cors.js';
import { institutionDidDocument } from '../features/credits/issuer-documents.server.js';

/** did:web:<host>:institutions:<slug> resolves here: the controller document with every key, retired ones too. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  if (request.method === 'OPTIONS') return preflight();
  const document = await institutionDidDocument(params.slug ?? '');
  if (!document) throw data({ reason: 'not-found' as const }, { status: 404 });
  return publicJson(document, 'application/did+json', 60);
}

