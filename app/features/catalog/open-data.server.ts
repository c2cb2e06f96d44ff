// Open data (issue 4, item 6): the published catalog as JSON and CSV, course metadata only.
// The only person named is a teacher, by the display name the course page shows too.
import { getEnv } from '../../env.server.js';
import { getServices } from '../../services.server.js';
import { searchCatalog, type CourseCard } from './catalog.server.js';
import { findPublishedCourse } from './course.server.js';
import { csvRecord, openCatalogPageUrl, toCatalogFilters, type OpenCatalogParams } from './open-data.js';

export type OpenRegion = { code: string; nameZh: string; nameEn: string };

export type OpenCourse = {
  slug: string;
  url: string;
  apiUrl: string;
  titleZh: string;
  titleEn: string | null;
  summaryZh: string;
  summaryEn: string | null;
  subject: string;
  level: string;
  language: string;
  /** Exact decimal as a string ("3.0"): credits are never floats. */
  credits: string;
  classHours: number;
  lessonCount: number;
  institution: { slug: string; nameZh: string; nameEn: string; url: string };
  region: OpenRegion;
  teachers: string[];
  updatedAt: string;
};

export type OpenCourseDetail = OpenCourse & {
  descriptionZh: string;
  descriptionEn: string | null;
  prerequisitesZh: string;
  prerequisitesEn: string | null;
  syllabus: { titleZh: string; titleEn: string | null; lessons: { titleZh: string; titleEn: string | null }[] }[];
};

/** Where people open the site: PUBLIC_URL behind a proxy, else the request's own origin. */
export function publicOrigin(request: Request): string {
  return (getEnv().PUBLIC_URL ?? new URL(request.url).origin).replace(/\/$/, '');
}

type CardWithRegion = CourseCard & { regionCode: string; regionZh: string; regionEn: string };

function openCourse(origin: string, c: CardWithRegion): OpenCourse {
  return {
    slug: c.slug,
    url: `${origin}/courses/${c.slug}`,
    apiUrl: `${origin}/api/catalog/${c.slug}`,
    titleZh: c.titleZh,
    titleEn: c.titleEn,
    summaryZh: c.summaryZh,
    summaryEn: c.summaryEn,
    subject: c.subject,
    level: c.level,
    language: c.language,
    credits: c.credits,
    classHours: c.classHours,
    lessonCount: c.lessonCount,
    institution: { slug: c.institutionSlug, nameZh: c.institutionZh, nameEn: c.institutionEn, url: `${origin}/institutions/${c.institutionSlug}` },
    region: { code: c.regionCode, nameZh: c.regionZh, nameEn: c.regionEn },
    teachers: c.teachers,
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}

/** One page of the catalog through the same search as /courses, with links to its neighbours. */
export async function openCatalogPage(origin: string, params: OpenCatalogParams) {
  const page = await searchCatalog(toCatalogFilters(params), params.pageSize);
  const regions = await institutionRegions(page.items.map((c) => c.institutionSlug));
  const items = page.items.map((c) => openCourse(origin, { ...c, ...regions.get(c.institutionSlug)! }));
  return {
    total: page.total,
    page: page.page,
    pageSize: params.pageSize,
    pageCount: page.pageCount,
    links: {
      self: openCatalogPageUrl(origin, params, page.page),
      next: page.page < page.pageCount ? openCatalogPageUrl(origin, params, page.page + 1) : null,
      prev: page.page > 1 ? openCatalogPageUrl(origin, params, Math.min(page.page - 1, page.pageCount)) : null,
      csv: `${origin}/catalog.csv`,
      /** The credit ledger's signed checkpoints (docs/ledger.md): anyone may keep them. */
      ledgerCheckpoints: `${origin}/ledger/checkpoints`,
    },
    items,
  };
}

async function institutionRegions(slugs: string[]): Promise<Map<string, { regionCode: string; regionZh: string; regionEn: string }>> {
  if (slugs.length === 0) return new Map();
  const { sql } = getServices();
  const rows = await sql<{ slug: string; regionCode: string; regionZh: string; regionEn: string }[]>`
    select i.slug, r.code as "regionCode", r.name_zh as "regionZh", r.name_en as "regionEn"
    from institutions i join regions r on r.id = i.region_id where i.slug = any(${[...new Set(slugs)]})`;
  return new Map(rows.map(({ slug, ...region }) => [slug, region]));
}

/** Every column of an open course card for the whole catalog (the CSV export). */
function publishedCourses(sql: ReturnType<typeof getServices>['sql']) {
  return sql`
    select c.id, c.slug, c.title_zh as "titleZh", c.title_en as "titleEn", c.summary_zh as "summaryZh", c.summary_en as "summaryEn",
      c.subject, c.level, c.language, c.credits::text as credits, c.class_hours as "classHours", c.updated_at as "updatedAt",
      i.slug as "institutionSlug", i.name_zh as "institutionZh", i.name_en as "institutionEn",
      r.code as "regionCode", r.name_zh as "regionZh", r.name_en as "regionEn",
      (select count(*)::int from lessons l where l.course_id = c.id and not l.draft) as "lessonCount",
      coalesce((select array_agg(u.display_name order by u.display_name) from course_teachers ct join users u on u.id = ct.user_id
                where ct.course_id = c.id and u.display_name is not null), '{}') as teachers
    from courses c
    join institutions i on i.id = c.institution_id
    join regions r on r.id = i.region_id
    where c.published_at is not null
    order by i.slug, c.slug`;
}

type CourseRow = CardWithRegion & { id: string };

/** A published course with its syllabus (module and lesson titles), or null. */
export async function openCourseDetail(origin: string, slug: string): Promise<{ course: OpenCourseDetail; lastModified: Date } | null> {
  const found = await findPublishedCourse(slug);
  if (!found) return null;
  const course: OpenCourseDetail = {
    ...openCourse(origin, { ...found, lessonCount: found.syllabus.reduce((n, m) => n + m.lessons.length, 0) }),
    descriptionZh: found.descriptionZh,
    descriptionEn: found.descriptionEn,
    prerequisitesZh: found.prerequisitesZh,
    prerequisitesEn: found.prerequisitesEn,
    syllabus: found.syllabus.map((m) => ({
      titleZh: m.titleZh ?? '',
      titleEn: m.titleEn,
      lessons: m.lessons.map((l) => ({ titleZh: l.titleZh, titleEn: l.titleEn })),
    })),
  };
  // Every lesson or teacher change refreshes the course's search tokens, bumping updated_at.
  return { course, lastModified: new Date(found.updatedAt) };
}

/**
 * What the whole open catalog was last changed by: the newest change to any course
 * (published or not: unpublishing is a change; a lesson or teacher change refreshes the
 * course's search tokens, which bumps its updated_at) or institution, and how many
 * courses are published. Cheap to compute, so the CSV can answer 304 without building.
 */
export async function catalogVersion(): Promise<{ lastModified: Date; published: number; tag: string }> {
  const { sql } = getServices();
  const [row] = await sql<{ courses: string | null; institutions: string | null; published: number }[]>`
    select (select max(updated_at) from courses) as courses, (select max(updated_at) from institutions) as institutions,
      (select count(*)::int from courses where published_at is not null) as published`;
  const times = [row!.courses, row!.institutions].filter((t): t is string => t !== null);
  return { lastModified: latest(times), published: row!.published, tag: `${times.join(' ')} ${row!.published}` };
}

function latest(times: string[]): Date {
  return new Date(Math.max(0, ...times.map((t) => new Date(t).getTime())));
}

export const catalogCsvColumns = [
  'slug', 'title_zh', 'title_en', 'summary_zh', 'summary_en', 'subject', 'level', 'language', 'credits', 'class_hours',
  'lesson_count', 'institution_slug', 'institution_zh', 'institution_en', 'region_code', 'region_zh', 'region_en',
  'teachers', 'url', 'updated_at',
] as const;

/** The whole published catalog as CSV lines, read from a cursor so memory stays flat. */
export async function* catalogCsvLines(origin: string): AsyncGenerator<string> {
  const { sql } = getServices();
  yield csvRecord([...catalogCsvColumns]);
  for await (const rows of sql<CourseRow[]>`${publishedCourses(sql)}`.cursor(200)) {
    let chunk = '';
    for (const c of rows) {
      chunk += csvRecord([
        c.slug, c.titleZh, c.titleEn, c.summaryZh, c.summaryEn, c.subject, c.level, c.language, c.credits, c.classHours,
        c.lessonCount, c.institutionSlug, c.institutionZh, c.institutionEn, c.regionCode, c.regionZh, c.regionEn,
        c.teachers.join('; '), `${origin}/courses/${c.slug}`, new Date(c.updatedAt).toISOString(),
      ]);
    }
    yield chunk;
  }
}
