import type { LoaderFunctionArgs } from '@remix-run/node';
import { openCourseDetail, publicOrigin } from '../features/catalog/open-data.server.js';
import { conditionalJson, openDataError } from '../features/catalog/open-data-http.js';

/** Open data: one published course with its syllabus titles. Public. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const slug = params.slug ?? '';
  const found = /^[a-z0-9-]{1,100}$/.test(slug) ? await openCourseDetail(publicOrigin(request), slug) : null;
  if (!found) return openDataError(404, 'not-found', `No published course has the slug "${slug.slice(0, 100)}".`);
  return conditionalJson(request, found.course, found.lastModified);
}
