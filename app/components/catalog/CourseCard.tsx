import type { CourseCard as Card } from '../../features/catalog/catalog.server.js';
import { useLocale, useT, type MessageKey } from '../../features/i18n/i18n.js';
import { formatCredits, pick } from './labels.js';

export function CourseCard({ course, headingLevel = 2 }: { course: Omit<Card, 'updatedAt'> & { updatedAt: string | Date }; headingLevel?: 2 | 3 }) {
  const t = useT();
  const locale = useLocale();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <article className="course-card">
      <Heading>
        <a href={`/courses/${course.slug}`}>{pick(locale, course.titleZh, course.titleEn)}</a>
      </Heading>
      <p className="course-meta">
        <span className="badge">{t(`courseLevel.${course.level}` as MessageKey)}</span> <a href={`/institutions/${course.institutionSlug}`}>{pick(locale, course.institutionZh, course.institutionEn)}</a>
        {course.teachers.length > 0 ? <> · {t('catalog.card.teachers', { names: course.teachers.join(t('common.listSeparator')) })}</> : null}
      </p>
      <p>{pick(locale, course.summaryZh, course.summaryEn)}</p>
      <p className="course-meta">
        {Number(course.credits) > 0 ? t('catalog.card.credits', { credits: formatCredits(course.credits), hours: course.classHours }) : t('catalog.card.noCredit', { hours: course.classHours })} ·{' '}
        {t('catalog.card.lessons', { count: course.lessonCount })} · {t(`subject.${course.subject}` as MessageKey)} · {t(`courseLang.${course.language}` as MessageKey)}
      </p>
    </article>
  );
}
