import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireStudent } from '../features/credits/access.server.js';
import { transcriptCsv } from '../features/credits/transcript.server.js';
import { getLocale } from '../features/i18n/locale.server.js';

/** A download of the student's own transcript. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await requireStudent(request);
  return new Response(await transcriptCsv(user.id, await getLocale(request)), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="transcript-${user.pseudonym}.csv"`,
      'Cache-Control': 'no-store',
    },
  });
}
