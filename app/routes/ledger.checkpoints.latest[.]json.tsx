import type { LoaderFunctionArgs } from '@remix-run/node';
import { conditionalJson, openDataError } from '../features/catalog/open-data-http.js';
import { newestCheckpoint } from '../features/credits/ledger-checkpoints.server.js';

/** The newest signed checkpoint, exactly as `npm run ledger:verify -- --checkpoint` reads it; open to any origin. */
export async function loader({ request }: LoaderFunctionArgs) {
  const checkpoint = await newestCheckpoint();
  if (!checkpoint) return openDataError(404, 'no-checkpoint', 'No ledger checkpoint has been signed yet.');
  return conditionalJson(request, checkpoint, new Date(checkpoint.signedAt));
}
