import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { TableScroll } from '../components/TableScroll.js';
import { pick } from '../components/catalog/labels.js';
import { useLocale, useT } from '../features/i18n/i18n.js';
import { titleMeta } from '../features/i18n/metaTitle.js';
import { requireCourseTeacher } from '../features/studio/course-access.server.js';
import { courseLessonStats } from '../features/studio/stats.server.js';
import { watchedBuckets } from '../features/studio/stats.js';

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, 'studio.home.stats');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { course } = await requireCourseTeacher(request, context, params.courseId);
  return { course: { id: course.id, titleZh: course.titleZh, titleEn: course.titleEn }, ...(await courseLessonStats(course.id)) };
}

export default function CourseStats() {
  const { course, enrolled, lessons } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const pickTitle = (zh: string, en: string | null) => pick(locale, zh, en);
  const percent = (n: number, of: number) => (of > 0 ? ` (${new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(n / of)})` : '');
  return (
    <section aria-labelledby="stats-title">
      <p>
        <a href={`/studio/courses/${course.id}`}>{t('studio.stats.back')}</a>
      </p>
      <h1 id="stats-title">{t('studio.stats.title', { course: pickTitle(course.titleZh, course.titleEn) })}</h1>
      <p data-enrolled={enrolled}>{t('studio.stats.enrolled', { count: enrolled })}</p>
      <p className="hint">{t('studio.stats.explain')}</p>
      {lessons.length === 0 ? (
        <p>{t('studio.stats.none')}</p>
      ) : (
        <TableScroll label={t('studio.stats.title', { course: pickTitle(course.titleZh, course.titleEn) })}>
          <table className="stats-table">
            <thead>
              <tr>
                <th scope="col">{t('studio.stats.lesson')}</th>
                <th scope="col">{t('studio.stats.reached')}</th>
                <th scope="col">{t('studio.stats.completed')}</th>
                <th scope="col">{t('studio.stats.dropped')}</th>
                {watchedBuckets.map((b) => (
                  <th scope="col" key={b}>
                    {t('studio.stats.watched', { range: b })}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {lessons.map((l, i) => (
                <tr key={l.lessonId} data-lesson-id={l.lessonId}>
                  <th scope="row">
                    {i + 1}. {pickTitle(l.titleZh, l.titleEn)}
                  </th>
                  <td data-stat="reached">{`${l.reached}${percent(l.reached, enrolled)}`}</td>
                  <td data-stat="completed">{`${l.completed}${percent(l.completed, enrolled)}`}</td>
                  <td data-stat="dropped">{l.droppedBeforeNext === null ? t('studio.stats.last') : `${l.droppedBeforeNext}${percent(l.droppedBeforeNext, l.reached)}`}</td>
                  {l.watched.map((n, b) => (
                    <td key={watchedBuckets[b]} data-stat={`watched-${watchedBuckets[b]}`}>
                      {n}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
