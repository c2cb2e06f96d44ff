import type { LoaderFunctionArgs } from '@remix-run/node';
import { exportPersonalData } from '../features/account/personal-data.server.js';
import { requireUser } from '../features/identity/guards.server.js';

/** A download: GET is safe here because it only reads the requester's own data. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const body = JSON.stringify(await exportPersonalData(user.id, context.clientIp), null, 2);
  return new Response(body, {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="personal-data-${user.pseudonym}.json"`,
      'Cache-Control': 'no-store',
    },
  });
}
