import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { documentTokens } from '../../db/search-tokens.js';
import { closeTestSql, institutionIdBySlug, testSql } from '../support/db.js';

const baseUrl = inject('baseUrl');
const stamp = Date.now().toString(36);
// A published course whose texts a spreadsheet would run as formulas, and that need quoting.
const hostile = {
  slug: `opendata-hostile-${stamp}`,
  titleZh: `=HYPERLINK("http://example.invalid","开放数据测试${stamp}")`,
  titleEn: '+1+2',
  summaryZh: '含"引号", 逗号\n换行',
  summaryEn: '@SUM(A1:A9)',
  descriptionZh: '-2+3',
};
const draft = { slug: `opendata-draft-${stamp}`, titleZh: `未发布草稿课程${stamp}` };
const courseKeys = ['slug', 'url', 'apiUrl', 'titleZh', 'titleEn', 'summaryZh', 'summaryEn', 'subject', 'level', 'language', 'credits', 'classHours', 'lessonCount', 'institution', 'region', 'teachers', 'updatedAt'].sort();

type OpenCourse = { slug: string; subject: string; credits: string; teachers: string[]; institution: { slug: string }; region: { code: string }; [k: string]: unknown };
type OpenPage = { total: number; page: number; pageSize: number; pageCount: number; links: { self: string; next: string | null; prev: string | null }; items: OpenCourse[] };

async function getJson<T>(path: string): Promise<{ res: Response; body: T }> {
  const res = await fetch(baseUrl + path);
  return { res, body: (await res.json()) as T };
}

async function publishedCount(where = testSql()``): Promise<number> {
  const [row] = await testSql()<{ n: number }[]>`select count(*)::int as n from courses c join institutions i on i.id = c.institution_id where c.published_at is not null ${where}`;
  return row!.n;
}

async function insertCourse(c: { slug: string; titleZh: string; titleEn?: string; summaryZh?: string; summaryEn?: string; descriptionZh?: string }, published: boolean) {
  const tokens = documentTokens(c.titleZh, c.titleEn, c.summaryZh, c.summaryEn, c.descriptionZh);
  await testSql()`insert into courses (institution_id, slug, title_zh, title_en, summary_zh, summary_en, description_zh, subject, credits, class_hours, published_at, search_tokens, title_tokens)
    values (${await institutionIdBySlug('fzu')}, ${c.slug}, ${c.titleZh}, ${c.titleEn ?? null}, ${c.summaryZh ?? ''}, ${c.summaryEn ?? null}, ${c.descriptionZh ?? ''}, 'computing', 2.5, 40,
      ${published ? new Date() : null}, ${tokens}, ${documentTokens(c.titleZh, c.titleEn)})`;
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && ch === '"') quoted = false;
    else if (quoted) field += ch;
    else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endField();
      rows.push(row);
      row = [];
      i++;
    } else field += ch;
  }
  if (field || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

beforeAll(async () => {
  await insertCourse(hostile, true);
  await insertCourse(draft, false);
});
afterAll(async () => {
  await testSql()`delete from courses where slug in (${hostile.slug}, ${draft.slug})`;
  await closeTestSql();
});

describe('GET /api/catalog', () => {
  it('pages through every published course exactly once, with next/prev links', async () => {
    const total = await publishedCount();
    const pageSize = Math.min(100, Math.max(4, Math.ceil(total / 10))); // several pages, whatever else is seeded
    const seen: string[] = [];
    let next: string | null = `/api/catalog?pageSize=${pageSize}`;
    let pages = 0;
    while (next) {
      const { res, body }: { res: Response; body: OpenPage } = await getJson<OpenPage>(next.replace(baseUrl, ''));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(body.total).toBe(total);
      expect(body.pageSize).toBe(pageSize);
      expect(body.links.prev === null).toBe(body.page === 1);
      seen.push(...body.items.map((c) => c.slug));
      next = body.links.next;
      pages++;
      expect(pages).toBeLessThanOrEqual(Math.ceil(total / pageSize));
    }
    expect(pages).toBe(Math.ceil(total / pageSize));
    expect(new Set(seen).size).toBe(total);
    expect(seen).toContain(hostile.slug);
    expect(seen).not.toContain(draft.slug);
  });

  it('applies the catalog’s filters and Chinese search', async () => {
    const maths = await getJson<OpenPage>('/api/catalog?subject=mathematics&pageSize=100');
    expect(maths.body.total).toBe(await publishedCount(testSql()`and c.subject = 'mathematics'`));
    expect(maths.body.items.every((c) => c.subject === 'mathematics')).toBe(true);

    const fzu = await getJson<OpenPage>('/api/catalog?institution=fzu&pageSize=100');
    expect(fzu.body.total).toBe(await publishedCount(testSql()`and i.slug = 'fzu'`));
    expect(fzu.body.items.every((c) => c.institution.slug === 'fzu')).toBe(true);

    const credit = await getJson<OpenPage>('/api/catalog?credit=1&pageSize=100');
    expect(credit.body.total).toBe(await publishedCount(testSql()`and c.credits > 0`));
    expect(credit.body.items.every((c) => /^\d+\.\d$/.test(c.credits) && c.credits !== '0.0')).toBe(true);

    const search = await getJson<OpenPage>(`/api/catalog?q=${encodeURIComponent('线代')}&institution=fzu`);
    expect(search.body.items[0]!.slug).toBe('fzu-linear-algebra-1');
    expect(search.body.items.every((c) => c.institution.slug === 'fzu')).toBe(true);
    expect(search.body.links.self).toContain(`q=${encodeURIComponent('线代')}`);
  });

  it('shows course metadata only: no personal data beyond teachers’ display names', async () => {
    const { body } = await getJson<OpenPage>('/api/catalog?pageSize=100');
    for (const course of body.items) expect(Object.keys(course).sort()).toEqual(courseKeys);
    const linear = (await getJson<OpenPage>('/api/catalog?institution=fzu&pageSize=100')).body.items.find((c) => c.slug === 'fzu-linear-algebra-1')!;
    const [teacher] = await testSql()<{ displayName: string; email: string; pseudonym: string; id: string }[]>`
      select u.display_name as "displayName", u.email, u.pseudonym, u.id from course_teachers ct join users u on u.id = ct.user_id
      join courses c on c.id = ct.course_id where c.slug = 'fzu-linear-algebra-1' limit 1`;
    expect(linear.teachers).toContain(teacher!.displayName);
    expect(linear.credits).toBe('3.0');
    const text = JSON.stringify(body);
    expect(text).not.toContain(teacher!.email);
    expect(text).not.toContain(teacher!.pseudonym);
    expect(text).not.toContain(teacher!.id);
    expect(text).not.toMatch(/@demo\.edu\.cn|passwordHash|enrolmentPolicy|passGrade/);
  });

  it('refuses malformed parameters with a 400 that names them', async () => {
    for (const [query, param] of [['pageSize=101', 'pageSize'], ['page=0', 'page'], ['subject=astrology', 'subject'], ['region=35', 'region'], ['colour=red', 'colour'], ['credit=yes', 'credit']] as const) {
      const { res, body } = await getJson<{ error: string; message: string; problems: { param: string }[] }>(`/api/catalog?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(body.error).toBe('invalid-parameters');
      expect(body.problems.map((p) => p.param), query).toContain(param);
      expect(body.message).toContain(param);
    }
  });

  it('answers 304 to a matching If-None-Match or a current If-Modified-Since, and changes when the catalog does', async () => {
    const first = await fetch(`${baseUrl}/api/catalog?pageSize=3`);
    await first.arrayBuffer();
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/); // strong: no W/
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    expect(first.headers.get('set-cookie')).toBeNull();

    const byTag = await fetch(`${baseUrl}/api/catalog?pageSize=3`, { headers: { 'If-None-Match': `"other", ${etag}` } });
    expect(byTag.status).toBe(304);
    expect(await byTag.text()).toBe('');
    expect(byTag.headers.get('etag')).toBe(etag);
    const byDate = await fetch(`${baseUrl}/api/catalog?pageSize=3`, { headers: { 'If-Modified-Since': lastModified } });
    expect(byDate.status).toBe(304);
    const stale = await fetch(`${baseUrl}/api/catalog?pageSize=3`, { headers: { 'If-Modified-Since': new Date(Date.parse(lastModified) - 1000).toUTCString() } });
    expect(stale.status).toBe(200);
    const otherQuery = await fetch(`${baseUrl}/api/catalog?pageSize=2`, { headers: { 'If-None-Match': etag } });
    expect(otherQuery.status).toBe(200);
    await Promise.all([stale.arrayBuffer(), otherQuery.arrayBuffer()]);

    await new Promise((r) => setTimeout(r, 1100)); // Last-Modified has whole seconds
    const slug = `opendata-new-${stamp}`;
    await insertCourse({ slug, titleZh: `新课程${stamp}` }, true);
    try {
      const after = await fetch(`${baseUrl}/api/catalog?pageSize=3`, { headers: { 'If-None-Match': etag } });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(etag);
      expect(Date.parse(after.headers.get('last-modified')!)).toBeGreaterThan(Date.parse(lastModified));
      expect(((await after.json()) as OpenPage).total).toBe(await publishedCount());
    } finally {
      await testSql()`delete from courses where slug = ${slug}`;
    }
  });

  it('sends CORS headers for GET only', async () => {
    const post = await fetch(`${baseUrl}/api/catalog`, { method: 'POST', body: new URLSearchParams({ a: '1' }) });
    await post.arrayBuffer();
    expect(post.status).toBeGreaterThanOrEqual(400);
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('GET /api/catalog/<slug>', () => {
  it('gives one course with its syllabus titles, validators and 304', async () => {
    const res = await fetch(`${baseUrl}/api/catalog/fzu-linear-algebra-1`);
    const course = (await res.json()) as OpenCourse & { syllabus: { titleZh: string; lessons: { titleZh: string }[] }[] };
    expect(res.status).toBe(200);
    const lessons = await testSql()<{ title: string }[]>`select l.title_zh as title from lessons l join courses c on c.id = l.course_id where c.slug = 'fzu-linear-algebra-1'`;
    expect(course.syllabus.flatMap((m) => m.lessons.map((l) => l.titleZh)).sort()).toEqual(lessons.map((l) => l.title).sort());
    expect(course.lessonCount).toBe(lessons.length);
    expect(course.credits).toBe('3.0');
    expect(Object.keys(course.syllabus[0]!.lessons[0]!).sort()).toEqual(['titleEn', 'titleZh']);
    const again = await fetch(`${baseUrl}/api/catalog/fzu-linear-algebra-1`, { headers: { 'If-None-Match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('answers 404 for a draft or an unknown course', async () => {
    for (const slug of [draft.slug, 'no-such-course', 'Bad%20Slug']) {
      const { res, body } = await getJson<{ error: string }>(`/api/catalog/${slug}`);
      expect(res.status, slug).toBe(404);
      expect(body.error).toBe('not-found');
    }
  });
});

describe('GET /catalog.csv', () => {
  it('exports every published course as UTF-8 CSV with a BOM, quoted per RFC 4180 and safe from formulas', async () => {
    const res = await fetch(`${baseUrl}/catalog.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toContain('catalog.csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    expect(header![0]).toBe('slug');
    expect(rows).toHaveLength(await publishedCount());
    expect(rows.every((r) => r.length === header!.length)).toBe(true);
    expect(rows.map((r) => r[0])).not.toContain(draft.slug);
    const col = (name: string) => header!.indexOf(name);
    const row = rows.find((r) => r[0] === hostile.slug)!;
    expect(row[col('title_zh')]).toBe(`'${hostile.titleZh}`);
    expect(row[col('title_en')]).toBe(`'${hostile.titleEn}`);
    expect(row[col('summary_zh')]).toBe(hostile.summaryZh);
    expect(row[col('summary_en')]).toBe(`'${hostile.summaryEn}`);
    expect(row[col('credits')]).toBe('2.5');
    expect(text).toContain('"含""引号"", 逗号\n换行"');
    const linear = rows.find((r) => r[0] === 'fzu-linear-algebra-1')!;
    expect(linear[col('title_zh')]).toBe('线性代数(上)');
    expect(text).not.toMatch(/@demo\.edu\.cn/);
  });

  it('answers 304 when nothing changed', async () => {
    const first = await fetch(`${baseUrl}/catalog.csv`);
    await first.arrayBuffer();
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    const again = await fetch(`${baseUrl}/catalog.csv`, { headers: { 'If-None-Match': first.headers.get('etag')! } });
    expect(again.status).toBe(304);
    const byDate = await fetch(`${baseUrl}/catalog.csv`, { headers: { 'If-Modified-Since': first.headers.get('last-modified')! } });
    expect(byDate.status).toBe(304);
  });
});
