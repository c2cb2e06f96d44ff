import type { LoaderFunctionArgs } from '@remix-run/node';
import { catalogVersion, openCatalogPage, publicOrigin } from '../features/catalog/open-data.server.js';
import { conditionalJson, openDataError } from '../features/catalog/open-data-http.js';
import { parseOpenCatalogParams } from '../features/catalog/open-data.js';

/** Open data: the published catalog as JSON, with the same filters and search as /courses. Public. */
export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = parseOpenCatalogParams(new URL(request.url).searchParams);
  if (!parsed.ok) {
    const summary = parsed.problems.map((p) => `${p.param}: ${p.message}`).join('; ');
    return openDataError(400, 'invalid-parameters', `Bad query parameters (${summary}). See the README's Open data section.`, parsed.problems);
  }
  const [page, version] = await Promise.all([openCatalogPage(publicOrigin(request), parsed.params), catalogVersion()]);
  return conditionalJson(request, page, version.lastModified);
}
