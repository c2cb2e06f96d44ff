// The open-data API's parameters and the CSV export's encoding: pure, no I/O.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { courseLanguages, courseLevels, courseSubjects } from '../../../db/schema/courses.js';
import type { CatalogFilters } from './filters.js';

export const openCatalogMaxPageSize = 100;
export const openCatalogDefaultPageSize = 20;

/**
 * The catalog's filters, strictly: unlike the HTML catalog (which ignores a malformed
 * filter so a hand-edited URL still shows a page), a program asking for something wrong
 * is told so with a 400.
 */
export const openCatalogParamsSchema = z
  .object({
    q: z.string().trim().max(100, 'at most 100 characters').optional(),
    region: z.string().regex(/^\d{6}$/, 'a six-digit administrative division code, e.g. 350121').optional(),
    institution: z.string().regex(/^[a-z0-9-]{1,64}$/, 'an institution slug, e.g. fzu').optional(),
    subject: z.enum(courseSubjects).optional(),
    level: z.enum(courseLevels).optional(),
    lang: z.enum(courseLanguages).optional(),
    credit: z.literal('1', { errorMap: () => ({ message: '1 lists only courses that offer credit; leave it out for all' }) }).optional(),
    page: z.coerce.number({ invalid_type_error: 'a whole number from 1' }).int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number({ invalid_type_error: `a whole number from 1 to ${openCatalogMaxPageSize}` }).int().min(1).max(openCatalogMaxPageSize).default(openCatalogDefaultPageSize),
  })
  .strict();
export type OpenCatalogParams = z.infer<typeof openCatalogParamsSchema>;

export type ParamProblem = { param: string; message: string };

export function parseOpenCatalogParams(search: URLSearchParams): { ok: true; params: OpenCatalogParams } | { ok: false; problems: ParamProblem[] } {
  const result = openCatalogParamsSchema.safeParse(Object.fromEntries(search));
  if (result.success) return { ok: true, params: result.data };
  const problems = result.error.issues.flatMap((issue): ParamProblem[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ param: key, message: `unknown parameter; known: ${Object.keys(openCatalogParamsSchema.shape).join(', ')}` }))
      : [{ param: String(issue.path[0] ?? ''), message: issue.message }],
  );
  return { ok: false, problems };
}

export function toCatalogFilters(params: OpenCatalogParams): CatalogFilters {
  return {
    q: params.q || undefined,
    region: params.region,
    institution: params.institution,
    subject: params.subject,
    level: params.level,
    lang: params.lang,
    credit: params.credit,
    page: params.page,
  };
}

/** The API URL of the same query at another page (parameters in a stable order). */
export function openCatalogPageUrl(origin: string, params: OpenCatalogParams, page: number): string {
  const search = new URLSearchParams();
  for (const key of ['q', 'region', 'institution', 'subject', 'level', 'lang', 'credit'] as const) {
    const value = params[key];
    if (value) search.set(key, value);
  }
  if (page > 1) search.set('page', String(page));
  if (params.pageSize !== openCatalogDefaultPageSize) search.set('pageSize', String(params.pageSize));
  const query = search.toString();
  return `${origin}/api/catalog${query ? `?${query}` : ''}`;
}

/** A strong validator of exact bytes: sha-256, 128 bits of it in base64url. */
export function strongEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}

/** RFC 9110 13.1.2: a weak comparison suffices for If-None-Match on GET. */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === bare);
}

/** If-Modified-Since is only consulted without If-None-Match (RFC 9110 13.1.3). */
export function notModified(headers: Headers, etag: string, lastModified: Date): boolean {
  const ifNoneMatch = headers.get('if-none-match');
  if (ifNoneMatch !== null) return etagMatches(ifNoneMatch, etag);
  const since = Date.parse(headers.get('if-modified-since') ?? '');
  // HTTP dates have whole seconds: compare at that precision.
  return Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

// OWASP "CSV injection": a spreadsheet treats a cell starting with these as a formula
// (tab and carriage return too, since some applications strip them first).
const formulaStart = /^[=+\-@\t\r]/;

/** One RFC 4180 field, quoted when needed, neutralised if a spreadsheet would run it. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && formulaStart.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRecord(values: (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** A UTF-8 byte order mark, so Excel reads the Chinese text as UTF-8 rather than GBK. */
export const utf8Bom = '\uFEFF';
