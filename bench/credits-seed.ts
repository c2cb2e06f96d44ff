import type postgres from 'postgres';

// Bench data, made in SQL with generate_series so that seeding 100,000 requests takes
// seconds. Everything is tagged `cbench-` (bench:pages owns `bench-`) and seeding is skipped when it is already there.

/** Slug and pseudonym prefixes of the seeded rows (bench:pages owns `bench-`; both share edu_bench). */
export const TAG = { institution: 'cbench-', course: 'cbench-c-', student: 'cbench-s-' } as const;
/** For `like`, and for `substring(... from n)` to read the number after a prefix. */
export const like = (prefix: string) => `${prefix}%`;
export const after = (prefix: string) => prefix.length + 1;

export const BENCH = { institutions: 50, coursesPerInstitution: 40, rulesPerInstitution: 100, students: 20_000, recordsPerStudent: 5 } as const;

export async function seedBenchData(sql: postgres.Sql): Promise<boolean> {
  const [have] = await sql`select count(*)::int as n from institutions where slug like ${like(TAG.institution)}`;
  if (have!.n >= BENCH.institutions) return false;
  await sql.begin(async (tx) => {
    const [region] = await tx`select id from regions order by code limit 1`;
    await tx`insert into institutions (slug, kind, name_zh, name_en, region_id)
      select ${TAG.institution}::text || lpad(i::text, 2, '0'), 'university', '基准大学' || i, 'Bench University ' || i, ${region!.id}
      from generate_series(0, ${BENCH.institutions - 1}) i on conflict (slug) do nothing`;
    await tx`create temporary table bench_inst on commit drop as
      select id, (substring(slug from ${after(TAG.institution)}::int))::int as n from institutions where slug like ${like(TAG.institution)}`;
    await tx`insert into courses (institution_id, slug, title_zh, title_en, credits, class_hours)
      select bi.id, ${TAG.course}::text || bi.n || '-' || k, '基准课程 ' || bi.n || '-' || k, 'Bench course ' || bi.n || '-' || k,
        (1 + (k % 4))::numeric(4,1), 16 * (1 + (k % 4))
      from bench_inst bi, generate_series(0, ${BENCH.coursesPerInstitution - 1}) k on conflict (slug) do nothing`;
    await tx`create temporary table bench_course on commit drop as
      select c.id, row_number() over (order by c.slug) - 1 as n, c.credits, c.institution_id from courses c where c.slug like ${like(TAG.course)}`;
    // Rules of each home institution name courses of other institutions; one in five needs two courses (AND).
    await tx`create temporary table bench_rule on commit drop as
      select gen_random_uuid() as id, bi.id as institution_id, bi.n as inst_n, r as k,
        ((bi.n * 131 + r * 17 + 40) % 2000) as c1, case when r % 5 = 0 then ((bi.n * 131 + r * 17 + 1040) % 2000) else null end as c2
      from bench_inst bi, generate_series(0, ${BENCH.rulesPerInstitution - 1}) r`;
    await tx`insert into equivalency_rules (id, institution_id, target_kind, target_code, target_title_zh, target_title_en, credits, min_grade, effective_from, auto_approve)
      select br.id, br.institution_id, case when br.k % 3 = 0 then 'elective' else 'course' end, case when br.k % 3 = 0 then '' else 'T' || br.k end,
        '目标课程 ' || br.k, 'Target ' || br.k, least(c.credits, 2.0), case when br.k % 3 = 1 then 60 else null end, '2024-09-01', br.k % 2 = 0
      from bench_rule br join bench_course c on c.n = br.c1`;
    await tx`insert into equivalency_rule_sources (rule_id, alternative, course_id)
      select br.id, 1, c.id from bench_rule br join bench_course c on c.n = br.c1
      union all select br.id, 1, c.id from bench_rule br join bench_course c on c.n = br.c2`;
    await tx`insert into users (pseudonym, email, display_name)
      select ${TAG.student}::text || i, ${TAG.student}::text || i || '@bench.invalid', '基准学生' || i from generate_series(0, ${BENCH.students - 1}) i on conflict do nothing`;
    await tx`insert into memberships (user_id, institution_id, role)
      select u.id, bi.id, 'student' from users u join bench_inst bi on bi.n = (substring(u.pseudonym from ${after(TAG.student)}::int))::int % ${BENCH.institutions}
      where u.pseudonym like ${like(TAG.student)} on conflict do nothing`;
    await tx`insert into completion_records (user_id, course_id, institution_id, course_slug, course_title_zh, course_title_en, institution_name_zh, institution_name_en, credits, class_hours, final_grade, completed_on)
      select u.id, c.id, c.institution_id, cc.slug, cc.title_zh, cc.title_en, i.name_zh, i.name_en, cc.credits, cc.class_hours,
        (55 + ((s * 7 + k * 13) % 45))::numeric(5,2), date '2025-01-01' + ((s + k) % 500)
      from (select id, (substring(pseudonym from ${after(TAG.student)}::int))::int as s from users where pseudonym like ${like(TAG.student)}) u
      cross join generate_series(0, ${BENCH.recordsPerStudent - 1}) k
      join bench_course c on c.n = (u.s * 7 + k * 401) % 2000
      join courses cc on cc.id = c.id join institutions i on i.id = c.institution_id
      on conflict do nothing`;
    // 100,000 requests in every status, submitted over the last 120 days; decided ones took 0-20 days.
    await tx`insert into credit_requests (user_id, institution_id, completion_record_id, source_institution_id, source_course_id, target_kind, status, submitted_at, decided_at, awarded_credits, posted_at)
      select cr.user_id, m.institution_id, cr.id, cr.institution_id, cr.course_id, 'elective', st.status,
        now() - ((h % 120) || ' days')::interval, case when st.status in ('posted', 'denied') then now() - ((h % 120) || ' days')::interval + ((h % 21) || ' days')::interval end,
        case when st.status = 'posted' then cr.credits end, case when st.status = 'posted' then now() end
      from (select *, abs(hashtext(id::text)) as h from completion_records where course_slug like ${like(TAG.course)}) cr
      join memberships m on m.user_id = cr.user_id and m.role = 'student'
      cross join lateral (select case when cr.h % 20 < 12 then 'posted' when cr.h % 20 < 17 then 'in-review' when cr.h % 20 < 19 then 'denied' else 'more-info' end as status) st
      on conflict do nothing`;
  });
  return true;
}
