import type { LoaderFunctionArgs } from '@remix-run/node';
import { publicOrigin } from '../features/catalog/open-data.server.js';
import { conditionalJson } from '../features/catalog/open-data-http.js';
import { publishedPlatformKeys, recentCheckpoints } from '../features/credits/ledger-checkpoints.server.js';

/** The platform's keys and the last hundred signed checkpoints, newest first; open to any origin. */
export async function loader({ request }: LoaderFunctionArgs) {
  const origin = publicOrigin(request);
  const checkpoints = await recentCheckpoints(100);
  const body = {
    about: 'Signed checkpoints of the credit ledger: keep one, and later check that today’s chain still begins with it (npm run ledger:verify -- --checkpoint <file or URL>).',
    links: { self: `${origin}/ledger/checkpoints`, latest: `${origin}/ledger/checkpoints/latest.json`, keys: `${origin}/ledger/keys.json` },
    keys: publishedPlatformKeys(),
    checkpoints,
  };
  return conditionalJson(request, body, new Date(checkpoints[0]?.signedAt ?? 0));
}
