import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { institutions } from '../../db/schema/index.js';
import { formatCreditTenths, parseHundredths } from '../features/credits/credit-units.js';
import { ReasonList } from '../features/credits/ReasonList.js';
import { describeReasons } from '../features/credits/reasons.server.js';
import { listCoursesForLookup, lookupCourse } from '../features/credits/rules.server.js';
import { useLocale, useT, type MessageKey } from '../features/i18n/i18n.js';
import { getLocale } from '../features/i18n/locale.server.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { getServices } from '../services.server.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'lookup.title');

const querySchema = z.object({
  institution: z.string().uuid(),
  course: z.string().min(1).max(200),
  grade: z.string().regex(/^\d{1,3}(\.\d{1,2})?$/).optional().catch(undefined),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined),
});

/** Public: anyone may ask before enrolling; only published notes are shown. */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const [universities, courses] = await Promise.all([
    getServices().db.select({ id: institutions.id, nameZh: institutions.nameZh, nameEn: institutions.nameEn }).from(institutions).where(eq(institutions.kind, 'university')).orderBy(asc(institutions.slug)),
    listCoursesForLookup(url.searchParams.get('course') ?? undefined),
  ]);
  const query = querySchema.safeParse(Object.fromEntries([...url.searchParams].filter(([, v]) => v !== '')));
  if (!query.success) return { universities, courses, query: null, answer: null };
  const grade = query.data.grade ? parseHundredths(query.data.grade) : null;
  const today = new Date().toISOString().slice(0, 10);
  const found = await lookupCourse(query.data.institution, query.data.course, grade === null || grade > 10000 ? undefined : grade, query.data.date ?? today);
  if (!found) return { universities, courses, query: query.data, answer: { unknown: true as const } };
  const reasons = await describeReasons(found.result.reasons, await getLocale(request));
  return {
    universities,
    courses,
    query: query.data,
    answer: { unknown: false as const, outcome: found.result.outcome, credits: found.result.creditsTenths === null ? null : formatCreditTenths(found.result.creditsTenths), rule: found.rule, reasons },
  };
}

export default function Lookup() {
  const { universities, courses, query, answer } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const pick = (zh: string, en: string | null) => (locale === 'en' && en ? en : zh);
  return (
    <section aria-labelledby="lookup-title">
      <h1 id="lookup-title">{t('lookup.title')}</h1>
      <p>{t('lookup.lead')}</p>
      <Form method="get" className="stacked">
        <div className="field">
          <label htmlFor="l-inst">{t('lookup.institution')}</label>
          <select id="l-inst" name="institution" defaultValue={query?.institution ?? ''} required>
            {universities.map((u) => (
              <option key={u.id} value={u.id}>
                {pick(u.nameZh, u.nameEn)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="l-course">{t('lookup.course')}</label>
          <select id="l-course" name="course" defaultValue={query?.course ?? ''} required>
            {courses.map((c) => (
              <option key={c.slug} value={c.slug}>
                {pick(c.titleZh, c.titleEn)} ({pick(c.institutionZh, c.institutionEn)})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="l-grade">{t('lookup.grade')}</label>
          <input id="l-grade" name="grade" inputMode="decimal" defaultValue={query?.grade ?? ''} maxLength={6} />
        </div>
        <div className="field">
          <label htmlFor="l-date">{t('lookup.date')}</label>
          <input id="l-date" name="date" type="date" defaultValue={query?.date ?? ''} />
        </div>
        <button type="submit" className="button">
          {t('lookup.submit')}
        </button>
      </Form>
      {answer ? (
        <div role="status" className="panel">
          {answer.unknown ? (
            <p>{t('lookup.unknownCourse')}</p>
          ) : (
            <>
              <p className="verdict">
                {answer.outcome === 'match'
                  ? t('lookup.match', {
                      target: answer.rule?.targetKind === 'elective' ? t('credits.elective') : `${answer.rule?.targetCode ?? ''} ${pick(answer.rule?.targetTitleZh ?? '', answer.rule?.targetTitleEn ?? null)}`,
                      credits: answer.credits ?? '',
                    })
                  : t(`lookup.${answer.outcome}` as MessageKey)}
              </p>
              <ReasonList reasons={answer.reasons} />
              {answer.rule?.publicNote ? <p>{t('lookup.note', { note: answer.rule.publicNote })}</p> : null}
            </>
          )}
        </div>
      ) : null}
    </section>
  );
}
