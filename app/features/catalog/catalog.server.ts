import { sql, type SQL } from 'drizzle-orm';
import { queryTokens } from '../../../db/search-tokens.js';
import type { CourseLanguage, CourseLevel, CourseSubject } from '../../../db/schema/courses.js';
import { getServices } from '../../services.server.js';
import { catalogPageSize, type CatalogFilters } from './filters.js';

export type CourseCard = {
  slug: string;
  titleZh: string;
  titleEn: string | null;
  summaryZh: string;
  summaryEn: string | null;
  subject: CourseSubject;
  level: CourseLevel;
  language: CourseLanguage;
  credits: string;
  classHours: number;
  lessonCount: number;
  institutionSlug: string;
  institutionZh: string;
  institutionEn: string;
  teachers: string[];
  updatedAt: Date;
};

export type CatalogPage = { items: CourseCard[]; total: number; page: number; pageCount: number };

/**
 * Published courses matching the filters, best first. With a text query: every character
 * and word of the query must occur somewhere in the course (titles, texts, lesson titles,
 * captions, institution, teachers; GIN index on the tokens), and the rank favours the
 * query as written in a title, then all its characters in a title in order, then shared
 * character pairs in the title, then elsewhere. Without one: newest first.
 */
export async function searchCatalog(filters: CatalogFilters, pageSize = catalogPageSize): Promise<CatalogPage> {
  const { db } = getServices();
  const where: SQL[] = [sql`c.published_at is not null`];
  if (filters.subject) where.push(sql`c.subject = ${filters.subject}`);
  if (filters.level) where.push(sql`c.level = ${filters.level}`);
  if (filters.lang) where.push(sql`c.language = ${filters.lang}`);
  if (filters.credit) where.push(sql`c.credits > 0`);
  if (filters.institution) where.push(sql`i.slug = ${filters.institution}`);
  if (filters.region) where.push(sql`${filters.region} in (r.code, pr.code, ppr.code)`);

  let rank: SQL | null = null;
  const query = filters.q ? queryTokens(filters.q) : null;
  if (query && query.required.length > 0) {
    const required = textArray(query.required);
    const phrase = `%${filters.q!.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const pairCount = Math.max(1, query.pairs.length);
    where.push(sql`c.search_tokens @> ${required}`);
    rank = sql`(
      (case when c.title_zh ilike ${phrase} or coalesce(c.title_en, '') ilike ${phrase} then 8 else 0 end)
      + (case when c.title_tokens @> ${required} then 4 else 0 end)
      + ${query.orderedPattern ? sql`(case when c.title_zh ~ ${query.orderedPattern} then 2 else 0 end)` : sql`0`}
      + 3.0 * (${sharedPairs(query.pairs, (pair) => sql`(c.title_tokens @> ${pair})::int`)}) / ${pairCount}
      + 1.0 * (${sharedPairs(query.pairs, (pair) => sql`(c.id in (select id from courses where search_tokens @> ${pair}))::int`)}) / ${pairCount}
      - length(c.title_zh) / 1000.0
    )`;
  }
  const whereSql = sql.join(where, sql` and `);
  const from = sql`courses c
    join institutions i on i.id = c.institution_id
    join regions r on r.id = i.region_id
    left join regions pr on pr.id = r.parent_id
    left join regions ppr on ppr.id = pr.parent_id`;

  const page = filters.page;
  const catalogQuery = (withTotal: boolean) => sql`
    select c.slug, c.title_zh as "titleZh", c.title_en as "titleEn", c.summary_zh as "summaryZh", c.summary_en as "summaryEn",
      c.subject, c.level, c.language, c.credits::text as credits, c.class_hours as "classHours", c.updated_at as "updatedAt",
      i.slug as "institutionSlug", i.name_zh as "institutionZh", i.name_en as "institutionEn",
      (select count(*)::int from lessons l where l.course_id = c.id and not l.draft) as "lessonCount",
      coalesce((select array_agg(u.display_name order by u.display_name) from course_teachers ct join users u on u.id = ct.user_id
                where ct.course_id = c.id and u.display_name is not null), '{}') as teachers
      ${withTotal ? sql`, count(*) over ()::int as total` : sql``}
    from ${from}
    where ${whereSql}
    order by ${rank ? sql`${rank} desc, ` : sql``}c.published_at desc, c.slug
    limit ${pageSize} offset ${(page - 1) * pageSize}`;
  let rows: (CourseCard & { total?: number })[];
  let total: number;
  if (rank) {
    rows = await db.transaction(async (tx) => {
      // The planner prices a sequential scan with `@>` on every course's few hundred
      // tokens as cheap as the GIN index (it ignores the per-element comparisons), but at
      // 5,000 courses that scan costs 130-200 ms against under 1 ms for the index. Measured
      // with EXPLAIN ANALYZE for bench:pages (docs/benchmarks.md); only this query is affected.
      await tx.execute(sql`set local enable_seqscan = off`);
      return [...(await tx.execute<CourseCard & { total: number }>(catalogQuery(true)))];
    });
    total = rows[0]?.total ?? (page > 1 ? await countCatalog(from, whereSql) : 0);
  } else {
    // Without a query the page is the newest few by the (published_at) index; a window
    // count would join and number every published course first (30-40 ms at 5,000), a
    // separate count is a few milliseconds.
    // The joins only matter to the count when a filter reads them (they never drop a course).
    const countFrom = filters.institution || filters.region ? from : sql`courses c`;
    const [found, count] = await Promise.all([db.execute<CourseCard>(catalogQuery(false)), countCatalog(countFrom, whereSql)]);
    rows = [...found];
    total = count;
  }
  return {
    items: rows.map(({ total: _total, ...card }) => ({ ...card, updatedAt: new Date(card.updatedAt) })),
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
  };
}

/**
 * How many of the query's character pairs a course holds, one term per pair. Each term is a
 * containment test (title tokens: a dozen, inline) or a hashed lookup answered once by the
 * GIN index (search tokens), never an unnest of every matching course's few hundred tokens,
 * which took 0.2 ms per matching course (150 ms for 数学 at 5,000 courses).
 */
function sharedPairs(pairs: string[], term: (pair: SQL) => SQL): SQL {
  if (pairs.length === 0) return sql`0`;
  return sql.join(pairs.map((p) => term(textArray([p]))), sql` + `);
}

/** A text[] literal with one bound parameter per element (a bare JS array would expand to a row). */
function textArray(values: string[]): SQL {
  return sql`array[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;
}

// Without a text query, or for a page past the end, where the window count has no row to ride on.
async function countCatalog(from: SQL, whereSql: SQL): Promise<number> {
  const [row] = await getServices().db.execute<{ n: number }>(sql`select count(*)::int as n from ${from} where ${whereSql}`);
  return row?.n ?? 0;
}

export type FilterOption = { value: string; labelZh: string; labelEn: string };

/** Regions and institutions that have published courses, for the filter menus. */
export async function catalogFacets(): Promise<{ regions: FilterOption[]; institutions: FilterOption[] }> {
  const { db } = getServices();
  const institutions = await db.execute<FilterOption>(sql`
    select i.slug as value, i.name_zh as "labelZh", i.name_en as "labelEn" from institutions i
    where exists (select 1 from courses c where c.institution_id = i.id and c.published_at is not null)
    order by i.name_zh`);
  const regions = await db.execute<FilterOption>(sql`
    select r.code as value, r.name_zh as "labelZh", r.name_en as "labelEn" from regions r
    where r.level <> 'county' order by r.code`);
  return { regions: [...regions], institutions: [...institutions] };
}
