import type { LoaderFunctionArgs } from '@remix-run/node';
import { conditionalJson } from '../features/catalog/open-data-http.js';
import { publishedPlatformKeys } from '../features/credits/ledger-checkpoints.server.js';

// The keys come from the environment: they change only when the process starts again.
const startedAt = new Date();

/** The platform's public keys for ledger checkpoints (Ed25519 JWKs, kid = RFC 7638 thumbprint); open to any origin. */
export async function loader({ request }: LoaderFunctionArgs) {
  return conditionalJson(request, { keys: publishedPlatformKeys() }, startedAt);
}
