import { z } from 'zod';
import { courseLanguages, courseLevels, courseSubjects } from '../../../db/schema/courses.js';

export const catalogPageSize = 20;

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values).optional().catch(undefined);

/** Catalog filters from the query string: anything unknown or malformed is ignored, not an error. */
export const catalogFiltersSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined).transform((v) => v || undefined),
  region: z.string().regex(/^\d{6}$/).optional().catch(undefined),
  institution: z.string().regex(/^[a-z0-9-]{1,64}$/).optional().catch(undefined),
  subject: optionalEnum(courseSubjects),
  level: optionalEnum(courseLevels),
  lang: optionalEnum(courseLanguages),
  credit: z.literal('1').optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).catch(1).default(1),
});
export type CatalogFilters = z.infer<typeof catalogFiltersSchema>;

export function parseCatalogFilters(search: URLSearchParams): CatalogFilters {
  return catalogFiltersSchema.parse(Object.fromEntries(search));
}

/** The shareable URL of a filter set (page 1 is implied), for links and pagination. */
export function catalogHref(filters: CatalogFilters, change: Partial<CatalogFilters> = {}, path = '/courses'): string {
  const next = { ...filters, page: 1, ...change };
  const params = new URLSearchParams();
  for (const key of ['q', 'region', 'institution', 'subject', 'level', 'lang', 'credit'] as const) {
    const value = next[key];
    if (value) params.set(key, value);
  }
  if (next.page > 1) params.set('page', String(next.page));
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}
