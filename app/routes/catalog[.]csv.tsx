import type { LoaderFunctionArgs } from '@remix-run/node';
import { catalogCsvLines, catalogVersion, publicOrigin } from '../features/catalog/open-data.server.js';
import { conditionalStream, textStream } from '../features/catalog/open-data-http.js';
import { strongEtag, utf8Bom } from '../features/catalog/open-data.js';

/** Open data: the whole published catalog as CSV (UTF-8 with BOM, RFC 4180), streamed. Public. */
export async function loader({ request }: LoaderFunctionArgs) {
  const version = await catalogVersion();
  const origin = publicOrigin(request);
  return conditionalStream(
    request,
    { etag: strongEtag(`csv-v1 ${origin} ${version.tag}`), lastModified: version.lastModified },
    'text/csv; charset=utf-8; header=present',
    { 'Content-Disposition': 'attachment; filename="catalog.csv"' },
    () => textStream(catalogCsvLines(origin), utf8Bom),
  );
}
